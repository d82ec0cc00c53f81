import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry, snapshot, teamEntry } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';

async function storeWith(entries: RawEntry[], source = 'catalog', at = '2026-11-01T09:00:00Z'): Promise<SqliteStore> {
  const store = memoryStore();
  await importInto(store, entries, source, at);
  return store;
}

async function importInto(store: SqliteStore, entries: RawEntry[], source = 'catalog', at = '2026-11-01T09:00:00Z') {
  const report = await importSnapshots(store, [snapshot(source, entries)], { at });
  expect(report.problems).toEqual([]);
}

describe('item queries: detail', () => {
  it('when an identity is read, then every fact comes back as imported', async () => {
    const store = await storeWith([
      identityEntry({
        ref: 'aws/123456789012/svc-ci-deploy/access-key-1',
        name: 'svc-ci-deploy access key 1',
        purpose: 'CI deploys',
        identityKind: 'api_key',
        provider: 'aws',
        scopes: ['s3:PutObject', 'cloudfront:CreateInvalidation'],
        createdAt: '2025-01-02T03:04:05Z',
        expiresAt: '2027-01-02',
        lastRotatedAt: '2025-06-01T00:00:00+02:00',
        lastUsedAt: '2026-10-30T12:00:00Z',
        lastUsedService: 's3',
        recoveryProcedure: 'rotate in IAM',
        status: 'disabled',
      }),
    ]);
    const detail = await store.getItemDetail('identity', 'aws/123456789012/svc-ci-deploy/access-key-1');
    expect(detail?.item).toMatchObject({
      kind: 'identity',
      identityKind: 'api_key',
      provider: 'aws',
      scopes: ['s3:PutObject', 'cloudfront:CreateInvalidation'],
      createdAt: '2025-01-02T03:04:05.000Z',
      expiresAt: '2027-01-02T00:00:00.000Z',
      lastRotatedAt: '2025-05-31T22:00:00.000Z',
      lastUsedAt: '2026-10-30T12:00:00.000Z',
      lastUsedService: 's3',
      recoveryProcedure: 'rotate in IAM',
      status: 'disabled',
      provenance: { source: 'catalog', sourceKey: 'identity:aws/123456789012/svc-ci-deploy/access-key-1' },
    });
    expect(detail?.lastAttestation).toBeNull();
  });

  it('when an API is read, then its facts come back', async () => {
    const store = await storeWith([
      apiEntry({ ref: 'petstore', sensitivity: 'confidential', exposure: 'partner', authMethod: 'OAuth2', revocationPath: 'runbook', lifecycle: 'production', system: 'pets', codePath: 'services/petstore' }),
    ]);
    expect((await store.getItemDetail('api', 'petstore'))?.item).toMatchObject({
      kind: 'api',
      sensitivity: 'confidential',
      exposure: 'partner',
      authMethod: 'OAuth2',
      revocationPath: 'runbook',
      lifecycle: 'production',
      system: 'pets',
      codePath: 'services/petstore',
    });
  });

  it('when the ref is asked for in another case or of the other kind, then the case is ignored and the kind is not', async () => {
    const store = await storeWith([apiEntry({ ref: 'petstore' })]);
    expect((await store.getItemDetail('api', 'PetStore'))?.item.ref).toBe('petstore');
    expect(await store.getItemDetail('identity', 'petstore')).toBeNull();
  });

  it('when a link names an item not imported yet, then it shows with no name, and resolves once the item arrives', async () => {
    const store = await storeWith([apiEntry({ ref: 'payments-api', links: [{ relation: 'depends_on', kind: 'api', ref: 'Ledger' }] })]);
    expect((await store.getItemDetail('api', 'payments-api'))?.links).toEqual([{ direction: 'out', relation: 'depends_on', kind: 'api', ref: 'Ledger', name: null }]);
    await importInto(store, [apiEntry({ ref: 'ledger', name: 'General Ledger' })], 'other');
    expect((await store.getItemDetail('api', 'payments-api'))?.links).toEqual([{ direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger', name: 'General Ledger' }]);
    expect((await store.getItemDetail('api', 'ledger'))?.links).toEqual([{ direction: 'in', relation: 'depends_on', kind: 'api', ref: 'payments-api', name: 'payments-api' }]);
  });

  it('when the accountable person has vanished from their directory, then they show as not active', async () => {
    const store = memoryStore();
    await importInto(store, [personEntry('ana@acme.example', { displayName: 'Ana' })], 'directory');
    await importInto(store, [apiEntry({ ref: 'a', owner: { team: 'payments', accountable: 'ana@acme.example' } })]);
    expect((await store.getItemDetail('api', 'a'))?.item.owner.accountable?.active).toBe(true);
    await importInto(store, [], 'directory', '2026-11-02T09:00:00Z');
    expect((await store.getItemDetail('api', 'a'))?.item.owner.accountable).toEqual({ email: 'ana@acme.example', displayName: 'Ana', active: false });
  });

  it('when the team lead is inactive, then the lead shows as not active', async () => {
    const store = await storeWith([teamEntry('payments', { lead: 'lee@acme.example' }), personEntry('lee@acme.example', { active: false }), apiEntry({ ref: 'a', owner: { team: 'payments' } })]);
    expect((await store.getItemDetail('api', 'a'))?.item.owner.team?.lead?.active).toBe(false);
  });
});

describe('item queries: search', () => {
  const inventory = (): RawEntry[] => [apiEntry({ ref: 'payments-api', name: 'Payments API' }), apiEntry({ ref: 'payouts' }), identityEntry({ ref: 'pay-bot' })];

  it('when searching by prefix, then refs and names that start with the text match, ignoring case', async () => {
    const store = await storeWith(inventory());
    expect((await store.searchItems({ text: 'PAY', match: 'prefix', limit: 10 })).map((i) => i.ref)).toEqual(['payments-api', 'payouts', 'pay-bot']);
  });

  it('when searching by prefix with a kind, then only that kind matches', async () => {
    const store = await storeWith(inventory());
    expect((await store.searchItems({ text: 'pay', match: 'prefix', kind: 'identity', limit: 10 })).map((i) => i.ref)).toEqual(['pay-bot']);
  });

  it('when searching for a part, then refs and names containing it match', async () => {
    const store = await storeWith(inventory());
    expect((await store.searchItems({ text: 'API', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['payments-api']);
  });

  it('when the text holds SQL pattern characters, then they match only themselves', async () => {
    const store = await storeWith([apiEntry({ ref: 'a_b' }), apiEntry({ ref: 'axb' }), apiEntry({ ref: '100%' }), apiEntry({ ref: '1000' })]);
    expect((await store.searchItems({ text: 'a_', match: 'prefix', limit: 10 })).map((i) => i.ref)).toEqual(['a_b']);
    expect((await store.searchItems({ text: '00%', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['100%']);
  });

  it('when the text holds full-text query syntax (quotes, OR, NOT, *), then it matches only itself', async () => {
    const store = await storeWith([apiEntry({ ref: 'quoted', name: 'say "hi" OR NOT x*' }), apiEntry({ ref: 'plain', name: 'say hi or not' })]);
    expect((await store.searchItems({ text: '"hi" OR NOT', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['quoted']);
    expect((await store.searchItems({ text: 'T x*', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['quoted']);
    expect((await store.candidateNames('say "hi OR', 10)).map((i) => i.ref)).toContain('quoted');
  });

  it('when a part is shorter than three characters, then nothing is looked for (the index holds trigrams)', async () => {
    const store = await storeWith(inventory());
    expect(await store.searchItems({ text: 'ay', match: 'substring', limit: 10 })).toEqual([]);
    expect((await store.searchItems({ text: 'ayo', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['payouts']);
  });

  it('when a part holds every trigram of a name but not in a row, then it does not match (the row is checked)', async () => {
    // "abcx-bcdx" holds the trigrams of "abcd" (abc, bcd), but not "abcd".
    const store = await storeWith([apiEntry({ ref: 'abcx-bcdx' }), apiEntry({ ref: 'xabcd' })]);
    expect((await store.searchItems({ text: 'ABCD', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['xabcd']);
  });

  it('when more items contain a part than are put in order, then a page still comes back in order', async () => {
    const store = await storeWith(Array.from({ length: 1_100 }, (_, i) => apiEntry({ ref: `svc-${String(1_099 - i).padStart(4, '0')}-edge` })));
    const page = await store.searchItems({ text: '-edge', match: 'substring', limit: 21 });
    expect(page).toHaveLength(21);
    expect(page.map((i) => i.ref)).toEqual([...page.map((i) => i.ref)].sort());
  });

  it('when a limit is given, then no more than that are returned', async () => {
    const store = await storeWith(inventory());
    expect(await store.searchItems({ text: 'p', match: 'prefix', limit: 2 })).toHaveLength(2);
  });

  it('when looking for candidates, then those sharing trigrams with the text come, most shared first', async () => {
    const store = await storeWith([apiEntry({ ref: 'payments-api' }), apiEntry({ ref: 'petstore' }), apiEntry({ ref: 'ledger' }), apiEntry({ ref: 'pay-bot' })]);
    expect((await store.candidateNames('paymnts', 10)).map((i) => i.ref)).toEqual(['payments-api', 'pay-bot']);
    expect((await store.candidateNames('paymnts', 1)).map((i) => i.ref)).toEqual(['payments-api']);
  });

  it('when the typo made a trigram other items have, then the intended item is still a candidate', async () => {
    // "ledgre" holds "gre", which only "progress" has; "ledger" shares "led" and "edg" with it.
    const store = await storeWith([apiEntry({ ref: 'ledger' }), apiEntry({ ref: 'progress' }), apiEntry({ ref: 'pager' })]);
    expect((await store.candidateNames('ledgre', 10)).map((i) => i.ref)).toEqual(['ledger', 'progress']);
  });

  it('when no trigram of the text is in the inventory, then the candidates start with its first two characters', async () => {
    const store = await storeWith([apiEntry({ ref: 'payments-api' }), apiEntry({ ref: 'petstore' }), apiEntry({ ref: 'ledger' }), apiEntry({ ref: 'pager' })]);
    expect((await store.candidateNames('pa', 10)).map((i) => i.ref)).toEqual(['pager', 'payments-api']);
    expect((await store.candidateNames('lxdgxr', 10)).map((i) => i.ref)).toEqual([]);
  });
});

describe('item queries: code paths and counts', () => {
  it('when an API has vanished, then its code path is not offered to path-based sources', async () => {
    const store = await storeWith([apiEntry({ ref: 'a', codePath: 'services/a' }), apiEntry({ ref: 'b', codePath: 'services/b' }), apiEntry({ ref: 'c' }), identityEntry({ ref: 'k' })]);
    expect(await store.listApiCodePaths()).toEqual([
      { ref: 'a', codePath: 'services/a' },
      { ref: 'b', codePath: 'services/b' },
    ]);
    await importInto(store, [apiEntry({ ref: 'a', codePath: 'services/a' })], 'catalog', '2026-11-02T09:00:00Z');
    expect(await store.listApiCodePaths()).toEqual([{ ref: 'a', codePath: 'services/a' }]);
  });

  it('when the inventory is counted, then APIs, identities, teams and people are each counted', async () => {
    const store = await storeWith([
      apiEntry({ ref: 'a', owner: { team: 'payments', accountable: 'ana@acme.example' } }),
      identityEntry({ ref: 'k' }),
      identityEntry({ ref: 'l' }),
      teamEntry('ledger'),
    ]);
    expect(await store.countInventory()).toEqual({ apis: 1, identities: 2, teams: 2, people: 1 });
  });
});
