import { z } from 'zod';

// Values are trimmed: a token mounted from a file or pasted into a .env often ends with a newline.
const unsetWhenBlank = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optionalText = z.preprocess(unsetWhenBlank, z.string().optional());
const portMessage = 'must be a port number from 0 to 65535 (0 picks a free one)';
/** A token's kind shows in its prefix; a value of the wrong kind is refused naming the variable, never echoed. */
const token = (prefix: string, kind: string) => z.preprocess(unsetWhenBlank, z.string().startsWith(prefix, `must be ${kind} (it starts with ${prefix})`).optional());
const httpUrl = z.preprocess(
  unsetWhenBlank,
  z
    .string()
    .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), 'must be an http(s) URL, e.g. https://slack.com/api/')
    .optional(),
);

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
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: optionalText,
}).superRefine((env, ctx) => {
  // Over HTTP every request is checked against the signing secret; Socket Mode needs the app token instead.
  if (env.SLACK_BOT_TOKEN !== undefined && env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined)
    ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'is required with SLACK_BOT_TOKEN (Basic Information → Signing Secret), unless SLACK_APP_TOKEN selects Socket Mode' });
  if (env.SLACK_BOT_TOKEN === undefined && env.SLACK_APP_TOKEN !== undefined)
    ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'is required with SLACK_APP_TOKEN (OAuth & Permissions → Bot User OAuth Token)' });
});
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

/** True when a chat platform is configured; otherwise `serve` runs the console. */
export function hasChatCredentials(env: Environment): boolean {
  return env.SLACK_BOT_TOKEN !== undefined || env.MICROSOFT_APP_ID !== undefined;
}
