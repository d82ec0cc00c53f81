import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../src/errors.js';

/*
 * Opening the files an import reads, by one set of rules. A file the operator names on the command line is
 * theirs to choose (a FIFO from `<(…)` included); a file the input leads to — a Backstage Location target, a
 * file found under a folder — must be a regular file inside the catalog's folder or a folder the operator
 * allowed (--allow-root), symlinks resolved. The checks are made on the open descriptor, so the file checked
 * is the file read; a size limit bounds what is read, whatever the file claims to be.
 */

/** The most a catalog YAML file may hold: Backstage entity files are kilobytes; this leaves room for a large org.yaml. */
export const maxCatalogFileBytes = 16 << 20;

export interface FileRules {
  /** Real paths of the folders the file must be inside; absent: anywhere (a file named on the command line). */
  readonly within?: readonly string[];
  /** Also read a FIFO (a file named on the command line); otherwise only regular files. */
  readonly pipes?: boolean;
  /** Refuse a file larger than this. */
  readonly maxBytes?: number;
}

/** Why a file was not read. `errno` is the system's code for a file that could not be opened or read. */
export type FileRefusal =
  | { readonly code: 'missing' }
  | { readonly code: 'folder' }
  | { readonly code: 'outside'; readonly folders: readonly string[] }
  | { readonly code: 'special'; readonly pipes: boolean }
  | { readonly code: 'too_large'; readonly size: number; readonly maxBytes: number }
  | { readonly code: 'unreadable'; readonly errno: string; readonly cause?: unknown };

export type FileRead<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: FileRefusal };

const mebibytes = (bytes: number) => `${bytes / (1 << 20)} MiB`;

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** True when `real` is `folder` or below it; both are real (symlink-free, absolute) paths. */
function isInside(real: string, folder: string): boolean {
  const relative = path.relative(folder, real);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of an open descriptor: where the file is now, whatever the path said a moment ago (Linux). */
function realPathOf(fd: number, file: string): string {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return fs.realpathSync(file);
  }
}

function refusalOf(stats: fs.Stats, real: string, rules: FileRules): FileRefusal | null {
  if (rules.within !== undefined && !rules.within.some((folder) => isInside(real, folder))) return { code: 'outside', folders: rules.within };
  // A format that takes folders looks for one before it opens anything: here a folder is where a file belongs.
  if (stats.isDirectory()) return { code: 'folder' };
  if (!stats.isFile() && !(rules.pipes === true && stats.isFIFO())) return { code: 'special', pipes: rules.pipes === true };
  if (rules.maxBytes !== undefined && stats.size > rules.maxBytes) return { code: 'too_large', size: stats.size, maxBytes: rules.maxBytes };
  return null;
}

/**
 * Opens `file` for reading if the rules allow it, or says why not. Checked before opening (so a device is not
 * even opened) and again on the descriptor (so a file swapped in between is caught). The caller closes the fd.
 */
export function openChecked(file: string, rules: FileRules): FileRead<number> {
  let before: fs.Stats;
  try {
    before = fs.statSync(file);
  } catch (error) {
    return { ok: false, refusal: errnoOf(error) === 'ENOENT' ? { code: 'missing' } : { code: 'unreadable', errno: errnoOf(error), cause: error } };
  }
  let real = file;
  try {
    if (rules.within !== undefined) real = fs.realpathSync(file);
  } catch (error) {
    return { ok: false, refusal: { code: 'unreadable', errno: errnoOf(error), cause: error } };
  }
  const early = refusalOf(before, real, rules);
  if (early !== null) return { ok: false, refusal: early };
  let fd: number;
  try {
    // Non-blocking, so a FIFO swapped in after the check does not hang the open waiting for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (rules.pipes === true ? 0 : fs.constants.O_NONBLOCK));
  } catch (error) {
    return { ok: false, refusal: errnoOf(error) === 'ENOENT' ? { code: 'missing' } : { code: 'unreadable', errno: errnoOf(error), cause: error } };
  }
  const late = refusalOf(fs.fstatSync(fd), rules.within === undefined ? file : realPathOf(fd, file), rules);
  if (late === null) return { ok: true, value: fd };
  fs.closeSync(fd);
  return { ok: false, refusal: late };
}

