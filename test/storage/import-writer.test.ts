import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry, findingEntry, identityEntry, personEntry, snapshot, suggestionEntry, teamEntry } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';

const day1 = '2026-11-01T09:00:00.000Z';
const day2 = '2026-11-02T09:00:00.000Z';
const day3 = '2026-11-03T09:00:00.000Z';

async function importAt(store: SqliteStore, at: string, source: string, entries: RawEntry[], dryRun = false) {
  return importSnapshots(store, [snapshot(source, entries)], { at, dryRun });
}

function auditEvents(store: SqliteStore, action?: string) {
  const rows = store.db.prepare<[], { action: string; subject: string | null; item_id: number | null; details: string }>('SELECT action, subject, item_id, details FROM audit_events ORDER BY id').all();
  return rows
    .filter((r) => action === undefined || r.action === action)
    .map((r) => ({ action: r.action, subject: r.subject, itemId: r.item_id, details: JSON.parse(r.details) as Record<string, unknown> }));
}

function itemId(store: SqliteStore, kind: string, ref: string): number | undefined {
  return store.db.prepare<[string, string], { id: number }>('SELECT id FROM items WHERE kind = ? AND ref = ?').get(kind, ref)?.id;
}

const owned = (team: string, accountable?: string) => ({ team, ...(accountable === undefined ? {} : { accountable }) });

describe('import writer: counts in the report', () => {
  it('when items are new, then they are counted as created', async () => {
    const report = await importAt(memoryStore(), day1, 'csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' }), identityEntry({ ref: 'k' })]);
    expect(report).toMatchObject({ applied: true, dryRun: false, invalid: 0 });
    expect(report.sources[0]).toMatchObject({
      source: 'csv',
      apis: { created: 2, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 },
      identities: { created: 1, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 },
    });
  });

  it('when the same snapshot is imported again, then every item is unchanged', async () => {
    const store = memoryStore();
    const entries = () => [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') }), identityEntry({ ref: 'k', scopes: ['s3:GetObject'] })];
    await importAt(store, day1, 'csv', entries());
    const report = await importAt(store, day2, 'csv', entries());
    expect(report.sources[0]).toMatchObject({ apis: { created: 0, updated: 0, unchanged: 1 }, identities: { created: 0, updated: 0, unchanged: 1 }, ownershipChanges: 0 });
  });

  it('when one item changes, then it alone is counted as updated', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', purpose: 'now documented' }), apiEntry({ ref: 'b' })]);
    expect(report.sources[0]?.apis).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it('when only an item’s links change, then it is counted as updated', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', links: [{ relation: 'depends_on', kind: 'api', ref: 'ledger' }] })]);
    expect(report.sources[0]?.apis).toMatchObject({ updated: 1, unchanged: 0 });
    expect(auditEvents(store, 'item.links_changed').map((e) => e.details.links)).toEqual([['depends_on api:ledger']]);
  });
});

describe('import writer: re-import keeps identity and history', () => {
  it('when an item is re-imported, then it keeps its id and first-seen time', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' })]);
    const id = itemId(store, 'api', 'a');
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', purpose: 'changed' })]);
    expect(itemId(store, 'api', 'a')).toBe(id);
    expect((await store.getItemDetail('api', 'a'))?.item.provenance).toMatchObject({ firstSeenAt: day1, lastSeenAt: day2, vanishedAt: null });
  });

  it('when an item’s facts change, then an item.updated event records the diff', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [identityEntry({ ref: 'k', purpose: 'CI deploys', scopes: ['s3:GetObject'] })]);
    await importAt(store, day2, 'csv', [identityEntry({ ref: 'k', purpose: 'CI and CD deploys', scopes: ['s3:GetObject', 's3:PutObject'] })]);
    expect(auditEvents(store, 'item.updated')).toEqual([
      {
        action: 'item.updated',
        subject: 'k',
        itemId: itemId(store, 'identity', 'k'),
        details: { source: 'csv', changes: { purpose: ['CI deploys', 'CI and CD deploys'], scopes: ['["s3:GetObject"]', '["s3:GetObject","s3:PutObject"]'] } },
      },
    ]);
  });

  it('when nothing changes, then no item.updated event is written', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', purpose: 'x' })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', purpose: 'x' })]);
    expect(auditEvents(store, 'item.updated')).toEqual([]);
  });

  it('when a ref changes only in case, then the item is unchanged and keeps its ref', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'Payments-API', name: 'Payments' }, { sourceKey: 'payments' })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'payments-api', name: 'Payments' }, { sourceKey: 'payments' })]);
    expect(report.sources[0]?.apis).toMatchObject({ unchanged: 1 });
    expect((await store.getItemDetail('api', 'payments-api'))?.item.ref).toBe('Payments-API');
  });

  it('when a source renames an item (same source key, new ref), then the same item takes the new ref', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'old-name' }, { sourceKey: 'k1' })]);
    const id = itemId(store, 'api', 'old-name');
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'new-name' }, { sourceKey: 'k1' })]);
    expect(itemId(store, 'api', 'new-name')).toBe(id);
    expect(itemId(store, 'api', 'old-name')).toBeUndefined();
  });
});

