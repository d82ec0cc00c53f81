import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { auditEvents } from '../../storage/support/loop-state.js';
import { readmeBlock } from '../../support/readme-block.js';
import { removeTempDirs, runSteward, tempDir, type RunResult } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * `steward tick` and `steward attest` as a user runs them: the real binary on a database holding the sample
 * inventory as of the day it was written for (2026-11-28). Each spawn costs about a second, so the runs that do
 * not depend on each other go together. Answers are recorded at the real time, so their dates are not asserted.
 */

const tom = 'tom.okafor@northwind.example';

describe('steward tick and attest, on the sample inventory', () => {
  let db: string;
  const steward = (...args: string[]) => runSteward([...args, '--db', db]);

  beforeAll(async () => {
    db = path.join(tempDir(), 'steward.db');
    const store = openSqliteStore(db);
    await loadSampleInventoryIfEmpty(store, fixedClock('2026-11-28T09:00:00Z'));
    await store.close();
  });

  test('when the tick runs at a time, then --json prints one decision a line, the messages stay queued, and the same tick again does nothing', async () => {
    const first = await steward('tick', '--at', '2026-12-01T09:00Z', '--json');

    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(Object.keys(line).slice(0, 4)).toEqual(['type', 'item', 'person', 'level']);
    expect(lines).toContainEqual(expect.objectContaining({ type: 'open_attestation', item: 'ledger-api', person: tom, level: null }));
    expect(lines).toContainEqual(expect.objectContaining({ type: 'queue', item: 'legacy-soap-gateway', person: null, queue: 'security', reason: 'unowned' }));
    expect(lines).toContainEqual(expect.objectContaining({ type: 'warn_expiry', item: 'github-deploy-token', person: 'priya.shah@northwind.example', offsetDays: 7 }));
    expect(first.stderr).toMatch(/^\d+ messages queued in the outbox; `steward serve` delivers them/);

    const again = await steward('tick', '--at', '2026-12-01T09:00Z');

    expect(again).toMatchObject({ code: 0, stdout: 'Tick at 2026-12-01 09:00 UTC: nothing was due.\nNo new messages.\n', stderr: '' });
  });

  test('when attest is asked by the wrong person, of an item with nothing open, without --as, or of no item, then each is refused in words with its exit code', async () => {
    const [wrongPerson, stranger, nothingOpen, nobody, noItem] = await Promise.all([
      steward('attest', 'ledger-api', '--as', 'priya.shah@northwind.example'),
      steward('attest', 'ledger-api', '--as', 'nobody@northwind.example'),
      steward('attest', 'payments-api', '--as', 'alice.nguyen@northwind.example'),
      steward('attest', 'ledger-api'),
      steward('attest', 'ledger-apx', '--as', tom),
    ]);

    expect(wrongPerson).toMatchObject({ code: 1, stdout: '', stderr: "Only ledger-api's accountable person (tom.okafor@northwind.example) or backup (none) can answer for it.\n" });
    expect(stranger).toMatchObject({ code: 2, stdout: '', stderr: 'Steward does not know you: ask your security team to add you to the inventory.\n' });
    expect(nothingOpen.code).toBe(1);
    expect(nothingOpen.stderr).toMatch(/^payments-api has no open attestation (?:to answer; the next one is due on|yet: one is due since) 2026-12-0\d/);
    expect(nobody).toMatchObject({ code: 2, stderr: 'Say who is answering: attest <ref> --as EMAIL (the accountable person or the backup).\n' });
    expect(noItem).toMatchObject({ code: 2, stderr: 'No API or identity has the ref ledger-apx (did you mean `ledger-api`?). (`who ledger-apx` searches by name and part of a ref.)\n' });
  });

  test('when the owner attests, then it is recorded once, a second answer says so, and the audit trail shows both and the refusals', async () => {
    const attested = await steward('attest', 'ledger-api', '--as', tom, '--note', 'still the ledger');

    expect(attested.code).toBe(0);
    expect(attested.stdout).toMatch(/^ledger-api: confirmed\. Next asked \d{4}-\d\d-\d\d\.\n$/);

    const [twice, history, verified] = await Promise.all([steward('attest', 'ledger-api', '--as', tom), steward('history', 'ledger-api'), steward('audit', 'verify')]);

    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^ledger-api has no open attestation to answer; the next one is due on \d{4}-\d\d-\d\d\.\n$/);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/2026-12-01 09:00 UTC {2}steward:tick +asked tom\.okafor@northwind\.example to confirm it \(attestation \d+\), due 2026-12-08\n/);
    expect(history.stdout).toMatch(/priya\.shah@northwind\.example +refused an answer: not theirs to answer\n/);
    expect(history.stdout).toMatch(/tom\.okafor@northwind\.example +confirmed \(attestation \d+\); note: still the ledger\n/);
    expect(history.stdout).toMatch(/\nNow: next asked on \d{4}-\d\d-\d\d\.\n$/);
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^The audit trail is intact: \d+ events/) });
  });
});

