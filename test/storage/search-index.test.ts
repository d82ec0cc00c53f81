import { describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';

/** FTS5's own check of the trigram index against `items` (its external content): throws when they differ. */
function expectIndexInStep(store: SqliteStore): void {
  expect(() => store.db.exec("INSERT INTO items_search (items_search, rank) VALUES ('integrity-check', 1)")).not.toThrow();
}

function searchTriggers(store: SqliteStore): string[] {
  return store.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'items' ORDER BY name").pluck().all();
}

const part = async (store: SqliteStore, text: string) => (await store.searchItems({ text, match: 'substring', limit: 10 })).map((i) => `${i.kind}:${i.ref}`);

const many = (count: number) => Array.from({ length: count }, (_, i) => identityEntry({ ref: `nhi-${i}`, name: `Deploy key ${i}` }));

describe('the trigram index: kept in step with refs and names', () => {
  it('when items are imported one by one, then the index holds them and a part of a name finds them', async () => {
    const store = memoryStore();
    await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'payments-api', name: 'Payments Gateway' }), identityEntry({ ref: 'svc-ledger' })])]);
    expectIndexInStep(store);
    expect(await part(store, 'GATEW')).toEqual(['api:payments-api']);
    expect(await part(store, 'ledg')).toEqual(['identity:svc-ledger']);
  });

  it('when the source renames an item (same key, new ref and name), then the new name is found and the old one no longer', async () => {
    const store = memoryStore();
    const key = { sourceKey: 'api:42' };
    await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'billing-api', name: 'Billing Service' }, key)])]);
    await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'invoicing-api', name: 'Invoicing Service' }, key)])], { at: '2026-11-02T09:00:00Z' });
    expectIndexInStep(store);
    expect(await part(store, 'illing')).toEqual([]);
    expect(await part(store, 'nvoic')).toEqual(['api:invoicing-api']);
  });

  it('when only the case of a name changes, then the index is as it was and still in step', async () => {
    const store = memoryStore();
    await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'ledger', name: 'general ledger' })])]);
    await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'ledger', name: 'General Ledger' })])], { at: '2026-11-02T09:00:00Z' });
    expectIndexInStep(store);
    expect(await part(store, 'ral led')).toEqual(['api:ledger']);
  });

  it('when an import is loaded in bulk, then its triggers are back after the commit and the index is rebuilt in step', async () => {
    const store = openSqliteStore(':memory:', { bulkLoadAfter: 10 });
    const triggers = searchTriggers(store);
    expect(triggers).toEqual(['items_search_delete', 'items_search_insert', 'items_search_update']);
    const report = await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'payments-api' }), ...many(50)])]);
    expect(report.sources[0]?.identities.created).toBe(50);
    expect(searchTriggers(store)).toEqual(triggers);
    expectIndexInStep(store);
    expect(await part(store, 'key 42')).toEqual(['identity:nhi-42']);
    // The next import, row by row, keeps it in step again.
    await importSnapshots(store, [snapshot('other', [apiEntry({ ref: 'ledger-api', name: 'General Ledger' })])], { at: '2026-11-02T09:00:00Z' });
    expectIndexInStep(store);
    expect(await part(store, 'neral')).toEqual(['api:ledger-api']);
  });

  it('when a bulk import is refused after the switch, then the triggers and the index are as they were', async () => {
    const store = openSqliteStore(':memory:', { bulkLoadAfter: 10 });
    await importSnapshots(store, [snapshot('first', [apiEntry({ ref: 'payments-api' })])]);
    const triggers = searchTriggers(store);
    const report = await importSnapshots(store, [snapshot('csv', [...many(30), identityEntry({ ref: 'bad', expiresAt: 'not a date' })])]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(searchTriggers(store)).toEqual(triggers);
    expectIndexInStep(store);
    expect(await part(store, 'nhi-')).toEqual([]);
    // And the next import still keeps it in step row by row.
    await importSnapshots(store, [snapshot('first', [apiEntry({ ref: 'payments-api' }), apiEntry({ ref: 'payouts-api' })])], { at: '2026-11-02T09:00:00Z' });
    expectIndexInStep(store);
    expect(await part(store, 'outs-')).toEqual(['api:payouts-api']);
  });
});
