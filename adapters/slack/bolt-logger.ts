import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';

const levels: Readonly<Record<string, LogLevel>> = { trace: LogLevel.INFO, debug: LogLevel.INFO, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR, fatal: LogLevel.ERROR };

/**
 * Bolt's and the Web API client's logger interface, writing to Steward's structured log (pino). `least` drops the
 * library's lines below it: a caller that reports a failure itself, in one line, passes 'error'.
 */
export function boltLogger(logger: Logger, least: 'info' | 'warn' | 'error' = 'info'): BoltLogger {
  const log = logger.child({ component: 'slack' });
  const order = ['info', 'warn', 'error'];
  // Bolt logs a message and an error as separate arguments; the log keeps the error as a field.
  const write = (level: 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (order.indexOf(level) < order.indexOf(least)) return;
    const err = parts.find((p) => p instanceof Error);
    const text = parts.filter((p) => !(p instanceof Error)).map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
    if (err === undefined) log[level](text);
    else log[level]({ err }, text);
  };
  return {
    // Bolt's and the Slack clients' debug lines carry whole payloads (a Socket Mode envelope, a request body):
    // what people typed, which may be a secret Steward refuses to keep. They are dropped, not logged.
    debug: () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // The level is Steward's (LOG_LEVEL); Bolt asking to change it is ignored.
    setLevel: () => undefined,
    getLevel: () => levels[logger.level] ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