describe('import writer: ownership is history, never overwritten', () => {
  it('when the owner changes, then the old period is closed into history and item.owner_changed is written', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('ledger', 'ben@acme.example') })]);
    expect(report.sources[0]).toMatchObject({ ownershipChanges: 1, apis: { updated: 1 } });
    const detail = await store.getItemDetail('api', 'a');
    expect(detail?.item.owner).toMatchObject({ team: { slug: 'ledger' }, accountable: { email: 'ben@acme.example' }, since: day2 });
    expect(detail?.history).toEqual([{ team: 'payments', accountable: 'ana@acme.example', backup: null, approver: null, fromAt: day1, toAt: day2 }]);
    expect(auditEvents(store, 'item.owner_changed')).toEqual([
      {
        action: 'item.owner_changed',
        subject: 'a',
        itemId: itemId(store, 'api', 'a'),
        details: {
          source: 'csv',
          from: { team: 'payments', accountable: 'ana@acme.example', backup: null, approver: null },
          to: { team: 'ledger', accountable: 'ben@acme.example', backup: null, approver: null },
        },
      },
    ]);
  });

  it('when the owner changes twice, then history holds both earlier periods, newest first', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('ledger', 'ben@acme.example') })]);
    await importAt(store, day3, 'csv', [apiEntry({ ref: 'a', owner: owned('platform', 'cho@acme.example') })]);
    const history = (await store.getItemDetail('api', 'a'))?.history;
    expect(history?.map((h) => [h.team, h.fromAt, h.toAt])).toEqual([
      ['ledger', day2, day3],
      ['payments', day1, day2],
    ]);
  });

  it('when an unowned item gets its first owner, then no empty period enters history', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('payments') })]);
    const detail = await store.getItemDetail('api', 'a');
    expect(detail?.history).toEqual([]);
    expect(detail?.item.owner.since).toBe(day2);
    expect(auditEvents(store, 'item.owner_changed')).toHaveLength(1);
  });

  it('when a claim names only the same team, then the accountable person is kept (merge rule)', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' } })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: { team: 'payments' } })]);
    expect(report.sources[0]).toMatchObject({ ownershipChanges: 0, apis: { unchanged: 1 } });
    expect((await store.getItemDetail('api', 'a'))?.item.owner).toMatchObject({ accountable: { email: 'ana@acme.example' }, backup: { email: 'ben@acme.example' } });
    expect(auditEvents(store, 'item.owner_changed')).toEqual([]);
  });

  it('when a claim moves the item to another team without naming people, then the people are cleared', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('ledger') })]);
    expect((await store.getItemDetail('api', 'a'))?.item.owner).toMatchObject({ team: { slug: 'ledger' }, accountable: null });
  });
});

describe('import writer: vanished items', () => {
  it('when an item is missing from its source’s next snapshot, then it is flagged vanished, not deleted', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' })]);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a' })]);
    expect(report.sources[0]?.apis).toMatchObject({ unchanged: 1, vanished: 1 });
    expect((await store.getItemDetail('api', 'b'))?.item.provenance.vanishedAt).toBe(day2);
    expect(auditEvents(store, 'item.vanished').map((e) => [e.subject, e.details])).toEqual([['b', { source: 'csv' }]]);
  });

  it('when a vanished item is missing again, then it is not counted or flagged a second time', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a' })]);
    const report = await importAt(store, day3, 'csv', [apiEntry({ ref: 'a' })]);
    expect(report.sources[0]?.apis.vanished).toBe(0);
    expect((await store.getItemDetail('api', 'b'))?.item.provenance.vanishedAt).toBe(day2);
  });

  it('when a vanished item comes back, then it reappears with its id and history', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments') })]);
    const id = itemId(store, 'api', 'a');
    await importAt(store, day2, 'csv', []);
    const report = await importAt(store, day3, 'csv', [apiEntry({ ref: 'a', owner: owned('payments') })]);
    expect(report.sources[0]?.apis).toMatchObject({ reappeared: 1, created: 0 });
    expect(itemId(store, 'api', 'a')).toBe(id);
    expect((await store.getItemDetail('api', 'a'))?.item.provenance).toMatchObject({ vanishedAt: null, firstSeenAt: day1, lastSeenAt: day3 });
    expect(auditEvents(store, 'item.reappeared').map((e) => e.subject)).toEqual(['a']);
  });

  it('when another source’s snapshot is imported, then this source’s items do not vanish', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'a' })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'b' })]);
    expect((await store.getItemDetail('api', 'a'))?.item.provenance.vanishedAt).toBeNull();
  });
});

