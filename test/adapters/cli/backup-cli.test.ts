import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { type AuditWriter, startAuditWriter } from '../../storage/support/audit-tampering.js';

afterAll(removeTempDirs);

/*
 * `steward backup <file>` with the real binary: SQLite's online backup while another process keeps writing, the
 * copy checked, restored as the README says, and refusals of a path that cannot take it (exit 2, nothing written).
 */

const sample = (file: string) => path.join(projectRoot, 'samples/inventory', file);
let writer: AuditWriter | undefined;
afterEach(async () => {
  await writer?.stop();
  writer = undefined;
});

async function sourceDatabase(): Promise<{ dir: string; db: string }> {
  const dir = tempDir();
  const db = path.join(dir, 'steward.db');
  expect((await runSteward(['import', 'backstage', sample('catalog.yaml'), '--db', db])).code).toBe(0);
  expect((await runSteward(['import', 'csv', sample('identities.csv'), '--db', db])).code).toBe(0);
  return { dir, db };
}

const headIn = (stdout: string) => /head (\d+:[0-9a-f]{64})/.exec(stdout)?.[1] ?? '';
const position = (head: string) => Number(head.split(':')[0]);

describe('steward backup', () => {
  test('when another process keeps writing, then the copy holds everything committed before it began, verifies, and restores', async () => {
    const { dir, db } = await sourceDatabase();
    // Tens of megabytes of events first, so the copy takes a while; then one event per transaction, as `serve` writes.
    writer = startAuditWriter(db, 150_000);
    await writer.nextCommit();
    const committedBefore = await writer.nextCommit();
    const copy = path.join(dir, 'backups', 'steward-2026-12-07.db');
    fs.mkdirSync(path.dirname(copy));

    const backup = await runSteward(['backup', copy, '--db', db]);
    const committedAfter = writer.lastCommitted() ?? '';

    expect([backup.code, backup.stderr]).toEqual([0, '']);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up ${db} to ${copy}: 14 items, \\d+ audit events, head \\d+:[0-9a-f]{64}; the copy verifies \\(integrity ok, audit trail intact\\)\\.\\n$`));
    const copied = headIn(backup.stdout);
    // The writer went on while the backup ran; the copy is one snapshot between what was committed before and after.
    expect(position(committedAfter)).toBeGreaterThan(position(committedBefore));
    expect(position(copied)).toBeGreaterThanOrEqual(position(committedBefore));
    expect(position(copied)).toBeLessThanOrEqual(position(committedAfter));
    expect(await runSteward(['audit', 'verify', '--expect-head', committedBefore, '--db', copy])).toMatchObject({ code: 0, stdout: expect.stringContaining('still holds') });
    await writer.stop();
    // A snapshot, not a mix: what the copy holds is exactly the start of what the database holds.
    expect(await runSteward(['audit', 'verify', '--expect-head', copied, '--db', db])).toMatchObject({ code: 0, stdout: expect.stringContaining('still holds') });
    expect(fs.readdirSync(path.dirname(copy))).toEqual(['steward-2026-12-07.db']);

    // Restored as the README says: serve stopped (the writer is), the copy over the database, its -wal and -shm removed.
    fs.copyFileSync(copy, db);
    for (const side of ['-wal', '-shm']) fs.rmSync(`${db}${side}`, { force: true });
    const [verified, who, list] = await Promise.all([
      runSteward(['audit', 'verify', '--expect-head', copied, '--db', db]),
      runSteward(['who', 'github-deploy-token', '--db', db]),
      runSteward(['list', '--db', db]),
    ]);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringContaining('and 0 events were recorded after it') });
    expect(who).toMatchObject({ code: 0, stdout: expect.stringMatching(/^github-deploy-token \(identity\)/) });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('payments-api');
  }, 60_000);

  test('when the file is already there, then it is refused with exit 2 and left as it was', async () => {
    const { dir, db } = await sourceDatabase();
    const copy = path.join(dir, 'copy.db');
    fs.writeFileSync(copy, 'last week’s backup');

    const { code, stdout, stderr } = await runSteward(['backup', copy, '--db', db]);

    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(`steward: ${copy}: cannot write the backup: a file is already there, and a backup never overwrites one: choose a new name (the date in it helps) or move that file away. Nothing was written.\n`);
    expect(fs.readFileSync(copy, 'utf8')).toBe('last week’s backup');
  });

  test('when the folder does not exist, then it is refused with exit 2 naming the folder, and nothing is made', async () => {
    const { dir, db } = await sourceDatabase();
    const before = fs.readdirSync(dir);

    const { code, stdout, stderr } = await runSteward(['backup', 'backpus/copy.db', '--db', db], { cwd: dir });

    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toBe(
      `steward: backpus/copy.db: cannot write the backup: the folder ${path.join(fs.realpathSync(dir), 'backpus')} does not exist: create it first (a backup makes none, so a mistyped path does not become a new tree). Nothing was written.\n`,
    );
    expect(fs.readdirSync(dir)).toEqual(before);
  });

  test('when a part of the path is a file, then it is refused with exit 2', async () => {
    const { dir, db } = await sourceDatabase();

    const { code, stderr } = await runSteward(['backup', path.join(db, 'copy.db'), '--db', db]);

    expect(code).toBe(2);
    expect(stderr).toBe(`steward: ${path.join(db, 'copy.db')}: cannot write the backup: ${db}: a part of that path is a file, not a folder. Nothing was written.\n`);
    expect(fs.readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([]);
  });

  test('when there is no database, then it is refused with exit 2 and no copy is made', async () => {
    const dir = tempDir();

    const { code, stderr } = await runSteward(['backup', path.join(dir, 'copy.db'), '--db', path.join(dir, 'nowhere.db')]);

    expect(code).toBe(2);
    expect(stderr).toContain('there is no Steward database here');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('when no file is named, then it exits 2 with the usage', async () => {
    const { code, stderr } = await runSteward(['backup']);

    expect(code).toBe(2);
    expect(stderr).toContain('say where to write the copy');
  });
});
