import { InputError } from '../../src/errors.js';
import { detectSecret, secretKindDescriptions } from '../../src/secrets/detect-secret.js';

/**
 * Refuses a path that looks like a secret (a token pasted after `--db`), without repeating it: every message about a
 * path quotes the path, so the check comes before the path is opened or shown. `what` names the setting, e.g.
 * "the database path (--db or STEWARD_DB)". Only the token formats count: a long random-looking file name is a name.
 */
export function refuseSecretPath(file: string, what: string): void {
  const kind = detectSecret('path', file);
  if (kind === null) return;
  throw new InputError(
    `${what} looks like ${secretKindDescriptions[kind]}; Steward does not take a secret as a path, and nothing was opened or shown. If it is real, revoke it.`,
  );
}
