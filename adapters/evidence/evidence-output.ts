import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { InputError } from '../../src/errors.js';
import { refuseSecretPath } from '../config/secret-path.js';
import { streamSink, type TextSink } from './text-sink.js';

/** Where an export goes: standard output, or a file that appears under its name only once it is whole. */
export interface EvidenceOutput {
  readonly sink: TextSink;
  /** The file written, or null for standard output. */
  readonly file: string | null;
  /** Ends the output: the file is synced and given its name. */
  finish(): Promise<void>;
  /** After a failure: the partial file is removed; nothing appears under the name asked for. */
  discard(): Promise<void>;
}

/**
 * Checks `--out` before anything is read: its folder must exist, and the file must not. An export never replaces a
 * file: an earlier export is evidence too, and overwriting it by a slip of the shell history would lose it; the
 * message says to name another file or remove it first. Bad input throws an InputError naming the path (exit 2).
 */
export function checkEvidenceOut(out: string): string {
  refuseSecretPath(out, 'the file for --out');
  const file = path.resolve(out);
  const folder = path.dirname(file);
  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  if (stat === undefined) throw new InputError(`--out: the folder ${folder} does not exist; create it first or name a file in another folder. Nothing was written.`);
  if (!stat.isDirectory()) throw new InputError(`--out: ${folder} is not a folder. Nothing was written.`);
  if (fs.existsSync(file)) throw new InputError(`--out: ${file} exists already; an export never replaces a file (an earlier export is evidence too). Name another file or remove it first. Nothing was written.`);
  return file;
}

/** Standard output: written as it comes (the command line handles a closed pipe). */
export function stdoutOutput(stdout: Writable): EvidenceOutput {
  const sink = streamSink(stdout);
  return { sink, file: null, finish: () => sink.flush(), discard: async () => {} };
}

/**
 * A file written under a temporary name beside it (`.name.<random>.partial`, so a reader globbing `*.csv` does not
 * pick it up), then linked to its name at the end: a failed or interrupted export never leaves a half file under the
 * name asked for, and a file that appeared there meanwhile is not replaced (link fails where rename would overwrite).
 */
export async function fileOutput(file: string): Promise<EvidenceOutput> {
  const folder = path.dirname(file);
  const temporary = path.join(folder, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.partial`);
  const stream = fs.createWriteStream(temporary, { flags: 'wx' });
  // A write that fails (a full disk) is seen by the next wait for 'drain' or by finish(); never unhandled.
  let failure: Error | null = null;
  stream.on('error', (error) => (failure ??= error));
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new InputError(`--out: Steward may not write in ${folder} (${code}). Nothing was written.`, [], { cause: error });
    throw error;
  }
  const sink = streamSink(stream);
  const checked: TextSink = {
    write: async (text) => {
      if (failure) throw failure;
      await sink.write(text);
    },
    flush: () => sink.flush(),
  };
  return {
    sink: checked,
    file,
    async finish() {
      await sink.flush();
      stream.end();
      await finished(stream);
      if (failure) throw failure;
      // On disk before it has its name: a crash after the link must not leave a named file with missing pages.
      const fd = fs.openSync(temporary, 'r');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      try {
        fs.linkSync(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          fs.rmSync(temporary, { force: true });
          throw new InputError(`--out: ${file} appeared while the export was written; it was left as it is and the export discarded.`);
        }
        // A file system without hard links: rename, having checked the name is still free.
        if (fs.existsSync(file)) {
          fs.rmSync(temporary, { force: true });
          throw error;
        }
        fs.renameSync(temporary, file);
        return;
      }
      fs.rmSync(temporary, { force: true });
    },
    async discard() {
      stream.destroy();
      await finished(stream).catch(() => undefined);
      fs.rmSync(temporary, { force: true });
    },
  };
}
