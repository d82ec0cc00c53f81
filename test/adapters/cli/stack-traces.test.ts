import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dropTable, refuseAuditEvents } from '../../storage/support/sqlite-faults.js';
import { projectRoot } from '../../support/fixtures.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir, waitForOutput } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * When stack traces are written, as the README's LOG_LEVEL row says: always in `serve`'s log, for its operators;
 * in any other command's log (on the user's terminal) only at debug and trace.
 */

let db: string;
beforeAll(async () => {
  db = path.join(tempDir(), 'steward.db');
  expect((await runSteward(['import', 'csv', path.join(projectRoot, 'samples/inventory/identities.csv'), '--db', db])).code).toBe(0);
  // Every decision writes an audit event: refusing them makes the tick fail inside its transaction, as a bug would.
  refuseAuditEvents(db);
});

const stackInLog = /"stack":"[^"]*\\n\s+at /;

describe('stack traces in the log', () => {
  test("when the README's LOG_LEVEL row is read, then it says what the tests below check", () => {
    const row = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8').split('\n').find((line) => line.startsWith('| `LOG_LEVEL` |')) ?? '';

    expect(row).toContain("`serve`'s log is for operators and its errors always carry their stack trace");
    expect(row).toContain('stack traces appear only at `debug` and `trace`');
  });

  test.each([
    ['warn', false],
    ['info', false],
    ['debug', true],
  ])('when a command fails as a bug would at LOG_LEVEL=%s, then its log has a stack trace: %s', async (level, stack) => {
    const { code, stderr } = await runSteward(['tick', '--db', db], { env: { LOG_LEVEL: level } });

    expect(code).toBe(70);
    expect(stderr).toMatch(/steward: Something went wrong on our side \(reference [0-9a-f]{8}\)/);
    expect(stackInLog.test(stderr)).toBe(stack);
  });

  test("when serve's scheduled tick fails, then its log has the stack trace at the default level", async () => {
    const child = spawnSteward(['serve', '--db', db], { env: { PORT: '0' } });
    const exit = finished(child);
    const logged = await waitForOutput(child.stderr!, /scheduled tick failed[^\n]*\n/);
    child.kill('SIGTERM');
    await exit;

    expect(logged).toMatch(stackInLog);
  });

  test('when serve fails as it starts, then that failure is logged with its stack trace too', async () => {
    const broken = path.join(tempDir(), 'steward.db');
    expect((await runSteward(['import', 'csv', path.join(projectRoot, 'samples/inventory/identities.csv'), '--db', broken])).code).toBe(0);
    dropTable(broken, 'credential_warnings');

    const { code, stderr } = await runSteward(['serve', '--db', broken], { env: { PORT: '0' } });

    expect(code).toBe(70);
    expect(stderr).toMatch(stackInLog);
  });
});
