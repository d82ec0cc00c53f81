import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * `steward list > /dev/full`: the output cannot be written (a full disk, a quota, a broken device). That is not
 * "findings" (exit 1) and not a stack trace: one line naming the system's code, and exit 70, so a script sees
 * the output is missing. A reader that closed its pipe (EPIPE) stays the quiet case it is (broken-pipe.test.ts).
 */

const sampleCsv = path.join(projectRoot, 'samples/inventory/identities.csv');

async function importedDatabase(): Promise<string> {
  const db = path.join(tempDir(), 'steward.db');
  expect((await runSteward(['import', 'csv', sampleCsv, '--db', db])).code).toBe(0);
  return db;
}

describe.runIf(fs.existsSync('/dev/full'))('steward, when its output cannot be written (/dev/full)', () => {
  test.each([
    ['list', (db: string) => ['list', '--db', db]],
    ['who --json', (db: string) => ['who', 'github-deploy-token', '--json', '--db', db]],
    ['help', () => ['help']],
  ])('when `steward %s > /dev/full` runs, then it says so in one line and exits 70', async (_name, args) => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const child = spawnSteward(args(await importedDatabase()), { stdio: ['ignore', full, 'pipe'] });
      const { code, stderr } = await finished(child);

      expect({ code, stderr }).toEqual({ code: 70, stderr: 'steward: cannot write the output (ENOSPC)\n' });
    } finally {
      fs.closeSync(full);
    }
  });

  test('when standard error cannot be written either, then it still exits 70, without a crash of its own', async () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      const child = spawnSteward(['list', '--db', await importedDatabase()], { stdio: ['ignore', full, full] });
      const { code, signal } = await finished(child);

      expect({ code, signal }).toEqual({ code: 70, signal: null });
    } finally {
      fs.closeSync(full);
    }
  });
});
