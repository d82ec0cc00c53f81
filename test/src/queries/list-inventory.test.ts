import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../../src/inventory/import-entry.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { listInventory } from '../../../src/queries/list-inventory.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry, snapshot } from '../../support/entries.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';

const now = '2027-01-01T00:00:00.000Z';
const clock = fixedClock(now);

async function storeWith(...entries: RawEntry[]): Promise<SqliteStore> {
  const store = memoryStore();
  const report = await importSnapshots(store, [snapshot('catalog', entries)], { at: '2026-12-01T00:00:00Z' });
  expect(report.problems).toEqual([]);
  return store;
}

const refs = (list: { items: ReadonlyArray<{ ref: string }> }) => list.items.map((i) => i.ref);

describe('listInventory: --unowned', () => {
  const owners = (): RawEntry[] => [
    personEntry('ana@acme.example', { active: true }),
    personEntry('leo@acme.example', { active: false }),
    apiEntry({ ref: 'owned', owner: { team: 'payments', accountable: 'ana@acme.example' } }),
    apiEntry({ ref: 'no-team', owner: { accountable: 'ana@acme.example' } }),
    apiEntry({ ref: 'team-only', owner: { team: 'payments' } }),
    apiEntry({ ref: 'nobody' }),
    identityEntry({ ref: 'left-company', owner: { team: 'payments', accountable: 'leo@acme.example' } }),
    identityEntry({ ref: 'backup-left', owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'leo@acme.example' } }),
  ];

  it('when asked for unowned items, then those with no team, no accountable person or an inactive one are listed', async () => {
    const list = await listInventory(await storeWith(...owners()), clock, { unowned: true });
    expect(refs(list)).toEqual(['no-team', 'nobody', 'team-only', 'left-company']);
    expect(list.total).toBe(4);
  });

  it('when the accountable person has vanished from the directory that declared them, then the item is unowned', async () => {
    const store = memoryStore();
    await importSnapshots(store, [snapshot('directory', [personEntry('ana@acme.example')]), snapshot('catalog', [apiEntry({ ref: 'owned', owner: { team: 'payments', accountable: 'ana@acme.example' } })])]);
    expect(refs(await listInventory(store, clock, { unowned: true }))).toEqual([]);
    await importSnapshots(store, [snapshot('directory', [])], { at: '2026-12-02T00:00:00Z' });
    expect(refs(await listInventory(store, clock, { unowned: true }))).toEqual(['owned']);
  });

  it('when the summary row is read, then it names the team and the accountable person', async () => {
    const list = await listInventory(await storeWith(...owners()), clock, { unowned: true, kind: 'identity' });
    expect(list.items).toEqual([{ kind: 'identity', ref: 'left-company', name: 'left-company', team: 'payments', accountable: 'leo@acme.example', expiresAt: null, vanished: false }]);
  });
});

describe('listInventory: --team, --owner, --kind', () => {
  const inventory = (): RawEntry[] => [
    apiEntry({ ref: 'payments-api', owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' } }),
    apiEntry({ ref: 'ledger', owner: { team: 'finance', accountable: 'ben@acme.example' } }),
    identityEntry({ ref: 'svc-payments', owner: { team: 'payments', accountable: 'cho@acme.example' } }),
    identityEntry({ ref: 'svc-unowned' }),
  ];

  it('when a team is given, then only its items are listed', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { team: 'payments' }))).toEqual(['payments-api', 'svc-payments']);
  });

  it('when the team is given in capitals, then it still matches', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { team: 'Payments' }))).toEqual(['payments-api', 'svc-payments']);
  });

  it('when the team is unknown, then nothing is listed', async () => {
    expect(await listInventory(await storeWith(...inventory()), clock, { team: 'nobody' })).toEqual({ items: [], total: 0 });
  });

  it('when an owner is given, then items they are accountable for or back up are listed', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { owner: 'ben@acme.example' }))).toEqual(['ledger', 'payments-api']);
  });

  it('when the owner’s email is in capitals, then it still matches', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { owner: 'Ana@ACME.example' }))).toEqual(['payments-api']);
  });

  it.each([
    ['api', ['ledger', 'payments-api']],
    ['identity', ['svc-payments', 'svc-unowned']],
  ] as const)('when the kind is %s, then only that kind is listed', async (kind, expected) => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { kind }))).toEqual(expected);
  });

  it('when filters are combined, then every one applies', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, { team: 'payments', kind: 'identity' }))).toEqual(['svc-payments']);
  });

  it('when no filter is given, then everything is listed, APIs first, by ref', async () => {
    expect(refs(await listInventory(await storeWith(...inventory()), clock, {}))).toEqual(['ledger', 'payments-api', 'svc-payments', 'svc-unowned']);
  });
});