/** Reads an open descriptor to its end, refusing more than `maxBytes` (a file may grow, and a FIFO has no size). */
function readAll(fd: number, maxBytes: number): FileRead<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
    let bytes: number;
    try {
      bytes = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      return { ok: false, refusal: { code: 'unreadable', errno: errnoOf(error), cause: error } };
    }
    if (bytes === 0) return { ok: true, value: Buffer.concat(chunks, total) };
    chunks.push(chunk.subarray(0, bytes));
    total += bytes;
    if (total > maxBytes) return { ok: false, refusal: { code: 'too_large', size: total, maxBytes } };
  }
}

/** The whole of `file` as bytes, under the rules and at most `maxBytes`. */
export function readChecked(file: string, rules: FileRules & { readonly maxBytes: number }): FileRead<Buffer> {
  const opened = openChecked(file, rules);
  if (!opened.ok) return opened;
  try {
    return readAll(opened.value, rules.maxBytes);
  } finally {
    fs.closeSync(opened.value);
  }
}

/** The refusal in words that follow "<file>: cannot read the file (…)". */
export function describeRefusal(refusal: FileRefusal): string {
  switch (refusal.code) {
    case 'missing':
      return 'ENOENT';
    case 'folder':
      return 'a folder, not a file';
    case 'outside':
      return `it leads outside ${refusal.folders.join(' and ')}; allow its folder with --allow-root DIR`;
    case 'special':
      return refusal.pipes ? 'a device or socket, not a file' : 'a device, FIFO or socket, not a file';
    case 'too_large':
      return `larger than ${mebibytes(refusal.maxBytes)}: ${refusal.size} bytes`;
    case 'unreadable':
      return refusal.errno;
  }
}

/** An InputError for a file that could not be read, naming it. */
export function cannotRead(file: string, refusal: FileRefusal): InputError {
  if (refusal.code === 'folder') return new InputError(`${file}: is a folder; give the file(s)`);
  const cause = refusal.code === 'unreadable' ? refusal.cause : undefined;
  return new InputError(`${file}: cannot read the file (${describeRefusal(refusal)})`, [], cause === undefined ? undefined : { cause });
}

/** The real paths of the folders given with --allow-root; one that is not a folder is refused, naming it. */
export function allowedRoots(folders: readonly string[] | undefined): string[] {
  return (folders ?? []).map((folder) => {
    let real: string;
    try {
      real = fs.realpathSync(folder);
    } catch (error) {
      throw new InputError(`--allow-root ${folder}: not a folder (${errnoOf(error)})`, [], { cause: error });
    }
    if (!fs.statSync(real).isDirectory()) throw new InputError(`--allow-root ${folder}: not a folder`);
    return real;
  });
}

/**
 * The path part of a source's name (`backstage:samples/inventory`): the path, not how it was typed, so importing
 * `samples/inventory/`, `./samples/inventory` or its absolute spelling again is the same source. Relative to the
 * working directory when the path is under it, with no `./` and no trailing slash; absolute otherwise (`../x`
 * would name another file from another folder). Symlinks are not resolved: the name is the one the operator uses.
 */
export function sourcePathOf(given: string, cwd: string = process.cwd()): string {
  const absolute = path.resolve(cwd, given);
  const relative = path.relative(cwd, absolute);
  if (relative === '') return '.';
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? absolute : relative;
}

/** True when `given` names a folder (following a symlink the operator typed). */
export function isFolder(given: string): boolean {
  return fs.statSync(given, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The real path of a folder, for the rule that what is read from it stays inside it. */
export function realFolder(folder: string): string {
  return fs.realpathSync(folder);
}

// Plain code-unit order: the same on every machine and in every locale.
const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The files under `folder` whose names end in one of `extensions` (lower case, with the dot), as paths joined
 * onto `folder`, sorted by path so every run reads them in one order. Hidden entries (`.git`, `.github`) and
 * `node_modules` are skipped; symlinked folders are not entered (a link may loop); symlinked files are listed
 * and judged when read, like any other.
 */
export function filesUnder(folder: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(folder, relative), { withFileTypes: true });
    } catch (error) {
      throw new InputError(`${path.join(folder, relative)}: cannot read the folder (${errnoOf(error)})`, [], { cause: error });
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) found.push(child);
    }
  };
  walk('');
  return found.sort(byPath).map((relative) => path.join(folder, relative));
}
