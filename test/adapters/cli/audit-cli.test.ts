import path from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { removeLastAuditEvent, rewriteAuditEvent } from '../../storage/support/audit-tampering.js';

afterAll(removeTempDirs);

/*
 * `steward audit verify` with the real binary: the head it prints, and `--expect-head` with a head kept earlier,
 * which is what catches a removed last event (the chain alone cannot). Exit codes: 0 intact, 1 findings, 2 bad input.
 */

const sample = (file: string) => path.join(projectRoot, 'samples/inventory', file);
let db = '';
const steward = (...args: string[]) => runSteward([...args, '--db', db]);
const headOf = (stdout: string) => /^Head: (\d+:[0-9a-f]{64})$/m.exec(stdout)?.[1] ?? '';

beforeEach(async () => {
  db = path.join(tempDir(), 'steward.db');
  expect((await steward('import', 'backstage', sample('catalog.yaml'))).code).toBe(0);
  expect((await steward('import', 'csv', sample('identities.csv'))).code).toBe(0);
});

describe('steward audit verify', () => {
  test('when the trail is intact, then it says so, prints the head to keep, and exits 0', async () => {
    const { code, stdout, stderr } = await steward('audit', 'verify');

    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^The audit trail is intact: 2 events, each chained to the one before by its hash\.\nHead: 2:[0-9a-f]{64}\n/);
    expect(stdout).toContain('--expect-head');
  });

  test('when a head kept earlier is given and events were recorded since, then it still holds, and how many came after is said', async () => {
    const kept = headOf((await steward('audit', 'verify')).stdout);
    expect((await steward('tick', '--at', '+1d')).code).toBe(0);

    const { code, stdout } = await steward('audit', 'verify', '--expect-head', kept);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`The head kept \\(${kept}\\) still holds: event 2 has that hash, and \\d+ events were recorded after it\\.`));
    const json = JSON.parse((await steward('audit', 'verify', '--expect-head', kept.toUpperCase(), '--json')).stdout) as { ok: boolean; head: { events: number }; expected: { held: boolean; after: number } };
    expect(json).toMatchObject({ ok: true, head: { events: expect.any(Number) }, expected: { held: true, events: 2 } });
    expect(json.expected.after).toBe(json.head.events - 2);
  });

  test('when the last event is removed behind Steward’s back, then plain verify passes, but the head kept before fails it with exit 1', async () => {
    const kept = headOf((await steward('audit', 'verify')).stdout);
    removeLastAuditEvent(db);

    const plain = await steward('audit', 'verify');
    const expecting = await steward('audit', 'verify', '--expect-head', kept);
    const byHash = await steward('audit', 'verify', '--expect-head', kept.split(':')[1] as string);

    expect(plain).toMatchObject({ code: 0, stdout: expect.stringMatching(/^The audit trail is intact: 1 event,/) });
    expect(expecting.code).toBe(1);
    expect(expecting.stdout).toContain(`The head kept (${kept}) is gone: the trail now holds 1 event, and that head was event 2. Events were removed from its end since that head was kept.`);
    expect(byHash.code).toBe(1);
    expect(byHash.stdout).toContain('no event has that hash. Events were removed or rewritten since that head was kept.');
    expect(JSON.parse((await steward('audit', 'verify', '--expect-head', kept, '--json')).stdout)).toMatchObject({ ok: true, events: 1, expected: { held: false, reason: 'shorter', events: 2 } });
  });

  test('when an event is edited in place, then the chain is broken there and it exits 1', async () => {
    rewriteAuditEvent(db, 1, 'cli:mallory@laptop');

    const { code, stdout } = await steward('audit', 'verify');

    expect(code).toBe(1);
    expect(stdout).toMatch(/^The audit trail is broken at event 1: it does not follow from the event before it/);
  });

  test.each([['2:abc'], ['head'], [`x:${'a'.repeat(64)}`]])('when the head given is malformed (%s), then it exits 2 with the usage', async (head) => {
    const { code, stdout, stderr } = await steward('audit', 'verify', '--expect-head', head);

    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain('--expect-head takes the head a digest or `audit verify` printed');
  });
});
