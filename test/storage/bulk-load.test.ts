import { describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry, identityEntry, snapshot } from '../support/entries.js';
import { importSnapshots } from '../support/import-into-memory.js';

function indexes(store: SqliteStore): Array<{ name: string; sql: string | null }> {
  return store.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as Array<{ name: string; sql: string | null }>;
}

const manyIdentities = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    identityEntry({ ref: `nhi-${i}`, name: `Identity ${i}`, expiresAt: '2027-01-01', owner: { team: `team-${i % 7}`, accountable: `p${i % 11}@example.com` }, links: [{ relation: 'serves', kind: 'api', ref: 'payments' }] }),
  );

describe('bulk loading: indexes rebuilt inside the import transaction', () => {
  it('when an import creates more items than the threshold, then every index is back after the commit and the queries use it', async () => {
    const store = openSqliteStore(':memory:', { bulkLoadAfter: 10 });
    const before = indexes(store);
    const report = await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'payments', name: 'Payments' }), ...manyIdentities(50)])]);
    expect(report.applied).toBe(true);
    expect(report.sources[0]?.identities.created).toBe(50);
    expect(indexes(store)).toEqual(before);
    expect((await store.searchItems({ text: 'Identity 42', match: 'exact', limit: 5 })).map((i) => i.ref)).toEqual(['nhi-42']);
    expect((await store.getItemDetail('api', 'payments'))?.links).toHaveLength(50);
    expect((await store.listItems({ team: 'team-3' })).total).toBe(7);
    const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM items WHERE name = 'x'").all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toContain('items_name');
  });

  it('when a bulk import is refused after the switch, then nothing is written and the indexes are as they were', async () => {
    const store = openSqliteStore(':memory:', { bulkLoadAfter: 10 });
    const before = dumpTables(store);
    const beforeIndexes = indexes(store);
    const bad = identityEntry({ ref: 'bad', expiresAt: 'not a date' });
    const report = await importSnapshots(store, [snapshot('csv', [...manyIdentities(30), bad])]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(indexes(store)).toEqual(beforeIndexes);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when a bulk import is a dry run, then the indexes are as they were', async () => {
    const store = openSqliteStore(':memory:', { bulkLoadAfter: 10 });
    const beforeIndexes = indexes(store);
    const report = await importSnapshots(store, [snapshot('csv', manyIdentities(30))], { dryRun: true });
    expect(report).toMatchObject({ applied: false, dryRun: true });
    expect(indexes(store)).toEqual(beforeIndexes);
  });
});