describe('import writer: an item taken over by another source', () => {
  it('when a second source names an item its first source still holds, then the import is refused and changes nothing', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'petstore', owner: owned('team-c') })]);
    const before = dumpTables(store);
    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'petstore', purpose: 'demo' }, { sourceKey: 'petstore-row' })]);
    expect(report.applied).toBe(false);
    expect(report.problems[0]?.message).toMatch(/^api petstore belongs to source catalog; remove it there first/);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when the item has vanished from its first source, then a second source takes the same item over, with a note and an audit event', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'petstore', owner: owned('team-c') })]);
    const id = itemId(store, 'api', 'petstore');
    await importAt(store, day2, 'catalog', []);
    const report = await importAt(store, day3, 'csv', [apiEntry({ ref: 'petstore', purpose: 'demo' }, { sourceKey: 'petstore-row' })]);
    expect(report.sources[0]?.notes).toEqual(['api petstore: taken over from source catalog, where it had vanished']);
    expect(report.sources[0]?.apis).toMatchObject({ created: 0, updated: 1, reappeared: 1 });
    expect(itemId(store, 'api', 'petstore')).toBe(id);
    const detail = await store.getItemDetail('api', 'petstore');
    expect(detail?.item.provenance).toMatchObject({ source: 'csv', sourceKey: 'petstore-row', vanishedAt: null });
    expect(detail?.item.owner.team?.slug).toBe('team-c');
    expect(auditEvents(store, 'item.source_changed')).toEqual([{ action: 'item.source_changed', subject: 'petstore', itemId: id, details: { from: 'catalog', to: 'csv' } }]);
  });

  it('when the first source is imported again after the take-over, then the item does not vanish (it is the other source’s now)', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'petstore' })]);
    await importAt(store, day2, 'catalog', []);
    await importAt(store, day3, 'csv', [apiEntry({ ref: 'petstore' })]);
    const report = await importAt(store, day3, 'catalog', []);
    expect(report.sources[0]?.apis.vanished).toBe(0);
    expect((await store.getItemDetail('api', 'petstore'))?.item.provenance.vanishedAt).toBeNull();
  });
});

