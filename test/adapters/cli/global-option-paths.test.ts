import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { secretShapes } from '../../support/secret-shapes.js';

afterAll(removeTempDirs);

/*
 * The paths every command takes (--db, STEWARD_DB, --policy, STEWARD_POLICY, `check --policy`) as a careless or
 * hostile command line gives them: a device, a token pasted where the path goes. Each is bad configuration
 * (exit 2) named in one line — never a crash, a hang, a "disk I/O error" as a bug, or the token repeated.
 */

const sampleCsv = path.join(projectRoot, 'samples/inventory/identities.csv');

async function importedDatabase(): Promise<string> {
  const db = path.join(tempDir(), 'steward.db');
  expect((await runSteward(['import', 'csv', sampleCsv, '--db', db])).code).toBe(0);
  return db;
}

describe('steward, given a policy path that is not a policy file', () => {
  test('when `list --policy /dev/zero` runs, then it exits 2 naming the device, without reading it', async () => {
    const db = await importedDatabase();

    const { code, stdout, stderr } = await runSteward(['list', '--db', db, '--policy', '/dev/zero'], { timeoutMs: 15_000 });

    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'steward: /dev/zero: cannot read the policy file (a device or socket, not a file)\n' });
  });

  test('when `check --policy /dev/zero` runs, then it exits 2 naming the device at once, not hanging', async () => {
    const { code, stdout, stderr } = await runSteward(['check', sampleCsv, '--policy', '/dev/zero'], { timeoutMs: 15_000 });

    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'steward: /dev/zero: cannot read the policy file (a device or socket, not a file)\n' });
  });
});

describe('steward, given a token where a path goes', () => {
  const token = secretShapes.slackBotToken();
  const cases = [
    ['--db', (db: string) => ({ args: ['list', '--db', token], env: {}, db })],
    ['--db=', (db: string) => ({ args: ['who', 'x', `--db=${path.join(path.dirname(db), token)}`], env: {}, db })],
    ['STEWARD_DB', (db: string) => ({ args: ['list'], env: { STEWARD_DB: token }, db })],
    ['--db on import', (db: string) => ({ args: ['import', 'csv', sampleCsv, '--db', token], env: {}, db })],
    ['--policy', (db: string) => ({ args: ['list', '--db', db, '--policy', token], env: {}, db })],
    ['STEWARD_POLICY', (db: string) => ({ args: ['list', '--db', db], env: { STEWARD_POLICY: token }, db })],
    ["check's --policy", (db: string) => ({ args: ['check', sampleCsv, '--policy', token], env: {}, db })],
  ] as const;

  test.each(cases)('when %s holds a Slack token, then it exits 2 saying it looks like one, without repeating it or creating anything', async (_name, setUp) => {
    const { args, env } = setUp(await importedDatabase());
    const dir = tempDir();

    const { code, stdout, stderr } = await runSteward(args, { env, cwd: dir });

    expect(code).toBe(2);
    expect(stderr).toMatch(/^steward: the (database|policy file) path \((--db or STEWARD_DB|--policy or STEWARD_POLICY)\) looks like a Slack token; /);
    expect(stdout + stderr).not.toContain(token);
    expect(stdout + stderr).not.toContain(token.slice(0, 12));
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('steward, given a database path that is not a file', () => {
  test.each([
    ['list', '/dev/null'],
    ['list', '/dev/zero'],
    ['import', '/dev/null'],
  ])('when `%s --db %s` runs, then it exits 2 naming the path as no database file, not a disk I/O error', async (command, db) => {
    const args = command === 'import' ? ['import', 'csv', sampleCsv, '--db', db] : [command, '--db', db];

    const { code, stdout, stderr } = await runSteward(args);

    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(`steward: ${db}: cannot open the database: it is a device, FIFO or socket, not a file (set --db or STEWARD_DB to another path)\n`);
  });
});
