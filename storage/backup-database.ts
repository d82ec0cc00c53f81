import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupRefusal, BackupReport, BackupResult } from '../src/ports/store.js';
import { AuditLog } from './audit-log.js';

/** What a file-system or SQLite error while writing the copy says about the path: the user's to fix, not an outage. */
const refusals: Readonly<Record<string, BackupRefusal>> = {
  ENOENT: 'no_folder',
  ENOTDIR: 'not_a_folder',
  EACCES: 'permission_denied',
  EPERM: 'permission_denied',
  EROFS: 'read_only',
  ENOSPC: 'no_space',
  SQLITE_CANTOPEN: 'permission_denied',
  SQLITE_READONLY: 'read_only',
  SQLITE_FULL: 'no_space',
};

// Codes on which a hard link cannot be made here (some file systems), though renaming works.
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1') : undefined;
};

/** What is at `file` (a link itself when not `follow`ing: a dangling link is something there); an error's code when it cannot be looked at. */
function entryAt(file: string, follow: boolean): fs.Stats | undefined | { readonly code: string } {
  try {
    return (follow ? fs.statSync : fs.lstatSync)(file, { throwIfNoEntry: false });
  } catch (error) {
    return { code: codeOf(error) ?? 'EIO' };
  }
}

/** Why nothing can be written at `file`, checked before copying anything: null when it can be. */
function refusalFor(file: string): { code: BackupRefusal; path: string } | null {
  const folder = path.dirname(file);
  const there = entryAt(folder, true);
  if (there === undefined) return { code: 'no_folder', path: folder };
  if ('code' in there) return { code: refusals[there.code] ?? 'no_folder', path: folder };
  if (!there.isDirectory()) return { code: 'not_a_folder', path: folder };
  if (entryAt(file, false) !== undefined) return { code: 'exists', path: file };
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (error) {
    return { code: refusals[codeOf(error) ?? ''] ?? 'permission_denied', path: folder };
  }
  return null;
}

/**
 * Copies the database to `target` with SQLite's online backup and checks the copy. The copy is written beside the
 * target under a temporary name, made a single self-contained file, checked, and only then given the target's
 * name (a hard link, which refuses a file that appeared meanwhile): a half-written copy never has the final name.
 */
export async function backupDatabase(db: Database.Database, target: string): Promise<BackupResult> {
  const file = path.resolve(target);
  const refusal = refusalFor(file);
  if (refusal) return { ok: false, ...refusal };
  // A random name, created here first and exclusively: nothing planted beside the target (a link to another file)
  // can be what SQLite then writes through, or what the clean-up removes.
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(8).toString('hex')}.partial`);
  try {
    fs.closeSync(fs.openSync(partial, 'wx', 0o600));
  } catch (error) {
    const code = refusals[codeOf(error) ?? ''];
    if (code === undefined) throw error;
    return { ok: false, code, path: path.dirname(file) };
  }
  try {
    // All pages in one step: the step reads one snapshot (in WAL mode a reader never blocks `serve`'s writes), and
    // a write by another connection between small steps would restart the copy, forever on a busy database.
    await db.backup(partial, { progress: () => 0x7fffffff });
    singleFile(partial);
    const report = readBack(partial);
    const published = publish(partial, file);
    if (published !== null) return { ok: false, code: published, path: file };
    return { ok: true, database: db.name, file, ...report };
  } catch (error) {
    const code = refusals[codeOf(error) ?? ''];
    if (code === undefined) throw error;
    return { ok: false, code, path: path.dirname(file) };
  } finally {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) fs.rmSync(leftover, { force: true });
  }
}

/**
 * The copy keeps the source's WAL mode, which would make every reader of it create -wal and -shm files beside it:
 * switched to a rollback journal, it is one file to move, and Steward turns WAL on again when it opens it.
 */
function singleFile(file: string): void {
  const copy = new Database(file, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Opens the copy read-only and checks it as a restore would find it: SQLite's integrity check and the audit chain. */
function readBack(file: string): Omit<BackupReport, 'database' | 'file'> {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems = copy.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    const integrity = problems.length === 1 && problems[0]?.integrity_check === 'ok' ? { ok: true, problems: [] } : { ok: false, problems: problems.slice(0, 10).map((p) => p.integrity_check) };
    const items = copy.prepare<[], { n: number }>('SELECT count(*) AS n FROM items').get()?.n ?? 0;
    return { items, integrity, audit: new AuditLog(copy).verify() };
  } finally {
    copy.close();
  }
}

/** Gives the checked copy its name, never over a file; null when done, else why not. */
function publish(partial: string, file: string): BackupRefusal | null {
  try {
    fs.linkSync(partial, file);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'EEXIST') return 'exists';
    if (code === undefined || !noHardLinks.has(code)) throw error;
    if (fs.existsSync(file)) return 'exists';
    fs.renameSync(partial, file);
  }
  syncFolder(path.dirname(file));
  return null;
}

/** Makes the new name durable: without it, a power cut soon after could lose the link though the data was synced. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot sync a folder; the copy itself is already on disk.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
