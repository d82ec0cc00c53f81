import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import { openSqliteStore } from '../../storage/sqlite-store.js';
import { projectRoot } from '../support/fixtures.js';
import { describeStoreContract } from './contract/store-contract.js';

/*
 * The store contract, run against the SQLite implementation twice: a fresh migrated `:memory:` database (what
 * the other tests use), and a real file in a temporary folder (what `steward` runs on), which also lets a second
 * connection open the same database, as another process would.
 */

describeStoreContract('SQLite in memory', async () => openSqliteStore(':memory:'));

const folders = new Map<Store, string>();

describeStoreContract(
  'SQLite file',
  async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-contract-'));
    const store = openSqliteStore(path.join(folder, 'steward.db'));
    folders.set(store, folder);
    return store;
  },
  {
    closeStore: async (store) => {
      await store.close();
      const folder = folders.get(store);
      folders.delete(store);
      if (folder) fs.rmSync(folder, { recursive: true, force: true });
    },
    openSameDatabase: async (store) => {
      const folder = folders.get(store);
      if (!folder) throw new Error('store contract: no file behind this store');
      return openSqliteStore(path.join(folder, 'steward.db'), { mustExist: true });
    },
  },
);

describe('the store contract itself', () => {
  it('when its files are read, then none imports storage/ or a database library: any implementation can run it', () => {
    const folder = path.join(projectRoot, 'test/storage/contract');
    const imports = fs
      .readdirSync(folder)
      .flatMap((file) => [...fs.readFileSync(path.join(folder, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => ({ file, from: m[1] ?? '' })));
    expect(imports.length).toBeGreaterThan(10);
    expect(imports.filter(({ from }) => /(^|\/)storage\/|better-sqlite3|^pg$|^postgres/.test(from))).toEqual([]);
  });
});
