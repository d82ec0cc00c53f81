import { describe, expect, it } from 'vitest';
import type { ItemSummary } from '../../../src/model/index.js';
import { apiEntry, identityEntry, personEntry, suggestionEntry } from '../../support/entries.js';
import { directoryEntries, ownedBy } from '../../support/loop.js';
import type { ContractSubject } from './contract-store.js';
import { directoryAt, email, imported, importedAt, itemIdOf, plusDays, seeded } from './scenario.js';

const summary = (ref: string, overrides: Partial<ItemSummary> = {}): ItemSummary => ({
  kind: 'api',
  ref,
  name: ref,
  team: null,
  accountable: null,
  expiresAt: null,
  vanished: false,
  ...overrides,
});

/** A small inventory for the read side: two APIs and an identity of payments, one of ledger, one nobody owns. */
const inventory = () => [
  apiEntry({ ref: 'payments-api', name: 'Payments API', owner: ownedBy('payments', 'ana', 'ben'), codePath: 'services/payments' }),
  apiEntry({ ref: 'payouts-api', name: 'Payouts', owner: ownedBy('payments', 'ben'), codePath: 'services/payouts' }),
  identityEntry({ ref: 'payments-deploy-key', identityKind: 'api_key', expiresAt: '2027-01-15', owner: ownedBy('payments', 'ana') }),
  identityEntry({ ref: 'ledger-token', identityKind: 'token', expiresAt: '2026-12-01', owner: ownedBy('ledger', 'leo', 'ana') }),
  apiEntry({ ref: 'orphan-api', name: 'Orphan 100% legacy_api' }),
];

const payments = summary('payments-api', { name: 'Payments API', team: 'payments', accountable: email('ana') });
const payouts = summary('payouts-api', { name: 'Payouts', team: 'payments', accountable: email('ben') });
const deployKey = summary('payments-deploy-key', { kind: 'identity', team: 'payments', accountable: email('ana'), expiresAt: '2027-01-15T00:00:00.000Z' });
const ledgerToken = summary('ledger-token', { kind: 'identity', team: 'ledger', accountable: email('leo'), expiresAt: '2026-12-01T00:00:00.000Z' });
const orphan = summary('orphan-api', { name: 'Orphan 100% legacy_api' });

