import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Where the log goes: standard error (the default), or a file, appended to (the console keeps the terminal for the conversation). */
  readonly file?: string;
  /**
   * Whether logged errors carry their stack. A service's log is for its operators and keeps them; a one-shot
   * command's log lands on the user's terminal, so there they appear only at `debug` and `trace`.
   */
  readonly stacks?: boolean;
}

/** An error as a log field: type, message, code and cause, and the stack only when asked for. */
function errorSerializer(stacks: boolean) {
  const serialize = (error: unknown, depth = 0): unknown => {
    if (!(error instanceof Error)) return error;
    const { code } = error as NodeJS.ErrnoException;
    return {
      type: error.constructor.name,
      message: error.message,
      ...(code === undefined ? {} : { code }),
      ...(stacks ? { stack: error.stack } : {}),
      ...(error.cause !== undefined && depth < 3 ? { cause: serialize(error.cause, depth + 1) } : {}),
    };
  };
  return (error: unknown) => serialize(error);
}

/**
 * Structured logs (pino), on standard error by default, so standard output stays the command's data. Anything
 * named like a credential is redacted wherever it appears, as a second line of defence behind never logging them.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const stacks = options.stacks ?? (level === 'debug' || level === 'trace');
  return pino(
    {
      level,
      base: { app: 'steward' },
      serializers: { err: errorSerializer(stacks) },
      redact: {
        paths: ['*.token', '*.password', '*.secret', '*.signingSecret', '*.botToken', '*.appToken', 'headers.authorization', 'req.headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    options.file === undefined ? pino.destination({ fd: 2, sync: true }) : pino.destination({ dest: options.file, sync: true, mkdir: true, append: true }),
  );
}