describe('import writer: refused imports write nothing', () => {
  it('when two snapshots of one import claim the same ref, then the import is refused', async () => {
    const store = memoryStore();
    const before = dumpTables(store);
    const report = await importSnapshots(store, [snapshot('catalog', [apiEntry({ ref: 'petstore' })]), snapshot('csv', [apiEntry({ ref: 'petstore' })])]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(report.problems).toEqual([
      { at: { file: 'inventory.csv', line: 2 }, field: 'ref', message: 'api petstore appears more than once in this import (also from source catalog)' },
    ]);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when two snapshots claim a ref that one source already holds, then the import is refused whichever comes first', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'petstore' })]);
    const before = dumpTables(store);
    const report = await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'petstore' })]), snapshot('catalog', [apiEntry({ ref: 'petstore' })])], { at: day2 });
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when one snapshot holds a ref twice, then the import is refused', async () => {
    const store = memoryStore();
    const before = dumpTables(store);
    const report = await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }, { sourceKey: 'row-1' }), apiEntry({ ref: 'a' }, { sourceKey: 'row-2', at: { file: 'apis.csv', line: 9 } })]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
    expect(report.problems[0]).toMatchObject({ at: { file: 'apis.csv', line: 9 }, message: expect.stringContaining('appears more than once in this import') });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when one snapshot holds a source key twice, then the import is refused', async () => {
    const store = memoryStore();
    const report = await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }, { sourceKey: 'k' }), apiEntry({ ref: 'a' }, { sourceKey: 'k' })]);
    expect(report).toMatchObject({ applied: false, invalid: 1 });
  });

  it('when the import is a dry run, then every table is as it was and the counts say what would happen', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') }), apiEntry({ ref: 'b' })]);
    const before = dumpTables(store);
    const report = await importAt(
      store,
      day2,
      'csv',
      [apiEntry({ ref: 'a', owner: owned('ledger') }), apiEntry({ ref: 'c' }), teamEntry('ledger', { members: ['ben@acme.example'] }), findingEntry('root')],
      true,
    );
    expect(report).toMatchObject({ dryRun: true, applied: false, invalid: 0 });
    expect(report.sources[0]).toMatchObject({ apis: { created: 1, updated: 1, vanished: 1 }, ownershipChanges: 1 });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when the last entry of an import is invalid, then nothing at all is written', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' })]);
    const before = dumpTables(store);
    const report = await importSnapshots(
      store,
      [
        snapshot('csv', [apiEntry({ ref: 'a', purpose: 'changed', owner: owned('payments', 'ana@acme.example') }), apiEntry({ ref: 'new' }), teamEntry('payments')]),
        snapshot('aws', [identityEntry({ ref: 'k1' }), identityEntry({ ref: 'k2', expiresAt: 'not a date' })]),
      ],
      { at: day2 },
    );
    expect(report).toMatchObject({ applied: false, invalid: 1, problemCount: 1 });
    expect(report.problems).toEqual([{ at: { file: 'inventory.csv', line: 2 }, field: 'expiresAt', message: expect.stringContaining('ISO 8601') }]);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when many entries are invalid, then all are counted and the problems reported are capped', async () => {
    const store = memoryStore();
    const bad = Array.from({ length: 600 }, (_, i) => apiEntry({ ref: `api-${i}`, exposure: 'galactic' }));
    const report = await importAt(store, day1, 'csv', bad);
    expect(report).toMatchObject({ applied: false, invalid: 600, problemCount: 600 });
    expect(report.problems).toHaveLength(500);
  });

  it('when a team names itself as its parent, then the import is refused', async () => {
    const store = memoryStore();
    const report = await importAt(store, day1, 'backstage', [teamEntry('payments', { parent: 'payments' })]);
    expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ field: 'parent', message: 'team payments cannot be its own parent' }] });
  });

  it('when a source key changes kind, then the import is refused', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'x' }, { sourceKey: 'row' })]);
    const report = await importAt(store, day2, 'csv', [identityEntry({ ref: 'x' }, { sourceKey: 'row' })]);
    expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ message: 'row is an API in this source already' }] });
  });
});

