import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../../storage/sqlite-store.js';
import { holdWriteLock } from '../../storage/support/sqlite-faults.js';
import { projectRoot } from '../../support/fixtures.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir } from '../../support/run-steward.js';

/*
 * Two writers on one database: a `tick` that meets a long import (which holds the write lock for its whole single
 * transaction) waits for it, and when it does not finish within the busy timeout says so with exit code 75 —
 * never SQLite's "database is locked" as a bug (70). The lock is held here by a connection in the test process,
 * exactly as an import's transaction holds it.
 */

let db: string;
let holder: SqliteStore;
beforeAll(async () => {
  db = path.join(tempDir(), 'steward.db');
  expect((await runSteward(['import', 'csv', path.join(projectRoot, 'samples/inventory/identities.csv'), '--db', db])).code).toBe(0);
  holder = openSqliteStore(db);
});
afterAll(async () => {
  await holder.close();
  removeTempDirs();
});

describe('steward tick, while another process writes to the database', () => {
  test('when the other writer finishes within the busy timeout, then the tick waits for it and runs, exit 0', async () => {
    const lock = holdWriteLock(holder);
    const tick = spawnSteward(['tick', '--db', db]);
    const result = finished(tick);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    lock.release();

    expect(await result).toMatchObject({ code: 0, stderr: '' });
  });

  test('when the other writer holds on past the busy timeout, then the tick says the database is busy and to try again, exit 75, no stack trace', async () => {
    const lock = holdWriteLock(holder);
    try {
      const { code, stdout, stderr } = await runSteward(['tick', '--db', db]);

      expect([code, stdout]).toEqual([75, '']);
      expect(stderr).toBe(
        'steward: the database is busy: another Steward process is writing to it (an import, most likely) and did not finish within 5 seconds. Nothing was changed; try again when it is done (exit code 75).\n',
      );
    } finally {
      lock.release();
    }
  });
});