describe('listInventory: --expiring with a fixed clock', () => {
  const credentials = (): RawEntry[] => [
    identityEntry({ ref: 'expired-last-month', expiresAt: '2026-12-01T00:00:00Z' }),
    identityEntry({ ref: 'expires-in-10-days', expiresAt: '2027-01-11T00:00:00Z' }),
    identityEntry({ ref: 'expires-in-30-days-exactly', expiresAt: '2027-01-31T00:00:00Z' }),
    identityEntry({ ref: 'expires-in-40-days', expiresAt: '2027-02-10T00:00:00Z' }),
    identityEntry({ ref: 'never-expires' }),
    apiEntry({ ref: 'an-api' }),
  ];

  it('when asked for what expires within 30 days, then those and the already expired are listed, soonest first', async () => {
    const list = await listInventory(await storeWith(...credentials()), clock, { expiringDays: 30 });
    expect(refs(list)).toEqual(['expired-last-month', 'expires-in-10-days']);
    expect(list.items[0]?.expiresAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('when asked for what expires within 0 days, then only the already expired are listed', async () => {
    expect(refs(await listInventory(await storeWith(...credentials()), clock, { expiringDays: 0 }))).toEqual(['expired-last-month']);
  });

  it.each([
    ['past year 9999', 3_000_000],
    ['past the last time a Date can hold', 1_000_000_000],
  ])('when the window reaches %s, then every credential with an expiry is listed', async (_what, expiringDays) => {
    const list = await listInventory(await storeWith(...credentials()), clock, { expiringDays });
    expect(list.total).toBe(4);
  });

  it('when the clock moves on, then the window moves with it', async () => {
    const later = fixedClock('2027-01-20T00:00:00Z');
    expect(refs(await listInventory(await storeWith(...credentials()), later, { expiringDays: 30 }))).toEqual([
      'expired-last-month',
      'expires-in-10-days',
      'expires-in-30-days-exactly',
      'expires-in-40-days',
    ]);
  });
});

describe('listInventory: limit and total', () => {
  const many = (): RawEntry[] => Array.from({ length: 7 }, (_, i) => apiEntry({ ref: `api-${i}` }));

  it('when a limit cuts the list, then total still counts every match', async () => {
    const list = await listInventory(await storeWith(...many()), clock, { limit: 3 });
    expect(refs(list)).toEqual(['api-0', 'api-1', 'api-2']);
    expect(list.total).toBe(7);
  });

  it('when the limit is larger than the matches, then total is the count listed', async () => {
    expect(await listInventory(await storeWith(...many()), clock, { limit: 50 })).toMatchObject({ total: 7 });
  });

  it('when the limit equals the matches, then total is exact', async () => {
    expect(await listInventory(await storeWith(...many()), clock, { limit: 7 })).toMatchObject({ total: 7 });
  });

  it('when a limit applies with a filter, then total counts the filtered matches', async () => {
    const store = await storeWith(...many(), identityEntry({ ref: 'id-1' }), identityEntry({ ref: 'id-2' }));
    const list = await listInventory(store, clock, { kind: 'identity', limit: 1 });
    expect(list).toMatchObject({ total: 2 });
    expect(refs(list)).toEqual(['id-1']);
  });
});
