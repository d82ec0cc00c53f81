import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../../src/inventory/import-entry.js';
import { defaultPolicy, parsePolicy, type Policy } from '../../../src/policy/policy.js';
import { whoOwns, type WhoResult } from '../../../src/queries/who-owns.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry, snapshot, teamEntry } from '../../support/entries.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';

async function storeWith(...entries: RawEntry[]): Promise<SqliteStore> {
  const store = memoryStore();
  const report = await importSnapshots(store, [snapshot('catalog', entries)]);
  expect(report.problems).toEqual([]);
  return store;
}

/** A small inventory with names that share prefixes and parts, as real ones do. */
const inventory = (): RawEntry[] => [
  apiEntry({ ref: 'payments-api', name: 'Payments API', owner: { team: 'payments', accountable: 'ana@acme.example' } }),
  apiEntry({ ref: 'payouts-api', name: 'Payouts API', owner: { team: 'payments' } }),
  apiEntry({ ref: 'petstore', name: 'Swagger Petstore', owner: { team: 'team-c' } }),
  apiEntry({ ref: 'ledger', name: 'General Ledger' }),
  identityEntry({ ref: 'ledger', name: 'ledger writer key', identityKind: 'api_key' }),
  identityEntry({ ref: 'svc-ci-deploy', name: 'CI deploy user', identityKind: 'service_account' }),
];

function found(result: WhoResult) {
  if (result.kind !== 'found') throw new Error(`expected one item, got ${result.kind}: ${JSON.stringify(result)}`);
  return result;
}

const refsOf = (items: ReadonlyArray<{ kind: string; ref: string }>) => items.map((i) => `${i.kind}:${i.ref}`);

describe('whoOwns: finding one item', () => {
  it('when the query is an exact ref, then that item is found with its owner', async () => {
    const result = found(await whoOwns(await storeWith(...inventory()), defaultPolicy, 'payments-api'));
    expect(result.detail.item).toMatchObject({ kind: 'api', ref: 'payments-api', owner: { team: { slug: 'payments' }, accountable: { email: 'ana@acme.example' } } });
  });

  it('when the query is an exact name, then that item is found', async () => {
    const result = found(await whoOwns(await storeWith(...inventory()), defaultPolicy, 'Swagger Petstore'));
    expect(result.detail.item.ref).toBe('petstore');
  });

  it.each(['PAYMENTS-API', 'payments api', 'swagger PETSTORE'])('when the query %s differs only in case, then the item is found', async (query) => {
    const result = found(await whoOwns(await storeWith(...inventory()), defaultPolicy, query));
    expect(['payments-api', 'petstore']).toContain(result.detail.item.ref);
  });

  it('when the query has surrounding spaces, then they are ignored', async () => {
    expect(found(await whoOwns(await storeWith(...inventory()), defaultPolicy, '  petstore ')).detail.item.ref).toBe('petstore');
  });

  it('when one item’s ref equals the query and another’s name does, then the ref wins', async () => {
    const store = await storeWith(apiEntry({ ref: 'billing', name: 'Billing' }), apiEntry({ ref: 'billing-v2', name: 'billing' }));
    expect(found(await whoOwns(store, defaultPolicy, 'billing')).detail.item.ref).toBe('billing');
  });

  it.each([
    ['api:ledger', 'api'],
    ['identity:ledger', 'identity'],
    ['API:ledger', 'api'],
    ['identity: ledger', 'identity'],
  ] as const)('when the query is %s, then only that kind is searched', async (query, kind) => {
    const result = found(await whoOwns(await storeWith(...inventory()), defaultPolicy, query));
    expect(result.detail.item).toMatchObject({ kind, ref: 'ledger' });
  });

  it('when the query is an unambiguous prefix, then the item is found', async () => {
    expect(found(await whoOwns(await storeWith(...inventory()), defaultPolicy, 'petst')).detail.item.ref).toBe('petstore');
  });

  it('when the query is a prefix of a name only, then the item is found', async () => {
    expect(found(await whoOwns(await storeWith(...inventory()), defaultPolicy, 'general')).detail.item.ref).toBe('ledger');
  });

  it('when the query is an unambiguous part of a ref, then the item is found', async () => {
    expect(found(await whoOwns(await storeWith(...inventory()), defaultPolicy, 'ci-dep')).detail.item.ref).toBe('svc-ci-deploy');
  });

  it('when a prefix matches one item and a part matches another, then the prefix wins', async () => {
    const store = await storeWith(apiEntry({ ref: 'store-front' }), apiEntry({ ref: 'petstore' }));
    expect(found(await whoOwns(store, defaultPolicy, 'store')).detail.item.ref).toBe('store-front');
  });

  it('when the item has links and history, then the detail carries them', async () => {
    const store = await storeWith(
      apiEntry({ ref: 'payments-api', links: [{ relation: 'depends_on', kind: 'api', ref: 'ledger' }] }),
      apiEntry({ ref: 'ledger' }),
      identityEntry({ ref: 'svc-payments', links: [{ relation: 'serves', kind: 'api', ref: 'payments-api' }] }),
    );
    const result = found(await whoOwns(store, defaultPolicy, 'payments-api'));
    expect(result.detail.links).toEqual([
      { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger', name: 'ledger' },
      { direction: 'in', relation: 'serves', kind: 'identity', ref: 'svc-payments', name: 'svc-payments' },
    ]);
  });
});

describe('whoOwns: several or none', () => {
  it('when the ref is shared by an API and an identity, then both are candidates', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'ledger');
    expect(result.kind).toBe('ambiguous');
    if (result.kind === 'ambiguous') expect(refsOf(result.candidates)).toEqual(['api:ledger', 'identity:ledger']);
  });

  it('when a prefix matches several items, then they are listed as candidates', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'pay');
    expect(result).toMatchObject({ kind: 'ambiguous', query: 'pay', more: false });
    if (result.kind === 'ambiguous') expect(refsOf(result.candidates)).toEqual(['api:payments-api', 'api:payouts-api']);
  });

  it('when more than twenty items match, then twenty are listed and more is set', async () => {
    const many = Array.from({ length: 25 }, (_, i) => apiEntry({ ref: `orders-${String(i).padStart(2, '0')}` }));
    const result = await whoOwns(await storeWith(...many), defaultPolicy, 'orders');
    expect(result).toMatchObject({ kind: 'ambiguous', more: true });
    if (result.kind === 'ambiguous') expect(result.candidates).toHaveLength(20);
  });

  it('when the query has a typo, then it is not found and the nearest items are offered', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'paymnts-api');
    expect(result.kind).toBe('not_found');
    if (result.kind === 'not_found') expect(refsOf(result.nearest)[0]).toBe('api:payments-api');
  });

  it('when two letters are swapped (paymnets-api), then payments-api is offered first', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'paymnets-api');
    expect(result.kind).toBe('not_found');
    if (result.kind === 'not_found') expect(refsOf(result.nearest)[0]).toBe('api:payments-api');
  });

  it('when the inventory is larger than the suggestions looked at, then a misspelt ref still offers its item', async () => {
    const many = Array.from({ length: 1_500 }, (_, i) => identityEntry({ ref: `nhi-${i}`, name: `deploy key ${i}` }));
    const result = await whoOwns(await storeWith(...many), defaultPolicy, 'nih-1234');
    expect(result.kind).toBe('not_found');
    if (result.kind === 'not_found') expect(refsOf(result.nearest)[0]).toBe('identity:nhi-1234');
  });

  it('when the query is a part shorter than three characters, then it is not looked for as a part', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'vc');
    expect(result).toMatchObject({ kind: 'not_found', query: 'vc' });
  });

  it('when nothing is near the query, then no item is offered', async () => {
    const result = await whoOwns(await storeWith(...inventory()), defaultPolicy, 'kubernetes-dashboard');
    expect(result).toEqual({ kind: 'not_found', query: 'kubernetes-dashboard', nearest: [] });
  });

  it('when the inventory is empty, then nothing is found and nothing offered', async () => {
    expect(await whoOwns(memoryStore(), defaultPolicy, 'petstore')).toEqual({ kind: 'not_found', query: 'petstore', nearest: [] });
  });
});

