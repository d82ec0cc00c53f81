import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';

/** Where GitHub looks for CODEOWNERS, in its order of precedence: the first one found is the only one used. */
export const codeownersLocations = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** GitHub does not load a CODEOWNERS file over 3 MB; neither do we. */
export const maxCodeownersBytes = 3 * 1024 * 1024;

function statOrThrow(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    throw new InputError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, [], { cause: error });
  }
}

/**
 * The CODEOWNERS file a path names: the file itself, or for a repository directory the one GitHub would use.
 * Throws an InputError naming the path when there is none, or when the file is too large for GitHub.
 */
export function locateCodeowners(given: string): string {
  let file = given;
  let stats = statOrThrow(given);
  if (stats.isDirectory()) {
    const found = codeownersLocations
      .map((location) => path.join(given, location))
      .find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile());
    if (found === undefined) throw new InputError(`${given}: no CODEOWNERS file (looked for ${codeownersLocations.join(', ')})`);
    file = found;
    stats = statOrThrow(found);
  }
  if (stats.size > maxCodeownersBytes)
    throw new InputError(`${file}: larger than 3 MB (${stats.size} bytes); GitHub does not load such a CODEOWNERS file, so Steward does not either`);
  return file;
}