describe("the README's attestation loop from the command line, run as written", () => {
  test('when its commands are run in order with the real binary, then each does what the README says, and no history runs backwards', async () => {
    const lines = readmeBlock('### The attestation loop from the command line');
    const db = path.join(tempDir(), 'steward-cli.db');
    let dbVariable: string | undefined;
    let policy: string | undefined;
    const ran: Array<{ line: string; result: RunResult }> = [];
    for (const line of lines) {
      // The block's own scratch database stands for the test's; its policy is the one it names.
      const exported = /^export STEWARD_DB=(\S+) STEWARD_POLICY=(\S+)$/.exec(line);
      if (exported) {
        dbVariable = exported[1];
        policy = exported[2];
        continue;
      }
      if (line === `rm -f ${dbVariable ?? '?'}*`) continue;
      const [command, pipe] = line.split(' | ');
      const words = splitCommandLine(command ?? '');
      if (words?.[0] !== 'npx' || words[1] !== 'steward') throw new Error(`the README's block has a line this test cannot run: ${line}`);
      const result = await runSteward(words.slice(2), { env: { STEWARD_DB: db, ...(policy === undefined ? {} : { STEWARD_POLICY: policy }) } });
      ran.push({ line, result });
      // What `| jq` reads: one JSON object a line.
      if (pipe !== undefined) for (const json of result.stdout.trimEnd().split('\n')) expect(JSON.parse(json), line).toHaveProperty('type');
    }
    expect(dbVariable).toBe('/tmp/steward-cli.db');

    const said = (start: string) => ran.find(({ line }) => line.startsWith(start))?.result;
    expect(ran.map(({ line, result }) => [line, result.code])).toEqual(ran.map(({ line }) => [line, 0]));
    expect(ran.find(({ line }) => line === 'npx steward tick')?.result.stdout).toMatch(/attestations? opened/);
    expect(said('npx steward attest')?.stdout).toMatch(/^payments-api: confirmed/);
    expect(said('npx steward tick --at +3d --dry-run')?.stdout).toMatch(/^Dry run of the tick at /);
    expect(said('npx steward tick --at +3d --json')?.stdout).toContain('"type":"remind"');
    expect(said('npx steward history payments-api')?.stdout).toMatch(/asked alice\.nguyen@northwind\.example to confirm it[\s\S]*alice\.nguyen@northwind\.example +confirmed/);
    expect(said('npx steward history ledger-api')?.stdout).toMatch(/asked tom\.okafor@northwind\.example to confirm it[\s\S]*reminded tom\.okafor@northwind\.example/);

    // Every event, across every item, in the order it was recorded: never earlier than the one before.
    const store = openSqliteStore(db);
    const times = auditEvents(store).map((event) => event.at);
    await store.close();
    expect(times.length).toBeGreaterThan(10);
    expect(times).toEqual([...times].sort());
  });
});
