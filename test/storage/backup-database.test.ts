import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, snapshot } from '../support/entries.js';
import { importSnapshots } from '../support/import-into-memory.js';
import { useTempDir } from '../support/temp-dir.js';

/*
 * backupTo: SQLite's online backup to a new file, checked by reading the copy back. The concurrent case (another
 * process writing while the copy is made) is in test/adapters/cli/backup-cli.test.ts, with real processes.
 */

const dir = useTempDir('backup');
const opened: SqliteStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

async function storeWithItems(): Promise<SqliteStore> {
  const store = openSqliteStore(path.join(dir.path, 'steward.db'));
  opened.push(store);
  await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'ledger-api', owner: { team: 'payments' } }), apiEntry({ ref: 'fx-api' }), identityEntry({ ref: 'deploy-key' })])], { at: '2026-11-01T09:00:00Z' });
  return store;
}

describe('backupTo', () => {
  it('when the database is copied, then the copy holds the same items and audit trail, and the report reads it back', async () => {
    const store = await storeWithItems();
    const target = path.join(dir.path, 'backups', 'steward-2026-11-02.db');
    fs.mkdirSync(path.dirname(target));

    const result = await store.backupTo(target);

    const source = await store.verifyAuditChain();
    expect(result).toEqual({ ok: true, database: path.join(dir.path, 'steward.db'), file: target, items: 3, integrity: { ok: true, problems: [] }, audit: source });
    const copy = openSqliteStore(target, { mustExist: true });
    opened.push(copy);
    expect(await copy.countInventory()).toEqual(await store.countInventory());
    expect(await copy.verifyAuditChain(source.head ?? undefined)).toMatchObject({ ok: true, expected: { held: true, after: 0 } });
  });

  it('when the copy is written, then it is one file, in rollback-journal mode, with nothing left beside it', async () => {
    const store = await storeWithItems();
    const target = path.join(dir.path, 'copy.db');

    await store.backupTo(target);

    expect(fs.readdirSync(dir.path).filter((name) => name.startsWith('copy.db'))).toEqual(['copy.db']);
    const raw = new Database(target, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
    expect(fs.readdirSync(dir.path).filter((name) => name.startsWith('copy.db'))).toEqual(['copy.db']);
  });

  it('when a file is already there, then it is refused and left as it was', async () => {
    const store = await storeWithItems();
    const target = dir.write('old.db', 'keep me');

    expect(await store.backupTo(target)).toEqual({ ok: false, code: 'exists', path: target });
    expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
    expect(fs.readdirSync(dir.path).filter((name) => name.startsWith('old.db'))).toEqual(['old.db']);
  });

  it('when the folder does not exist, then it is refused naming the folder, and no folder is made', async () => {
    const store = await storeWithItems();
    const folder = path.join(dir.path, 'mistyped');

    expect(await store.backupTo(path.join(folder, 'copy.db'))).toEqual({ ok: false, code: 'no_folder', path: folder });
    expect(fs.existsSync(folder)).toBe(false);
  });

  it('when a part of the path is a file, then it is refused as not a folder', async () => {
    const store = await storeWithItems();
    const file = dir.write('notes.txt', 'x');

    expect(await store.backupTo(path.join(file, 'copy.db'))).toEqual({ ok: false, code: 'not_a_folder', path: file });
    expect(await store.backupTo(path.join(file, 'deeper', 'copy.db'))).toEqual({ ok: false, code: 'not_a_folder', path: path.join(file, 'deeper') });
  });

  it('when the path is relative, then it is the current folder’s, reported in full', async () => {
    const store = await storeWithItems();
    const cwd = process.cwd();
    process.chdir(dir.path);
    try {
      expect(await store.backupTo('relative.db')).toMatchObject({ ok: true, file: path.join(fs.realpathSync(dir.path), 'relative.db') });
    } finally {
      process.chdir(cwd);
    }
  });
});
