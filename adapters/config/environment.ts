import { z } from 'zod';

// Values are trimmed: a token mounted from a file or pasted into a .env often ends with a newline.
const unsetWhenBlank = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optionalText = z.preprocess(unsetWhenBlank, z.string().optional());
const portMessage = 'must be a port number from 0 to 65535 (0 picks a free one)';
/** A token's kind shows in its prefix; a value of the wrong kind is refused naming the variable, never echoed. */
const token = (prefix: string, kind: string) => z.preprocess(unsetWhenBlank, z.string().startsWith(prefix, `must be ${kind} (it starts with ${prefix})`).optional());
const guid = (what: string) =>
  z.preprocess(
    unsetWhenBlank,
    z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, `must be ${what}, a GUID (8-4-4-4-12 hexadecimal digits)`)
      .optional(),
  );
const httpUrl = z.preprocess(
  unsetWhenBlank,
  z
    .string()
    .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), 'must be an http(s) URL, e.g. https://slack.com/api/')
    .optional(),
);

/** Hosts a decision webhook may be reached on over plain http: this machine only (a receiver in development). */
const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];
const webhookUrl = z.preprocess(
  unsetWhenBlank,
  z
    .string()
    .superRefine((value, ctx) => {
      const url = /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value) ? new URL(value) : null;
      if (url === null) ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL, e.g. https://hooks.corp.example/steward' });
      else if (url.username !== '' || url.password !== '')
        ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password: the receiver checks the signature made with STEWARD_WEBHOOK_SECRET' });
      else if (url.protocol !== 'https:' && !loopbackHosts.includes(url.hostname))
        ctx.addIssue({ code: 'custom', message: 'must use https (plain http is allowed only to localhost, 127.0.0.1 or ::1)' });
    })
    .optional(),
);
/** Long enough to be a key, not a password: 32 characters (`openssl rand -hex 32` makes 64). */
const webhookSecretMinLength = 32;

