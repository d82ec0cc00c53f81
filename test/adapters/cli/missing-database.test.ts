import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * A mistyped --db or STEWARD_DB is the user's mistake to be told about, not an empty inventory: every command
 * but `import` and `serve` refuses a path with no database (exit 2, naming it) and creates nothing there.
 */

const sampleCsv = path.join(projectRoot, 'samples/inventory/identities.csv');

describe('steward, given a database path where there is none', () => {
  const commands = [['who', 'payments-api'], ['list'], ['audit', 'verify'], ['tick'], ['tick', '--dry-run'], ['attest', 'payments-api', '--as', 'alice@example.com'], ['history', 'payments-api']];

  test.concurrent.each(commands.map((args) => [args.join(' '), args] as const))('when `%s` runs, then it exits 2 naming the path and creates nothing', async (_name, args) => {
    const dir = tempDir();
    const db = path.join(dir, 'mistyped', 'stewrad.db');

    const { code, stdout, stderr } = await runSteward([...args, '--db', db]);

    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`steward: ${db}: there is no Steward database here. Check --db or STEWARD_DB; \`steward import\` and \`steward serve\` create one.\n`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('when `import --dry-run` runs, then it counts against an empty inventory, exits 0 and creates nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'steward.db');

    const { code, stdout } = await runSteward(['import', 'csv', sampleCsv, '--dry-run', '--db', db]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/Identities: +5 to create, 0 to update/);
    expect(stdout).toContain('Dry run: the import is valid; nothing was written.');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('when `import` runs, then it creates the database (and its folder), and `who` finds what it imported', async () => {
    const db = path.join(tempDir(), 'new-folder', 'steward.db');

    expect((await runSteward(['import', 'csv', sampleCsv, '--db', db])).code).toBe(0);

    expect(fs.existsSync(db)).toBe(true);
    expect((await runSteward(['who', 'github-deploy-token', '--db', db])).code).toBe(0);
  });
});
