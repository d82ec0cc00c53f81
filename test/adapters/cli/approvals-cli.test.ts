import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { auditEvents } from '../../storage/support/loop-state.js';
import { readmeBlockLines } from '../../support/readme-block.js';
import { removeTempDirs, runSteward, tempDir, type RunResult } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * The README's approvals from the command line, run as written with the real binary: each line exits as its
 * comment says (`exit 1`, `exit 2`; 0 when it says nothing), and says what the README promises. The database is
 * the test's own, standing for the block's scratch file; the time is the real one, so dates are relative.
 */
describe("the README's approvals from the command line, run as written", () => {
  test('when its commands are run in order, then each request goes to its approver, refusals change nothing, and the trail tells the story', async () => {
    const lines = readmeBlockLines('### Approvals from the command line');
    const db = path.join(tempDir(), 'steward-approvals.db');
    let scratch: string | undefined;
    let policy: string | undefined;
    const ran: Array<{ command: string; expected: number; result: RunResult }> = [];
    for (const { command, comment } of lines) {
      const exported = /^export STEWARD_DB=(\S+) STEWARD_POLICY=(\S+)$/.exec(command);
      if (exported) {
        [, scratch, policy] = exported;
        continue;
      }
      if (command === `rm -f ${scratch ?? '?'}*`) continue;
      const words = splitCommandLine(command);
      if (words?.[0] !== 'npx' || words[1] !== 'steward') throw new Error(`the README's block has a line this test cannot run: ${command}`);
      const result = await runSteward(words.slice(2), { env: { STEWARD_DB: db, ...(policy === undefined ? {} : { STEWARD_POLICY: policy }) } });
      ran.push({ command, expected: Number(/exit (\d)/.exec(comment)?.[1] ?? 0), result });
    }
    expect(scratch).toBe('/tmp/steward-approvals.db');
    expect(ran.map(({ command, result }) => [command, result.code])).toEqual(ran.map(({ command, expected }) => [command, expected]));

    const said = (start: string) => ran.find(({ command }) => command.startsWith(start))?.result;
    expect(said('npx steward request scope_change')?.stdout).toBe("Request #1 scope change of identity ledger-db-migrator goes to the payments team's channel; it waits for priya.shah@northwind.example.\n");
    expect(said('npx steward approvals --pending')?.stdout).toContain('Pending: waiting for an approval from priya.shah@northwind.example');
    expect(said('npx steward decide 1 approve --as tom')?.stderr).toMatch(/separation of duties/);
    expect(said('npx steward decide 1 approve --reason')?.stdout).toMatch(/^You approved #1 scope change of identity ledger-db-migrator: Approved and applied: scopes ddl:ledger → ddl:ledger dml:ledger\./);
    expect(said('npx steward decide 2 accept')?.stdout).toMatch(/ledger-api is yours now/);
    expect(said('npx steward decide 3 approve --as')?.stderr).toBe('Type legacy-soap-gateway to confirm: approving retires it.\n');
    expect(said('npx steward decide 3 approve --confirm')?.stdout).toMatch(/retire the API \(lifecycle: decommissioned\)/);
    expect(said('npx steward check')?.stderr).toMatch(/partner-acme-client: no expiry — waived until \d{4}-\d\d-\d\d by exception #4/);
    expect(said('npx steward history ledger-db-migrator')?.stdout).toMatch(
      /asked for request #1 \(scope change\)[\s\S]*refused a decision on request #1: their own request[\s\S]*approved request #1 \(scope change\): for the January backfill[\s\S]*scopes changed by request #1[\s\S]*refused a decision on request #1: already decided/,
    );

    // Each decision is recorded once, whatever was pressed twice.
    const store = openSqliteStore(db);
    const decided = auditEvents(store, { action: 'approval.decided' }).map((e) => [e.subject, e.details.status]);
    await store.close();
    expect(decided).toEqual([
      ['ledger-db-migrator', 'approved'],
      ['ledger-api', 'approved'],
      ['legacy-soap-gateway', 'approved'],
      ['partner-acme-client', 'approved'],
    ]);
  });
});
