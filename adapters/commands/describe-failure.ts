import { randomBytes } from 'node:crypto';
import { InputError } from '../../src/errors.js';
import { formatProblem } from '../../src/inventory/source-location.js';
import type { Logger } from '../logging/logger.js';
import { busyMessage, isDatabaseBusy } from './database-busy.js';
import { exitCodes, type ExitCode } from './exit-codes.js';

/** The exit code for a failure the error boundary caught: 2 bad input, 75 busy (try again), 70 a bug or an outage. */
export function failureExitCode(error: unknown): ExitCode {
  if (error instanceof InputError) return exitCodes.badInput;
  return isDatabaseBusy(error) ? exitCodes.busy : exitCodes.internal;
}

/**
 * The error boundary's words for a user: bad input is explained with its locations; anything else is a bug
 * or an outage, logged with a reference the user can quote, never shown as a stack trace.
 */
export function describeFailure(error: unknown, logger: Logger): string {
  if (error instanceof InputError) return [error.message, ...error.problems.map((p) => `  ${formatProblem(p)}`)].join('\n');
  if (isDatabaseBusy(error)) return busyMessage;
  const reference = randomBytes(4).toString('hex');
  logger.error({ err: error, reference }, 'command failed');
  return `Something went wrong on our side (reference ${reference}); the details are in Steward's log.`;
}
