import type { Problem } from './inventory/source-location.js';

/**
 * Bad input from a user or a file: reported with its locations and exit code 2, never as a stack trace.
 * The handful of error classes follows Backstage's catalog (InputError, NotFoundError, ConflictError).
 */
export class InputError extends Error {
  readonly problems: readonly Problem[];

  constructor(message: string, problems: readonly Problem[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
    this.problems = problems;
  }
}

export class NotFoundError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConflictError';
  }
}