describe('import writer: teams and people', () => {
  it('when a team and its people are declared, then they are stored with lead, channel and members', async () => {
    const store = memoryStore();
    const report = await importAt(store, day1, 'backstage', [
      teamEntry('payments', { name: 'Payments', lead: 'lee@acme.example', channel: '#payments', members: ['ana@acme.example', 'ben@acme.example'] }),
      personEntry('ana@acme.example', { displayName: 'Ana Lima' }),
      personEntry('ben@acme.example', { displayName: 'Ben Ode' }),
      personEntry('lee@acme.example', { displayName: 'Lee Park' }),
      apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') }),
    ]);
    expect(report.sources[0]).toMatchObject({ teams: { created: 1, updated: 0, unchanged: 0 }, people: { created: 3, updated: 0, unchanged: 0 } });
    const team = (await store.getItemDetail('api', 'a'))?.item.owner.team;
    expect(team).toEqual({ slug: 'payments', name: 'Payments', lead: { email: 'lee@acme.example', displayName: 'Lee Park', active: true }, channel: '#payments' });
    expect(members(store, 'payments')).toEqual(['ana@acme.example', 'ben@acme.example']);
  });

  it('when a team is declared again unchanged, then it is counted unchanged; when its name changes, updated', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [teamEntry('payments', { name: 'Payments' })]);
    expect((await importAt(store, day2, 'backstage', [teamEntry('payments', { name: 'Payments' })])).sources[0]?.teams).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await importAt(store, day3, 'backstage', [teamEntry('payments', { name: 'Payments & Billing' })])).sources[0]?.teams).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(auditEvents(store, 'team.updated').map((e) => e.details.name)).toEqual(['Payments & Billing']);
  });

  it('when a person’s display name changes, then they are counted as updated', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [personEntry('ana@acme.example', { displayName: 'Ana Lima' })]);
    const report = await importAt(store, day2, 'backstage', [personEntry('ana@acme.example', { displayName: 'Ana Lima-Souza' })]);
    expect(report.sources[0]?.people).toEqual({ created: 0, updated: 1, unchanged: 0 });
  });

  it('when a person is marked inactive, then person.deactivated is written', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'hr', [personEntry('leo@acme.example')]);
    await importAt(store, day2, 'hr', [personEntry('leo@acme.example', { active: false })]);
    expect(auditEvents(store, 'person.deactivated').map((e) => e.subject)).toEqual(['leo@acme.example']);
  });

  it('when a team or person is only named as an owner, then it is created implicitly, with the slug as name', async () => {
    const store = memoryStore();
    const report = await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' } })]);
    expect(report.sources[0]).toMatchObject({ teams: { created: 1 }, people: { created: 2 } });
    expect((await store.getItemDetail('api', 'a'))?.item.owner).toMatchObject({
      team: { slug: 'payments', name: 'payments', lead: null },
      accountable: { email: 'ana@acme.example', displayName: null, active: true },
      backup: { email: 'ben@acme.example' },
    });
    expect(await store.countInventory()).toEqual({ apis: 1, identities: 0, teams: 1, people: 2 });
  });

  it('when a team named implicitly is declared later in the same import, then it is counted once, as created', async () => {
    const store = memoryStore();
    const report = await importAt(store, day1, 'backstage', [apiEntry({ ref: 'a', owner: owned('payments') }), teamEntry('payments', { name: 'Payments' })]);
    expect(report.sources[0]?.teams).toEqual({ created: 1, updated: 0, unchanged: 0 });
  });

  it('when a source stops stating a membership, then it is removed', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [teamEntry('payments', { members: ['ana@acme.example', 'ben@acme.example'] })]);
    await importAt(store, day2, 'backstage', [teamEntry('payments', { members: ['ana@acme.example'] })]);
    expect(members(store, 'payments')).toEqual(['ana@acme.example']);
  });

  it('when memberships are stated from the person’s side, then they are refreshed the same way', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [personEntry('ana@acme.example', { teams: ['payments', 'ledger'] })]);
    await importAt(store, day2, 'backstage', [personEntry('ana@acme.example', { teams: ['ledger'] })]);
    expect(members(store, 'payments')).toEqual([]);
    expect(members(store, 'ledger')).toEqual(['ana@acme.example']);
  });

  it('when another source is imported, then memberships stated by the first source stay', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [teamEntry('payments', { members: ['ana@acme.example'] })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('payments') })]);
    expect(members(store, 'payments')).toEqual(['ana@acme.example']);
  });

  it('when a declared team and person vanish from their source, then both are flagged', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'backstage', [teamEntry('payments'), personEntry('ana@acme.example')]);
    await importAt(store, day2, 'backstage', []);
    expect(store.db.prepare('SELECT vanished_at FROM teams WHERE slug = ?').get('payments')).toEqual({ vanished_at: day2 });
    expect(store.db.prepare('SELECT vanished_at FROM people WHERE email = ?').get('ana@acme.example')).toEqual({ vanished_at: day2 });
    expect(auditEvents(store).map((e) => e.action)).toEqual(expect.arrayContaining(['team.vanished', 'person.vanished']));
  });

  it('when a person only named as an owner is not named again, then they do not vanish (no source declares them)', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') })]);
    await importAt(store, day2, 'csv', []);
    expect(store.db.prepare('SELECT vanished_at FROM people WHERE email = ?').get('ana@acme.example')).toEqual({ vanished_at: null });
  });
});

