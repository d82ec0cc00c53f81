import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs (pino) on standard error, so standard output stays the command's data. Anything named
 * like a credential is redacted wherever it appears, as a second line of defence behind never logging them.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'steward' },
      redact: {
        paths: ['*.token', '*.password', '*.secret', '*.signingSecret', '*.botToken', '*.appToken', 'headers.authorization', 'req.headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    pino.destination({ fd: 2, sync: true }),
  );
}
