import { z } from 'zod';

// Values are trimmed: a token mounted from a file or pasted into a .env often ends with a newline.
const unsetWhenBlank = (value: unknown) => (typeof value === 'string' ? value.trim() || undefined : value);
const optionalText = z.preprocess(unsetWhenBlank, z.string().optional());
const portMessage = 'must be a port number from 0 to 65535 (0 picks a free one)';

/** The environment `steward` reads (DESIGN.md "Interfaces users rely on"). Parsed once, at start-up. */
const Environment = z.object({
  STEWARD_DB: z.preprocess(unsetWhenBlank, z.string().default('./data/steward.db')),
  STEWARD_POLICY: optionalText,
  PORT: z.preprocess(
    unsetWhenBlank,
    z
      .string()
      .regex(/^\d{1,5}$/, portMessage)
      .transform(Number)
      .pipe(z.number().max(65535, portMessage))
      .default(3000),
  ),
  LOG_LEVEL: z.preprocess(unsetWhenBlank, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: optionalText,
  SLACK_SECURITY_CHANNEL: optionalText,
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  MICROSOFT_APP_TYPE: optionalText,
});
export type Environment = z.infer<typeof Environment>;

export type EnvironmentResult = { readonly ok: true; readonly env: Environment } | { readonly ok: false; readonly problems: readonly string[] };

/** Parses the environment. Problems name the variable, never its value (it may be a token). */
export function parseEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentResult {
  const parsed = Environment.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
}

/** True when a chat platform is configured; otherwise `serve` runs the console. */
export function hasChatCredentials(env: Environment): boolean {
  return env.SLACK_BOT_TOKEN !== undefined || env.MICROSOFT_APP_ID !== undefined;
}