describe('import writer: findings and suggestions', () => {
  it('when a finding is no longer reported, then it is resolved; when it is reported again, it reopens', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'aws', [findingEntry('arn:aws:iam::123456789012:root')]);
    await importAt(store, day2, 'aws', []);
    const finding = () => store.db.prepare('SELECT first_seen_at, last_seen_at, resolved_at FROM findings').get();
    expect(finding()).toEqual({ first_seen_at: day1, last_seen_at: day1, resolved_at: day2 });
    await importAt(store, day3, 'aws', [findingEntry('arn:aws:iam::123456789012:root')]);
    expect(finding()).toEqual({ first_seen_at: day1, last_seen_at: day3, resolved_at: null });
  });

  it('when a finding is reported, then the report carries it with its location', async () => {
    const report = await importAt(memoryStore(), day1, 'aws', [findingEntry('root')]);
    expect(report.sources[0]?.findings).toEqual([
      { severity: 'warning', code: 'aws_root_credentials', subject: 'root', message: 'the root account has an access key', at: { file: 'credential-report.csv', line: 2 } },
    ]);
  });

  it('when a source’s suggestions change, then the old ones are replaced', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'catalog', [apiEntry({ ref: 'a' }), apiEntry({ ref: 'b' })]);
    await importAt(store, day1, 'codeowners', [suggestionEntry('a', { owners: ['@acme/payments'], team: 'payments' }), suggestionEntry('b')]);
    await importAt(store, day2, 'codeowners', [suggestionEntry('a', { owners: ['@acme/ledger'], team: 'ledger', reason: 'CODEOWNERS line 4' })]);
    expect((await store.getItemDetail('api', 'a'))?.suggestions).toEqual([{ source: 'codeowners', owners: ['@acme/ledger'], team: 'ledger', reason: 'CODEOWNERS line 4' }]);
    expect((await store.getItemDetail('api', 'b'))?.suggestions).toEqual([]);
  });
});

describe('import writer: an accountable person who is also the backup', () => {
  const sameBackup = (kind: string, ref: string, email: string) => ({
    severity: 'warning',
    code: 'owner_backup_is_accountable',
    subject: `${kind}:${ref}`,
    message: `${kind} ${ref}: ${email} is both its accountable person and its backup, so the escalation ladder's backup rung reaches nobody new; name another backup`,
    at: { file: 'inventory.csv', line: 2 },
  });

  it('when an item names one person as accountable and backup, then the import warns and still applies', async () => {
    const report = await importAt(memoryStore(), day1, 'csv', [
      apiEntry({ ref: 'a', owner: { team: 'pay', accountable: 'ana@acme.example', backup: 'Ana@Acme.example' } }),
      identityEntry({ ref: 'k', owner: { team: 'pay', accountable: 'bo@acme.example', backup: 'cy@acme.example' } }),
    ]);

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.findings).toEqual([sameBackup('api', 'a', 'ana@acme.example')]);
  });

  it('when a later import names as backup the person already accountable, then the merged owner is warned about', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [identityEntry({ ref: 'k', owner: { team: 'pay', accountable: 'bo@acme.example' } })]);

    const report = await importAt(store, day2, 'csv', [identityEntry({ ref: 'k', owner: { team: 'pay', backup: 'bo@acme.example' } })]);

    expect(report.sources[0]?.findings).toEqual([sameBackup('identity', 'k', 'bo@acme.example')]);
  });

  it('when the backup is changed to someone else, then the warning is resolved', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: { team: 'pay', accountable: 'ana@acme.example', backup: 'ana@acme.example' } })]);

    const report = await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: { team: 'pay', accountable: 'ana@acme.example', backup: 'bo@acme.example' } })]);

    expect(report.sources[0]?.findings).toEqual([]);
    expect(store.db.prepare('SELECT code, resolved_at FROM findings').all()).toEqual([{ code: 'owner_backup_is_accountable', resolved_at: day2 }]);
  });
});

describe('import writer: the audit trail', () => {
  it('when an import is applied, then an import.applied event records each source’s counts', async () => {
    const store = memoryStore();
    await importSnapshots(store, [snapshot('csv', [apiEntry()]), snapshot('aws', [identityEntry()])], { at: day1 });
    const applied = auditEvents(store, 'import.applied');
    expect(applied.map((e) => [e.subject, (e.details.apis as { created: number }).created, (e.details.identities as { created: number }).created])).toEqual([
      ['csv', 1, 0],
      ['aws', 0, 1],
    ]);
  });

  it('when several imports have run, then the audit chain verifies', async () => {
    const store = memoryStore();
    await importAt(store, day1, 'csv', [apiEntry({ ref: 'a', owner: owned('payments', 'ana@acme.example') }), apiEntry({ ref: 'b' })]);
    await importAt(store, day2, 'csv', [apiEntry({ ref: 'a', owner: owned('ledger'), purpose: 'x' })]);
    const events = auditEvents(store).length;
    expect(events).toBeGreaterThan(3);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events, brokenAt: null });
  });
});

function members(store: SqliteStore, slug: string): string[] {
  return store.db
    .prepare<[string], { email: string }>(
      'SELECT p.email FROM team_members m JOIN teams t ON t.id = m.team_id JOIN people p ON p.id = m.person_id WHERE t.slug = ? ORDER BY p.email',
    )
    .all(slug)
    .map((r) => r.email);
}
