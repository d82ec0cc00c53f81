import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import { storeEntry } from '../../src/inventory/import-inventory.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';
import { loopPolicy, plusDays, tick } from '../support/loop.js';
import { dumpTables } from './support/dump-tables.js';

const day1 = '2026-11-01T09:00:00.000Z';
const day2 = '2026-11-02T09:00:00.000Z';
const day3 = '2026-11-03T09:00:00.000Z';

const owned = { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' };
const payments = () => apiEntry({ ref: 'payments-api', purpose: 'Takes card payments', owner: owned, links: [{ relation: 'depends_on', kind: 'api', ref: 'ledger-api' }] });
const ledger = () => apiEntry({ ref: 'ledger-api', owner: { team: 'ledger' } });
const ciKey = () => identityEntry({ ref: 'ci-key', identityKind: 'api_key', scopes: ['deploy:read'], expiresAt: '2027-03-01', owner: owned, links: [{ relation: 'serves', kind: 'api', ref: 'payments-api' }] });

async function importAt(store: SqliteStore, at: string, entries: RawEntry[], dryRun = false) {
  return importSnapshots(store, [snapshot('catalog', entries)], { at, dryRun });
}

/** The rows an unchanged re-import must leave exactly as they were. */
function itemRows(store: SqliteStore) {
  const { items, item_links, ownership_periods } = dumpTables(store);
  return { items, item_links, ownership_periods };
}

describe('re-importing unchanged entries', () => {
  it('when the same snapshot is imported again, then every item is counted unchanged and no item, link or history row is written', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ledger(), ciKey()]);
    const before = itemRows(store);
    const report = await importAt(store, day2, [payments(), ledger(), ciKey()]);
    expect(report.sources[0]).toMatchObject({ apis: { created: 0, updated: 0, unchanged: 2, vanished: 0 }, identities: { unchanged: 1 }, ownershipChanges: 0 });
    expect(itemRows(store)).toEqual(before);
  });

  it('when the same snapshot is imported again, then its items were last seen by that import', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ciKey()]);
    await importAt(store, day2, [payments(), ciKey()]);
    expect((await store.getItemDetail('api', 'payments-api'))?.item.provenance).toMatchObject({ firstSeenAt: day1, lastSeenAt: day2, vanishedAt: null });
  });

  it('when an item kept unchanged vanishes later, then it was last seen by the last import that listed it', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ciKey()]);
    await importAt(store, day2, [payments(), ciKey()]);
    const report = await importAt(store, day3, [payments()]);
    expect(report.sources[0]?.identities).toMatchObject({ vanished: 1, unchanged: 0 });
    expect((await store.getItemDetail('identity', 'ci-key'))?.item.provenance).toMatchObject({ lastSeenAt: day2, vanishedAt: day3 });
  });

  it('when entries come back unchanged, then they are not checked again; a changed one is', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ledger(), ciKey()]);
    let checks = 0;
    const counted = (entry: RawEntry) => {
      const pending = storeEntry(entry);
      return pending.type !== 'pending' ? pending : { ...pending, check: () => ((checks += 1), pending.check()) };
    };
    const entries = [payments(), ledger(), apiEntry({ ...ciKey().data, purpose: 'Deploys' }, { sourceKey: ciKey().sourceKey, labels: undefined })];
    const report = await store.importEntries({ snapshots: [{ source: 'catalog', format: 'test', entries: entries.map(counted) }], at: day2, actor: 'test', dryRun: false });
    expect(report).toMatchObject({ applied: false, invalid: 1 }); // the changed entry was checked: an identity's key now brings an API
    expect(checks).toBe(1);
  });

  it('when an unchanged entry appears twice, then the import is refused as before', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ledger()]);
    const report = await importAt(store, day2, [payments(), ledger(), apiEntry({ ...payments().data }, { at: { file: 'inventory.csv', line: 9 } })]);
    expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ at: { file: 'inventory.csv', line: 9 }, message: expect.stringContaining('more than once') }] });
  });

  it('when an unchanged item names one person as accountable and backup, then its warning stays open', async () => {
    const store = memoryStore();
    const same = () => apiEntry({ ref: 'payments-api', owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'ana@acme.example' } });
    await importAt(store, day1, [same()]);
    const report = await importAt(store, day2, [same()]);
    expect(report.sources[0]?.findings.map((f) => f.code)).toEqual(['owner_backup_is_accountable']);
    expect((dumpTables(store).findings ?? []).map((row) => JSON.parse(row) as { resolved_at: string | null; last_seen_at: string })).toMatchObject([{ resolved_at: null, last_seen_at: day2 }]);
  });

  it('when the owner changed since the last import (a leaver handed over), then the same entry is applied in full, as the first time', async () => {
    const store = memoryStore();
    const people = (anaActive: boolean) => [personEntry('ana@acme.example', { active: anaActive }), personEntry('ben@acme.example')];
    await importAt(store, day1, [...people(false), payments(), ledger()]);
    await tick(store, loopPolicy({ attestation: { firstWithinDays: 1 } }), day1);
    expect((await store.getItemDetail('api', 'payments-api'))?.item.owner).toMatchObject({ accountable: { email: 'ben@acme.example' }, backup: null });

    // The source still names ana (who left) and ben as backup: ben stays accountable, and the merge names him backup too.
    const report = await importAt(store, plusDays(day1, 1), [...people(false), payments(), ledger()]);
    expect(report.sources[0]).toMatchObject({ apis: { unchanged: 1, updated: 1 }, ownershipChanges: 1 });
    expect((await store.getItemDetail('api', 'payments-api'))?.item.owner).toMatchObject({ accountable: { email: 'ben@acme.example' }, backup: { email: 'ben@acme.example' } });
    expect(report.sources[0]?.findings.map((f) => f.code)).toEqual(['owner_backup_is_accountable']);
  });

  it('when an entry changes, then the item takes every fact that differs, its ref in another case too, as the first time it was written', async () => {
    const store = memoryStore();
    await importAt(store, day1, [apiEntry({ ref: 'Payments-API', purpose: 'Takes cards' }, { sourceKey: 'payments' })]);
    const report = await importAt(store, day2, [apiEntry({ ref: 'payments-api', purpose: 'Takes cards and wallets', lifecycle: 'production' }, { sourceKey: 'payments' })]);
    expect(report.sources[0]?.apis).toMatchObject({ updated: 1 });
    expect((await store.getItemDetail('api', 'payments-api'))?.item).toMatchObject({ ref: 'payments-api', purpose: 'Takes cards and wallets', lifecycle: 'production', name: 'payments-api' });
  });

  it('when an unchanged snapshot is a dry run, then it counts what it would keep and writes nothing', async () => {
    const store = memoryStore();
    await importAt(store, day1, [payments(), ledger()]);
    const before = dumpTables(store);
    const report = await importAt(store, day2, [payments(), ledger()], true);
    expect(report).toMatchObject({ applied: false, dryRun: true });
    expect(report.sources[0]?.apis).toMatchObject({ unchanged: 2 });
    expect(dumpTables(store)).toEqual(before);
  });
});
