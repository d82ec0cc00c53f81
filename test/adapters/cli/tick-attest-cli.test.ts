import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

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