/** The read side: search, "did you mean", detail, ids, lists with filters and totals, counts, code paths, sources. */
export function describeQueryContract(subject: ContractSubject): void {
  describe('searchItems', () => {
    it('when matching exactly, then refs and names match ignoring case, and nothing else does', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'PAYMENTS-API', match: 'exact', limit: 10 })).toEqual([payments]);
      expect(await store.searchItems({ text: 'payouts', match: 'exact', limit: 10 })).toEqual([payouts]);
      expect(await store.searchItems({ text: 'payment', match: 'exact', limit: 10 })).toEqual([]);
    });

    it('when matching by prefix, then refs and names that start with the text match, ignoring case, sorted by kind then ref', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'PAY', match: 'prefix', limit: 10 })).toEqual([payments, payouts, deployKey]);
    });

    it('when a kind is given, then only that kind matches', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'pay', match: 'prefix', kind: 'identity', limit: 10 })).toEqual([deployKey]);
      expect(await store.searchItems({ text: 'pay', match: 'prefix', kind: 'api', limit: 10 })).toEqual([payments, payouts]);
    });

    it('when matching a part, then refs and names containing it match, ignoring case', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'TOKEN', match: 'substring', limit: 10 })).toEqual([ledgerToken]);
      expect(await store.searchItems({ text: 'outs', match: 'substring', limit: 10 })).toEqual([payouts]);
    });

    it('when a part is shorter than three characters, then nothing is looked for, however many contain it', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'ou', match: 'substring', limit: 10 })).toEqual([]);
      expect(await store.searchItems({ text: 'ts-', match: 'substring', limit: 10 })).toEqual([payments, payouts, deployKey]);
    });

    it('when the text holds SQL pattern characters, then they match only themselves', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: '100%', match: 'substring', limit: 10 })).toEqual([orphan]);
      expect(await store.searchItems({ text: '%', match: 'prefix', limit: 10 })).toEqual([]);
      expect(await store.searchItems({ text: 'y_a', match: 'substring', limit: 10 })).toEqual([orphan]);
      expect(await store.searchItems({ text: '_', match: 'prefix', limit: 10 })).toEqual([]);
    });

    it('when a limit is given, then no more than that come back, the first in order', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.searchItems({ text: 'pay', match: 'prefix', limit: 2 })).toEqual([payments, payouts]);
    });
  });

  describe('candidateNames', () => {
    it('when the inventory is small, then a typo’s intended item is among the candidates', async () => {
      const store = await seeded(subject.store, inventory());
      const candidates = await store.candidateNames('paymnets-api', 50);
      expect(candidates).toContainEqual(payments);
      expect(candidates.length).toBeLessThanOrEqual(50);
    });

    it('when the inventory is larger than the limit, then at most the limit come back, and an item sharing the text’s start is among them', async () => {
      const store = await seeded(subject.store, [
        ...['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'].map((ref) => apiEntry({ ref: `${ref}-api` })),
        apiEntry({ ref: 'ledger-api' }),
      ]);
      const candidates = await store.candidateNames('lefger-api', 3);
      expect(candidates.length).toBeLessThanOrEqual(3);
      expect(candidates).toContainEqual(summary('ledger-api'));
    });
  });

  describe('getItemDetail and itemIdOf', () => {
    it('when an identity is read, then every fact comes back as imported, with its owner, provenance and no attestation yet', async () => {
      const store = await seeded(subject.store, [
        identityEntry({
          ref: 'aws/123456789012/svc-ci/key-1',
          name: 'svc-ci key 1',
          purpose: 'CI deploys',
          identityKind: 'api_key',
          provider: 'AWS',
          scopes: ['s3:PutObject', 'cloudfront:CreateInvalidation'],
          createdAt: '2025-01-02T03:04:05Z',
          expiresAt: '2027-01-02',
          lastRotatedAt: '2025-06-01T00:00:00+02:00',
          lastUsedAt: '2026-10-30T12:00:00Z',
          lastUsedService: 's3',
          recoveryProcedure: 'rotate in IAM',
          status: 'disabled',
          owner: { ...ownedBy('payments', 'ana', 'ben'), approver: email('lena') },
        }),
      ]);
      expect(await store.getItemDetail('identity', 'aws/123456789012/svc-ci/key-1')).toEqual({
        item: {
          kind: 'identity',
          ref: 'aws/123456789012/svc-ci/key-1',
          name: 'svc-ci key 1',
          purpose: 'CI deploys',
          owner: {
            team: { slug: 'payments', name: 'payments', lead: { email: email('lena'), displayName: 'Lena', active: true }, channel: '#payments' },
            accountable: { email: email('ana'), displayName: 'Ana', active: true },
            backup: { email: email('ben'), displayName: 'Ben', active: true },
            approver: { email: email('lena'), displayName: 'Lena', active: true },
            since: importedAt,
          },
          provenance: { source: 'inventory', sourceKey: 'identity:aws/123456789012/svc-ci/key-1', firstSeenAt: importedAt, lastSeenAt: importedAt, vanishedAt: null },
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
        },
        links: [],
        history: [],
        suggestions: [],
        lastAttestation: null,
      });
    });

    it('when an API is read, then its facts come back, and facts the source left out are null', async () => {
      const store = await seeded(subject.store, [
        apiEntry({ ref: 'petstore', sensitivity: 'Confidential', exposure: 'partner', authMethod: 'OAuth2', revocationPath: 'runbook', lifecycle: 'production', system: 'pets', codePath: 'services/petstore' }),
        apiEntry({ ref: 'bare-api' }),
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
      expect((await store.getItemDetail('api', 'bare-api'))?.item).toEqual({
        kind: 'api',
        ref: 'bare-api',
        name: 'bare-api',
        purpose: null,
        owner: { team: null, accountable: null, backup: null, approver: null, since: null },
        provenance: { source: 'inventory', sourceKey: 'api:bare-api', firstSeenAt: importedAt, lastSeenAt: importedAt, vanishedAt: null },
        sensitivity: null,
        exposure: null,
        authMethod: null,
        revocationPath: null,
        lifecycle: null,
        system: null,
        codePath: null,
      });
    });

    it('when a ref is asked for in another case, then it is found; of the other kind, or unknown, it is not', async () => {
      const store = await seeded(subject.store, inventory());
      expect((await store.getItemDetail('api', 'Payments-API'))?.item.ref).toBe('payments-api');
      expect(await store.getItemDetail('identity', 'payments-api')).toBeNull();
      expect(await store.getItemDetail('api', 'nowhere-api')).toBeNull();
      expect(await store.itemIdOf('api', 'PAYMENTS-API')).toBe(await store.itemIdOf('api', 'payments-api'));
      expect(await store.itemIdOf('identity', 'payments-api')).toBeNull();
      expect(await store.itemIdOf('api', 'nowhere-api')).toBeNull();
    });

    it('when items are imported, then each has its own id, kept across imports', async () => {
      const store = await seeded(subject.store, inventory());
      const ids = [];
      for (const { kind, ref } of (await store.listItems({})).items) ids.push(await itemIdOf(store, kind, ref));
      expect(new Set(ids).size).toBe(5);
      await imported(store, plusDays(importedAt, 1), 'inventory', inventory());
      const again = [];
      for (const { kind, ref } of (await store.listItems({})).items) again.push(await itemIdOf(store, kind, ref));
      expect(again).toEqual(ids);
    });

    it('when a link names an item not imported yet, then it shows with no name, and takes the name once the item arrives', async () => {
      const store = await seeded(subject.store, [apiEntry({ ref: 'payments-api', links: [{ relation: 'depends_on', kind: 'api', ref: 'Ledger-API' }] })]);
      expect((await store.getItemDetail('api', 'payments-api'))?.links).toEqual([{ direction: 'out', relation: 'depends_on', kind: 'api', ref: 'Ledger-API', name: null }]);
      await imported(store, plusDays(importedAt, 1), 'other', [apiEntry({ ref: 'ledger-api', name: 'General Ledger' })]);
      expect((await store.getItemDetail('api', 'payments-api'))?.links).toEqual([{ direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger-api', name: 'General Ledger' }]);
      expect((await store.getItemDetail('api', 'ledger-api'))?.links).toEqual([{ direction: 'in', relation: 'depends_on', kind: 'api', ref: 'payments-api', name: 'payments-api' }]);
    });

    it('when a source suggests owners (CODEOWNERS), then the suggestion shows on the item', async () => {
      const store = await seeded(subject.store, [apiEntry({ ref: 'payments-api' })]);
      const report = await imported(store, plusDays(importedAt, 1), 'codeowners', [suggestionEntry('payments-api', { owners: ['@acme/payments'], team: 'payments', reason: 'CODEOWNERS line 3' })]);
      expect(report.sources[0]?.suggestions).toBe(1);
      expect((await store.getItemDetail('api', 'payments-api'))?.suggestions).toEqual([{ source: 'codeowners', owners: ['@acme/payments'], team: 'payments', reason: 'CODEOWNERS line 3' }]);
    });

    it('when the accountable person is marked inactive or vanishes from their directory, then they show as not active', async () => {
      const store = await seeded(subject.store, inventory());
      const directory = directoryEntries().filter((e) => !(e.type === 'person' && ['ana@acme.example', 'ben@acme.example'].includes(String(e.data.email))));
      await imported(store, plusDays(directoryAt, 2), 'directory', [...directory, personEntry(email('ana'), { displayName: 'Ana', active: false })]);
      const owner = (await store.getItemDetail('api', 'payments-api'))?.item.owner;
      expect(owner?.accountable).toEqual({ email: email('ana'), displayName: 'Ana', active: false });
      expect(owner?.backup).toEqual({ email: email('ben'), displayName: 'Ben', active: false });
    });
  });

  describe('listItems', () => {
    it('when nothing filters, then every item comes back sorted by kind then ref, with the total', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.listItems({})).toEqual({ items: [orphan, payments, payouts, ledgerToken, deployKey], total: 5 });
    });

    it('when refs differ in case, then they sort ignoring case', async () => {
      const store = await seeded(subject.store, [apiEntry({ ref: 'b-api' }), apiEntry({ ref: 'A-api' }), apiEntry({ ref: 'c-api' }), apiEntry({ ref: 'B2-api' })]);
      expect((await store.listItems({})).items.map((i) => i.ref)).toEqual(['A-api', 'b-api', 'B2-api', 'c-api']);
    });

    it('when filtered by team, owner (accountable or backup) or kind, then only those match', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.listItems({ team: 'Payments' })).toEqual({ items: [payments, payouts, deployKey], total: 3 });
      expect(await store.listItems({ owner: 'ANA@acme.example' })).toEqual({ items: [payments, ledgerToken, deployKey], total: 3 });
      expect(await store.listItems({ kind: 'identity' })).toEqual({ items: [ledgerToken, deployKey], total: 2 });
      expect(await store.listItems({ team: 'payments', kind: 'identity', owner: email('ana') })).toEqual({ items: [deployKey], total: 1 });
      expect(await store.listItems({ team: 'nobody' })).toEqual({ items: [], total: 0 });
    });

    it('when filtered by expiry, then identities expiring before the time come back, soonest first', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.listItems({ expiresBefore: '2027-02-01T00:00:00.000Z' })).toEqual({ items: [ledgerToken, deployKey], total: 2 });
      expect(await store.listItems({ expiresBefore: '2027-01-15T00:00:00.000Z' })).toEqual({ items: [ledgerToken], total: 1 });
    });

    it('when a limit cuts the list, then the total still counts every match', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.listItems({ limit: 2 })).toEqual({ items: [orphan, payments], total: 5 });
      expect(await store.listItems({ team: 'payments', limit: 1 })).toEqual({ items: [payments], total: 3 });
      expect(await store.listItems({ team: 'payments', limit: 3 })).toEqual({ items: [payments, payouts, deployKey], total: 3 });
    });

    it('when unowned is asked for, then items with no team, nobody accountable, or an accountable person who left come back', async () => {
      const store = await seeded(subject.store, [...inventory(), apiEntry({ ref: 'team-only-api', owner: { team: 'ledger' } }), apiEntry({ ref: 'person-only-api', owner: { accountable: email('leo') } })]);
      expect((await store.listItems({ unowned: true })).items.map((i) => i.ref)).toEqual(['orphan-api', 'person-only-api', 'team-only-api']);
      // leo leaves the directory (vanishes from the source that declared him).
      const directory = directoryEntries().filter((e) => !(e.type === 'person' && e.data.email === email('leo')));
      await imported(store, plusDays(directoryAt, 2), 'directory', directory);
      expect(await store.listItems({ unowned: true })).toEqual({
        items: [orphan, summary('person-only-api', { accountable: email('leo') }), summary('team-only-api', { team: 'ledger' }), ledgerToken],
        total: 4,
      });
    });
  });

  describe('listItems totals', () => {
    it('when unowned is cut by a limit, then the total counts each unowned item once, whichever way it is unowned', async () => {
      const store = await seeded(subject.store, [...inventory(), apiEntry({ ref: 'team-only-api', owner: { team: 'ledger' } }), apiEntry({ ref: 'person-only-api', owner: { accountable: email('leo') } })]);
      // leo leaves: person-only-api is then unowned twice over (no team, and its person left), ledger-token once.
      const directory = directoryEntries().filter((e) => !(e.type === 'person' && e.data.email === email('leo')));
      await imported(store, plusDays(directoryAt, 2), 'directory', directory);
      expect(await store.listItems({ unowned: true, limit: 2 })).toEqual({ items: [orphan, summary('person-only-api', { accountable: email('leo') })], total: 4 });
      expect(await store.listItems({ unowned: true, kind: 'identity', limit: 1 })).toEqual({ items: [ledgerToken], total: 1 });
      expect(await store.listItems({ unowned: true, team: 'ledger', limit: 1 })).toEqual({ items: [summary('team-only-api', { team: 'ledger' })], total: 2 });
    });

    it('when every item matches and a limit cuts the list, then the total is the inventory’s', async () => {
      const store = await seeded(subject.store, inventory());
      expect((await store.listItems({ limit: 1 })).total).toBe(5);
      expect((await store.listItems({ kind: 'identity', limit: 1 })).total).toBe(2);
      expect((await store.listItems({ expiresBefore: '2027-02-01T00:00:00.000Z', limit: 1 })).total).toBe(2);
    });
  });

  describe('countInventory, listApiCodePaths and hasItemsFrom', () => {
    it('when the store is empty, then everything is zero, nothing has a code path, and no source has items', async () => {
      const { store } = subject;
      expect(await store.countInventory()).toEqual({ apis: 0, identities: 0, teams: 0, people: 0 });
      expect(await store.listApiCodePaths()).toEqual([]);
      expect(await store.hasItemsFrom(['inventory'])).toBe(false);
      expect(await store.listItems({})).toEqual({ items: [], total: 0 });
    });

    it('when counted, then APIs, identities, teams and people are each counted, those only named as owners too', async () => {
      const store = await seeded(subject.store, [...inventory(), apiEntry({ ref: 'new-team-api', owner: { team: 'risk', accountable: 'rita@acme.example' } })]);
      expect(await store.countInventory()).toEqual({ apis: 4, identities: 2, teams: 4, people: 9 });
    });

    it('when APIs have repository paths, then those still in their source are listed by ref; identities and vanished APIs are not', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.listApiCodePaths()).toEqual([
        { ref: 'payments-api', codePath: 'services/payments' },
        { ref: 'payouts-api', codePath: 'services/payouts' },
      ]);
      await imported(store, plusDays(importedAt, 1), 'inventory', inventory().filter((e) => e.data.ref !== 'payouts-api'));
      expect(await store.listApiCodePaths()).toEqual([{ ref: 'payments-api', codePath: 'services/payments' }]);
    });

    it('when asked about sources, then it is true when any of them has an item, false otherwise', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.hasItemsFrom(['inventory'])).toBe(true);
      expect(await store.hasItemsFrom(['sample:catalog', 'inventory'])).toBe(true);
      expect(await store.hasItemsFrom(['sample:catalog'])).toBe(false);
      // The directory source holds people and teams, not items.
      expect(await store.hasItemsFrom(['directory'])).toBe(false);
      expect(await store.hasItemsFrom([])).toBe(false);
    });
  });
}
