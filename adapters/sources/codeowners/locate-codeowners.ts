import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import { realFolder, type FileRules } from '../source-files.js';

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

/** The file to read, and the rules it is read by (see source-files.ts). */
export interface CodeownersFile {
  readonly file: string;
  readonly rules: FileRules & { readonly maxBytes: number };
}

/**
 * The CODEOWNERS file a path names: the file itself (the operator's choice), or for a repository directory the
 * one GitHub would use, which must then be a file inside the repository. Throws an InputError naming the path
 * when there is none; the size and the kind of file are checked where it is read.
 */
export function locateCodeowners(given: string): CodeownersFile {
  if (!statOrThrow(given).isDirectory()) return { file: given, rules: { pipes: true, maxBytes: maxCodeownersBytes } };
  const found = codeownersLocations
    .map((location) => path.join(given, location))
    .find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile());
  if (found === undefined) throw new InputError(`${given}: no CODEOWNERS file (looked for ${codeownersLocations.join(', ')})`);
  return { file: found, rules: { within: [realFolder(given)], maxBytes: maxCodeownersBytes } };
}