/** What every command reads: where the database and the policy are, and how much to log. */
const CommandEnvironment = z.object({
  STEWARD_DB: z.preprocess(unsetWhenBlank, z.string().default('./data/steward.db')),
  STEWARD_POLICY: optionalText,
  LOG_LEVEL: z.preprocess(unsetWhenBlank, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
});

/**
 * What `serve` reads besides (DESIGN.md "Interfaces users rely on"). Checked only where it is used: a stray
 * `PORT=abc` in a shell does not stop `steward list`, and `serve` refuses it naming the variable.
 */
const ServeEnvironment = CommandEnvironment.extend({
  PORT: z.preprocess(
    unsetWhenBlank,
    z
      .string()
      .regex(/^\d{1,5}$/, portMessage)
      .transform(Number)
      .pipe(z.number().max(65535, portMessage))
      .default(3000),
  ),
  SLACK_BOT_TOKEN: token('xoxb-', 'a bot token'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: token('xapp-', 'an app-level token'),
  SLACK_API_URL: httpUrl,
  SLACK_SECURITY_CHANNEL: optionalText,
  MICROSOFT_APP_ID: guid('the Azure bot\'s Microsoft App ID'),
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: guid('the Entra tenant (directory) id'),
  MICROSOFT_APP_TYPE: z.preprocess(unsetWhenBlank, z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI'], 'must be SingleTenant, MultiTenant or UserAssignedMSI').optional()),
  TEAMS_ALLOW_UNAUTHENTICATED: z.preprocess(unsetWhenBlank, z.enum(['0', '1'], 'must be 1 (development only) or 0').optional()),
  STEWARD_WEBHOOK_URL: webhookUrl,
  STEWARD_WEBHOOK_SECRET: z.preprocess(unsetWhenBlank, z.string().min(webhookSecretMinLength, `must be at least ${webhookSecretMinLength} characters (e.g. openssl rand -hex 32)`).optional()),
}).superRefine((env, ctx) => {
  // Over HTTP every request is checked against the signing secret; Socket Mode needs the app token instead.
  if (env.SLACK_BOT_TOKEN !== undefined && env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined)
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required with SLACK_BOT_TOKEN (Basic Information → Signing Secret), unless SLACK_APP_TOKEN selects Socket Mode' });
  if (env.SLACK_BOT_TOKEN === undefined && env.SLACK_APP_TOKEN !== undefined)
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required with SLACK_APP_TOKEN (OAuth & Permissions → Bot User OAuth Token)' });
  teamsProblems(env).forEach((problem) => ctx.addIssue({ code: 'custom', ...problem }));
  if (env.STEWARD_WEBHOOK_URL !== undefined && env.STEWARD_WEBHOOK_SECRET === undefined)
    ctx.addIssue({ code: 'custom', path: ['STEWARD_WEBHOOK_SECRET'], message: `is required with STEWARD_WEBHOOK_URL: every decision is signed with it (at least ${webhookSecretMinLength} characters, e.g. openssl rand -hex 32)` });
  if (env.STEWARD_WEBHOOK_URL === undefined && env.STEWARD_WEBHOOK_SECRET !== undefined)
    ctx.addIssue({ code: 'custom', path: ['STEWARD_WEBHOOK_URL'], message: 'is required with STEWARD_WEBHOOK_SECRET: where the signed decisions are POSTed' });
});

/** What is missing from a Teams configuration, each problem naming the variable. */
function teamsProblems(env: {
  MICROSOFT_APP_ID?: string | undefined;
  MICROSOFT_APP_PASSWORD?: string | undefined;
  MICROSOFT_APP_TENANT_ID?: string | undefined;
  MICROSOFT_APP_TYPE?: string | undefined;
}): { path: string[]; message: string }[] {
  const type = env.MICROSOFT_APP_TYPE ?? 'SingleTenant';
  const problems: { path: string[]; message: string }[] = [];
  const set = [env.MICROSOFT_APP_PASSWORD, env.MICROSOFT_APP_TENANT_ID, env.MICROSOFT_APP_TYPE].some((value) => value !== undefined);
  if (env.MICROSOFT_APP_ID === undefined) {
    if (set) problems.push({ path: ['MICROSOFT_APP_ID'], message: "is required with the other MICROSOFT_APP_ variables (the Azure bot's Microsoft App ID)" });
    return problems;
  }
  if (type !== 'UserAssignedMSI' && env.MICROSOFT_APP_PASSWORD === undefined)
    problems.push({ path: ['MICROSOFT_APP_PASSWORD'], message: 'is required with MICROSOFT_APP_ID (a client secret of the app registration)' });
  // Single-tenant bots, the default Azure creates since 2025, get their tokens from their own tenant; and
  // Steward answers one organisation: activities from any other tenant are refused.
  if (env.MICROSOFT_APP_TENANT_ID === undefined)
    problems.push({ path: ['MICROSOFT_APP_TENANT_ID'], message: 'is required with MICROSOFT_APP_ID: Steward answers activities from this tenant alone' });
  return problems;
}
export type CommandEnvironment = z.infer<typeof CommandEnvironment>;
export type Environment = z.infer<typeof ServeEnvironment>;

export type EnvironmentResult<E> = { readonly ok: true; readonly env: E } | { readonly ok: false; readonly problems: readonly string[] };

function parsed<E>(result: z.ZodSafeParseResult<E>): EnvironmentResult<E> {
  if (result.success) return { ok: true, env: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
}

/** Parses what `serve` reads. Problems name the variable, never its value (it may be a token). */
export function parseEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentResult<Environment> {
  return parsed(ServeEnvironment.safeParse(env));
}

/** Parses what every other command reads; the chat and HTTP settings are left for `serve` to check. */
export function parseCommandEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentResult<CommandEnvironment> {
  return parsed(CommandEnvironment.safeParse(env));
}

/** How Steward reaches Slack, when it is configured. */
export interface SlackSettings {
  readonly botToken: string;
  /** Socket Mode when an app token is set (no public URL needed); HTTP (`POST /slack/events`) otherwise. */
  readonly mode: 'socket' | 'http';
  readonly signingSecret: string | null;
  readonly appToken: string | null;
  /** The Web API base URL; Slack's own unless set (tests and proxies). */
  readonly apiUrl: string | null;
  /** Where unowned items and top-level escalations go; the policy's securityChannel when unset. */
  readonly securityChannel: string | null;
}

/** The Slack settings, or null when SLACK_BOT_TOKEN is not set. */
export function slackSettings(env: Environment): SlackSettings | null {
  if (env.SLACK_BOT_TOKEN === undefined) return null;
  return {
    botToken: env.SLACK_BOT_TOKEN,
    mode: env.SLACK_APP_TOKEN === undefined ? 'http' : 'socket',
    signingSecret: env.SLACK_SIGNING_SECRET ?? null,
    appToken: env.SLACK_APP_TOKEN ?? null,
    apiUrl: env.SLACK_API_URL ?? null,
    securityChannel: env.SLACK_SECURITY_CHANNEL ?? null,
  };
}

/** How Steward reaches Microsoft Teams, when it is configured. */
export interface TeamsSettings {
  /** The Azure bot's app id; null in development mode without credentials. */
  readonly appId: string | null;
  readonly appPassword: string | null;
  /** Steward's home tenant: activities from any other are refused. Null only in development mode. */
  readonly tenantId: string | null;
  readonly appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  /** TEAMS_ALLOW_UNAUTHENTICATED=1 without MICROSOFT_APP_ID: requests are not verified (announced at start). */
  readonly unauthenticated: boolean;
}

/** The Teams settings, or null when Teams is not configured (no MICROSOFT_APP_ID and no development mode). */
export function teamsSettings(env: Environment): TeamsSettings | null {
  const unauthenticated = env.MICROSOFT_APP_ID === undefined && env.TEAMS_ALLOW_UNAUTHENTICATED === '1';
  if (env.MICROSOFT_APP_ID === undefined && !unauthenticated) return null;
  return {
    appId: env.MICROSOFT_APP_ID ?? null,
    appPassword: env.MICROSOFT_APP_PASSWORD ?? null,
    tenantId: env.MICROSOFT_APP_TENANT_ID ?? null,
    appType: env.MICROSOFT_APP_TYPE ?? 'SingleTenant',
    unauthenticated,
  };
}

/** Where decisions are POSTed, signed, when the decision webhook is configured. */
export interface WebhookSettings {
  readonly url: string;
  /** The HMAC key: never logged (the logger redacts `*.secret` too), never said. */
  readonly secret: string;
}

/** The decision webhook's settings, or null when STEWARD_WEBHOOK_URL is not set (the parse requires the secret with it). */
export function webhookSettings(env: Environment): WebhookSettings | null {
  if (env.STEWARD_WEBHOOK_URL === undefined || env.STEWARD_WEBHOOK_SECRET === undefined) return null;
  return { url: env.STEWARD_WEBHOOK_URL, secret: env.STEWARD_WEBHOOK_SECRET };
}

/** True when a chat platform is configured; otherwise `serve` runs the console. (The decision webhook is not one.) */
export function hasChatCredentials(env: Environment): boolean {
  return env.SLACK_BOT_TOKEN !== undefined || teamsSettings(env) !== null;
}