describe('whoOwns: the effective approver', () => {
  const withLead = (): RawEntry[] => [
    teamEntry('payments', { name: 'Payments', lead: 'lee@acme.example' }),
    personEntry('lee@acme.example', { displayName: 'Lee Park' }),
  ];
  const nonePolicy: Policy = (() => {
    const parsed = parsePolicy({ approvals: { defaultApprover: 'none' } });
    if (!parsed.ok) throw new Error('policy');
    return parsed.policy;
  })();

  it('when the item names an approver, then that person approves', async () => {
    const store = await storeWith(...withLead(), apiEntry({ owner: { team: 'payments', approver: 'cho@acme.example' } }));
    expect(found(await whoOwns(store, defaultPolicy, 'payments-api')).approver?.email).toBe('cho@acme.example');
  });

  it('when the item names an approver and the policy says none, then the named approver still approves', async () => {
    const store = await storeWith(...withLead(), apiEntry({ owner: { team: 'payments', approver: 'cho@acme.example' } }));
    expect(found(await whoOwns(store, nonePolicy, 'payments-api')).approver?.email).toBe('cho@acme.example');
  });

  it('when no approver is named, then by default the owning team’s lead approves', async () => {
    const store = await storeWith(...withLead(), apiEntry({ owner: { team: 'payments' } }));
    expect(found(await whoOwns(store, defaultPolicy, 'payments-api')).approver).toEqual({ email: 'lee@acme.example', displayName: 'Lee Park', active: true });
  });

  it('when no approver is named and the policy says none, then nobody approves', async () => {
    const store = await storeWith(...withLead(), apiEntry({ owner: { team: 'payments' } }));
    expect(found(await whoOwns(store, nonePolicy, 'payments-api')).approver).toBeNull();
  });

  it('when no approver is named and the team has no lead, then nobody approves', async () => {
    const store = await storeWith(apiEntry({ owner: { team: 'payments' } }));
    expect(found(await whoOwns(store, defaultPolicy, 'payments-api')).approver).toBeNull();
  });

  it('when the item has no team and no approver, then nobody approves', async () => {
    const store = await storeWith(apiEntry({ owner: { accountable: 'ana@acme.example' } }));
    expect(found(await whoOwns(store, defaultPolicy, 'payments-api')).approver).toBeNull();
  });
});
