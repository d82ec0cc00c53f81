import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { importInventory, type PreparableEntries, type PreparedItemEntry } from '../../../src/inventory/import-inventory.js';
import { runTick } from '../../../src/attestation/run-tick.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { dumpTables } from '../../storage/support/dump-tables.js';
import { apiEntry, snapshot } from '../../support/entries.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { plusDays } from '../../support/loop.js';
import { secretShapes } from '../../support/secret-shapes.js';

describe('importInventory: the response', () => {
  it('when one source is given twice in one import, then the import is refused naming the source', async () => {
    const store = memoryStore();
    const twice = [snapshot('csv:apis.csv', [apiEntry({ ref: 'a' })]), snapshot('csv:apis.csv', [apiEntry({ ref: 'b' })])];
    await expect(importSnapshots(store, twice)).rejects.toThrow(InputError);
    await expect(importSnapshots(store, twice)).rejects.toThrow(/source csv:apis\.csv is given twice/);
  });

  it('when a source name is not valid text (a lone surrogate from a project id), then the import is refused naming it', async () => {
    const store = memoryStore();
    await expect(importSnapshots(store, [snapshot('gcp:proj\ud800', [apiEntry()])])).rejects.toThrow(
      new InputError('source "gcp:proj\\ud800" holds a lone UTF-16 surrogate, which is not text; name it with --source'),
    );
  });

  it('when the import is applied, then it is stamped with the clock’s time', async () => {
    const store = memoryStore();
    await importInventory(store, fixedClock('2027-03-04T05:06:07Z'), { snapshots: [snapshot('csv', [apiEntry()])], dryRun: false, actor: 'cli:ana' });
    const detail = await store.getItemDetail('api', 'payments-api');
    expect(detail?.item.provenance.firstSeenAt).toBe('2027-03-04T05:06:07.000Z');
  });
});

describe('importInventory: the stored state', () => {
  it('when one source is given twice, then nothing is written', async () => {
    const store = memoryStore();
    const before = dumpTables(store);
    await expect(importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a' })]), snapshot('csv', [apiEntry({ ref: 'b' })])])).rejects.toThrow();
    expect(dumpTables(store)).toEqual(before);
  });

  it('when an entry holds a secret, then it is checked before storing and the import writes nothing', async () => {
    const store = memoryStore();
    const before = dumpTables(store);
    const report = await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b', purpose: secretShapes.slackBotToken() })])]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when an importer yields an entry it could not read, then it is counted as invalid', async () => {
    const store = memoryStore();
    const unreadable = { type: 'invalid' as const, at: { file: 'apis.csv', line: 3 }, problems: [{ at: { file: 'apis.csv', line: 3 }, field: null, message: 'has 3 fields, the header has 4' }] };
    const report = await importSnapshots(store, [snapshot('csv', [apiEntry(), unreadable])]);
    expect(report).toMatchObject({ applied: false, invalid: 1, problems: unreadable.problems });
  });
});

describe('importInventory: item entries an importer prepares', () => {
  it('when an importer can give its item entries prepared, then the import reads those and builds one only when the store does not find its item as it was', async () => {
    const store = memoryStore();
    let builds = 0;
    const prepared = (ref: string, fingerprint: string): PreparedItemEntry => ({
      type: 'prepared',
      kind: 'api',
      sourceKey: `api:${ref}`,
      ref,
      fingerprint,
      build: () => ((builds += 1), apiEntry({ ref, purpose: `Serves ${fingerprint}` })),
    });
    const entries = (fingerprint: string): PreparableEntries => ({
      [Symbol.iterator]: () => [apiEntry({ ref: 'never-read' })][Symbol.iterator](),
      prepared: () => [prepared('ledger-api', fingerprint), prepared('payments-api', 'v1')],
    });
    expect((await importSnapshots(store, [snapshot('catalog', entries('v1'))])).sources[0]?.apis).toMatchObject({ created: 2 });
    expect(builds).toBe(2);
    const again = await importSnapshots(store, [snapshot('catalog', entries('v2'))], { at: '2026-11-02T09:00:00Z' });
    expect(again.sources[0]?.apis).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(builds).toBe(3);
    expect((await store.getItemDetail('api', 'ledger-api'))?.item).toMatchObject({ purpose: 'Serves v2' });
    expect(await store.getItemDetail('api', 'never-read')).toBeNull();
  });
});

describe('importInventory: time does not go back', () => {
  const importedAt = '2027-03-04T05:06:07.000Z';
  const movedTo = '2027-03-14T09:00:00.000Z';

  it('when a tick --at moved the database ahead of the clock, then an import now is refused, naming the time, and nothing is written; a dry run still counts', async () => {
    const store = memoryStore();
    await importInventory(store, fixedClock(importedAt), { snapshots: [snapshot('csv', [apiEntry({ ref: 'a', owner: { team: 'payments', accountable: 'ana@acme.example' } })])], dryRun: false, actor: 'cli:ana' });
    await runTick(store, defaultPolicy, new Date(movedTo));
    const before = dumpTables(store);

    const later = { snapshots: [snapshot('csv', [apiEntry({ ref: 'a', purpose: 'changed' })])], actor: 'cli:ana' };
    await expect(importInventory(store, fixedClock(plusDays(importedAt, 1)), { ...later, dryRun: false })).rejects.toThrow(
      new InputError(
        "Steward's records already reach 2027-03-14 09:00 UTC, ahead of the clock (a tick --at moved this database on), and time does not go back: an import now would be recorded before them. Import into a database that keeps real time, or once the clock has passed that.",
      ),
    );
    expect(dumpTables(store)).toEqual(before);
    expect((await importInventory(store, fixedClock(plusDays(importedAt, 1)), { ...later, dryRun: true })).sources[0]?.apis.updated).toBe(1);
    expect((await importInventory(store, fixedClock(plusDays(movedTo, 1)), { ...later, dryRun: false })).applied).toBe(true);
  });
});
