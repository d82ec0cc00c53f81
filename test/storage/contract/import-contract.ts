import { describe, expect, it } from 'vitest';
import type { CheckedEntry } from '../../../src/inventory/import-entry.js';
import { apiEntry, identityEntry, snapshot, teamEntry } from '../../support/entries.js';
import { directoryEntries, ownedBy } from '../../support/loop.js';
import type { ContractSubject } from './contract-store.js';
import { portView } from './port-view.js';
import { actor, email, imported, importSnapshots, importSource, itemIdOf, plusDays, seeded, trailActions } from './scenario.js';

const day1 = '2026-11-02T09:00:00.000Z';
const day2 = plusDays(day1, 1);
const day3 = plusDays(day1, 2);
const day4 = plusDays(day1, 3);

const nothing = { created: 0, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 };

const checkout = (overrides: Partial<Record<string, unknown>> = {}) =>
  apiEntry({ ref: 'checkout-api', purpose: 'Takes card payments', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben'), ...overrides });
const fx = () => apiEntry({ ref: 'fx-api', owner: ownedBy('ledger', 'leo') });
const ciKey = () => identityEntry({ ref: 'ci-key', identityKind: 'api_key', scopes: ['deploy:read'], expiresAt: '2027-03-01', owner: ownedBy('payments', 'ana') });

/** importEntries: upserts by (source, source key), counts what it did, keeps history, all or nothing. */
export function describeImportContract(subject: ContractSubject): void {
  describe('importEntries: what an import did, counted', () => {
    it('when a snapshot is new, then every item, team and person is counted as created, and the inventory counts them', async () => {
      const { store } = subject;
      const report = await importSource(store, day1, 'inventory', [...directoryEntries(), checkout(), fx(), ciKey()]);
      expect(report).toMatchObject({ dryRun: false, applied: true, invalid: 0, problems: [], problemCount: 0 });
      expect(report.sources).toEqual([
        expect.objectContaining({
          source: 'inventory',
          format: 'test',
          apis: { ...nothing, created: 2 },
          identities: { ...nothing, created: 1 },
          teams: { created: 3, updated: 0, unchanged: 0 },
          people: { created: 8, updated: 0, unchanged: 0 },
          ownershipChanges: 0,
        }),
      ]);
      expect(await store.countInventory()).toEqual({ apis: 2, identities: 1, teams: 3, people: 8 });
    });

    it('when the same snapshot is imported again, then everything is unchanged and no item’s trail grows', async () => {
      const { store } = subject;
      const entries = [...directoryEntries(), checkout(), fx(), ciKey()];
      await imported(store, day1, 'inventory', entries);
      const trailBefore = await trailActions(store, 'api', 'checkout-api');
      const report = await importSource(store, day2, 'inventory', entries);
      expect(report.sources[0]).toMatchObject({
        apis: { ...nothing, unchanged: 2 },
        identities: { ...nothing, unchanged: 1 },
        teams: { created: 0, updated: 0, unchanged: 3 },
        people: { created: 0, updated: 0, unchanged: 8 },
        ownershipChanges: 0,
      });
      expect(await trailActions(store, 'api', 'checkout-api')).toEqual(trailBefore);
      expect(await store.countInventory()).toEqual({ apis: 2, identities: 1, teams: 3, people: 8 });
    });

    it('when the same snapshot is imported again, then its items were last seen by that import, and one that vanishes next was last seen by it', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      await imported(store, day2, 'inventory', [checkout(), fx()]);
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance).toMatchObject({ firstSeenAt: day1, lastSeenAt: day2, vanishedAt: null });
      await imported(store, day3, 'inventory', [fx()]);
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance).toMatchObject({ lastSeenAt: day2, vanishedAt: day3 });
    });

    it('when one item’s facts change, then it alone is updated: same id and first-seen time, the new fact, and the diff on its trail', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      const id = await itemIdOf(store, 'api', 'checkout-api');
      const report = await importSource(store, day2, 'inventory', [checkout({ purpose: 'Takes card and wallet payments' }), fx()]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, updated: 1, unchanged: 1 });
      expect(await store.itemIdOf('api', 'checkout-api')).toBe(id);
      const detail = await store.getItemDetail('api', 'checkout-api');
      expect(detail?.item.purpose).toBe('Takes card and wallet payments');
      expect(detail?.item.provenance).toEqual({ source: 'inventory', sourceKey: 'api:checkout-api', firstSeenAt: day1, lastSeenAt: day2, vanishedAt: null });
      const trail = await store.itemAuditTrail('api', 'checkout-api', 1);
      expect(trail?.events).toEqual([
        { id: expect.any(Number), at: day2, actor, action: 'item.updated', details: { source: 'inventory', changes: { purpose: ['Takes card payments', 'Takes card and wallet payments'] } } },
      ]);
    });

    it('when only an item’s links change, then it is counted as updated and its detail shows the new links', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      const report = await importSource(store, day2, 'inventory', [checkout({ links: [{ relation: 'depends_on', kind: 'api', ref: 'fx-api' }] }), fx()]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, updated: 1, unchanged: 1 });
      expect((await store.getItemDetail('api', 'checkout-api'))?.links).toEqual([{ direction: 'out', relation: 'depends_on', kind: 'api', ref: 'fx-api', name: 'fx-api' }]);
      expect((await store.getItemDetail('api', 'fx-api'))?.links).toEqual([{ direction: 'in', relation: 'depends_on', kind: 'api', ref: 'checkout-api', name: 'checkout-api' }]);
    });

    it('when a source renames an item (same source key, new ref), then the same item takes the new ref', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const id = await itemIdOf(store, 'api', 'checkout-api');
      const report = await importSource(store, day2, 'inventory', [apiEntry({ ref: 'checkout-v2', owner: ownedBy('payments', 'ana', 'ben') }, { sourceKey: 'api:checkout-api' })]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, updated: 1 });
      expect(await store.itemIdOf('api', 'checkout-v2')).toBe(id);
      expect(await store.itemIdOf('api', 'checkout-api')).toBeNull();
      expect(await store.countInventory()).toMatchObject({ apis: 1 });
    });

    it('when a ref comes back in another case, then it is the same item, unchanged, and keeps the ref it had', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const report = await importSource(store, day2, 'inventory', [apiEntry({ ref: 'Checkout-API', name: 'checkout-api', purpose: 'Takes card payments', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }, { sourceKey: 'api:checkout-api' })]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, unchanged: 1 });
      expect((await store.getItemDetail('api', 'CHECKOUT-api'))?.item.ref).toBe('checkout-api');
    });
  });

  describe('importEntries: vanished items are flagged, never deleted', () => {
    it('when an item is missing from its source’s next snapshot, then it is counted vanished, flagged, and still there', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      const report = await importSource(store, day2, 'inventory', [fx()]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, unchanged: 1, vanished: 1 });
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance).toMatchObject({ lastSeenAt: day1, vanishedAt: day2 });
      expect(await store.countInventory()).toMatchObject({ apis: 2 });
      expect((await store.listItems({})).items.map((i) => [i.ref, i.vanished])).toEqual([
        ['checkout-api', true],
        ['fx-api', false],
      ]);
      expect((await trailActions(store, 'api', 'checkout-api')).at(-1)).toBe('item.vanished');
    });

    it('when a vanished item is missing again, then it is not counted or flagged a second time', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      await imported(store, day2, 'inventory', [fx()]);
      const report = await importSource(store, day3, 'inventory', [fx()]);
      expect(report.sources[0]?.apis).toEqual({ ...nothing, unchanged: 1 });
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance.vanishedAt).toBe(day2);
    });

    it('when a vanished item comes back, then it reappears with its id, first-seen time and trail', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const id = await itemIdOf(store, 'api', 'checkout-api');
      await imported(store, day2, 'inventory', []);
      const report = await importSource(store, day3, 'inventory', [checkout()]);
      expect(report.sources[0]?.apis).toMatchObject({ created: 0, reappeared: 1, vanished: 0 });
      expect(await store.itemIdOf('api', 'checkout-api')).toBe(id);
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance).toMatchObject({ firstSeenAt: day1, lastSeenAt: day3, vanishedAt: null });
      expect((await trailActions(store, 'api', 'checkout-api')).slice(-2)).toEqual(['item.vanished', 'item.reappeared']);
    });

    it('when another source’s snapshot is imported, then this source’s items do not vanish', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const report = await importSource(store, day2, 'aws', [ciKey()]);
      expect(report.sources[0]).toMatchObject({ source: 'aws', apis: nothing, identities: { ...nothing, created: 1 } });
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.provenance.vanishedAt).toBeNull();
    });
  });

  describe('importEntries: all or nothing', () => {
    it('when the import is a dry run, then the report says what would happen and the store shows nothing of it', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      const before = await portView(store);
      const report = await importSource(store, day2, 'inventory', [checkout({ owner: ownedBy('ledger', 'leo') }), ciKey(), teamEntry('risk')], true);
      expect(report).toMatchObject({ dryRun: true, applied: false, invalid: 0 });
      expect(report.sources[0]).toMatchObject({ apis: { ...nothing, updated: 1, vanished: 1 }, identities: { ...nothing, created: 1 }, teams: { created: 1 }, ownershipChanges: 1 });
      expect(await portView(store)).toEqual(before);
    });

    it('when the last entry of the last snapshot is invalid, then nothing of any snapshot is written and the problem names its place', async () => {
      const { store } = subject;
      await seeded(store, [checkout(), fx()], day1);
      const before = await portView(store);
      const report = await importSnapshots(store, day2, [
        snapshot('inventory', [checkout({ purpose: 'changed' }), apiEntry({ ref: 'new-api', owner: ownedBy('risk', 'zed') })]),
        snapshot('aws', [ciKey(), identityEntry({ ref: 'bad-key', expiresAt: 'not a date' }, { at: { file: 'keys.csv', line: 7 } })]),
      ]);
      expect(report).toMatchObject({ applied: false, invalid: 1, problemCount: 1 });
      expect(report.problems).toEqual([{ at: { file: 'keys.csv', line: 7 }, field: 'expiresAt', message: expect.stringContaining('ISO 8601') }]);
      expect(await portView(store)).toEqual(before);
      expect(await store.itemIdOf('api', 'new-api')).toBeNull();
      expect(await store.hasItemsFrom(['aws'])).toBe(false);
    });

    it('when only the store can see the problem (a ref twice in one snapshot), then the import is refused and nothing is written', async () => {
      const { store } = subject;
      await seeded(store, [fx()], day1);
      const before = await portView(store);
      const report = await importSource(store, day2, 'inventory', [
        fx(),
        apiEntry({ ref: 'dup-api' }, { sourceKey: 'row-1' }),
        apiEntry({ ref: 'dup-api' }, { sourceKey: 'row-2', at: { file: 'apis.csv', line: 9 } }),
      ]);
      expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ at: { file: 'apis.csv', line: 9 }, message: expect.stringContaining('more than once') }] });
      expect(await portView(store)).toEqual(before);
    });

    it('when reading the entries fails half-way (the source file breaks), then the import rejects, nothing is written, and the store works on', async () => {
      const { store } = subject;
      await seeded(store, [fx()], day1);
      const before = await portView(store);
      function* breaking(): Generator<CheckedEntry> {
        yield { type: 'api', at: { file: 'apis.csv', line: 2 }, sourceKey: 'api:half-api', data: { ref: 'half-api', name: 'half-api', links: [] } };
        throw new Error('disk gone');
      }
      await expect(store.importEntries({ snapshots: [{ source: 'inventory', format: 'test', entries: breaking() }], at: day2, actor, dryRun: false })).rejects.toThrow('disk gone');
      expect(await portView(store)).toEqual(before);
      await imported(store, day3, 'inventory', [fx(), checkout()]);
      expect(await store.countInventory()).toMatchObject({ apis: 2 });
    });
  });

  describe('importEntries: a ref belongs to one source at a time', () => {
    const catalogPetstore = () => apiEntry({ ref: 'petstore', owner: ownedBy('platform', 'pat') });
    const csvPetstore = () => apiEntry({ ref: 'petstore', purpose: 'demo' }, { sourceKey: 'petstore-row' });

    it('when a second source names an item its first source still holds, then the import is refused on the ref and changes nothing', async () => {
      const { store } = subject;
      await seeded(store, []);
      await imported(store, day1, 'catalog', [catalogPetstore()]);
      const before = await portView(store);
      const report = await importSource(store, day2, 'csv', [csvPetstore()]);
      expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ field: 'ref', message: expect.stringContaining('belongs to source catalog') }] });
      expect(await portView(store)).toEqual(before);
    });

    it('when a second source names it in another case, then it is still the same ref and still refused', async () => {
      const { store } = subject;
      await seeded(store, []);
      await imported(store, day1, 'catalog', [catalogPetstore()]);
      const report = await importSource(store, day2, 'csv', [apiEntry({ ref: 'PetStore' }, { sourceKey: 'petstore-row' })]);
      expect(report).toMatchObject({ applied: false, invalid: 1, problems: [{ field: 'ref' }] });
      expect(await store.countInventory()).toMatchObject({ apis: 1 });
    });

    it('when the item has vanished from its first source, then the second takes the same item over, with a note and an audit event', async () => {
      const { store } = subject;
      await seeded(store, []);
      await imported(store, day1, 'catalog', [catalogPetstore()]);
      const id = await itemIdOf(store, 'api', 'petstore');
      await imported(store, day2, 'catalog', []);
      const report = await importSource(store, day3, 'csv', [csvPetstore()]);
      expect(report.applied).toBe(true);
      expect(report.sources[0]?.notes).toEqual(['api petstore: taken over from source catalog, where it had vanished']);
      expect(report.sources[0]?.apis).toMatchObject({ created: 0, updated: 1, reappeared: 1 });
      expect(await store.itemIdOf('api', 'petstore')).toBe(id);
      const detail = await store.getItemDetail('api', 'petstore');
      expect(detail?.item.provenance).toMatchObject({ source: 'csv', sourceKey: 'petstore-row', vanishedAt: null });
      expect(detail?.item.owner).toMatchObject({ team: { slug: 'platform' }, accountable: { email: email('pat') } });
      const trail = await store.itemAuditTrail('api', 'petstore', 10_000);
      expect(trail?.events.filter((e) => e.action === 'item.source_changed').map((e) => e.details)).toEqual([{ from: 'catalog', to: 'csv' }]);
      expect(await store.hasItemsFrom(['catalog'])).toBe(false);
      expect(await store.hasItemsFrom(['csv'])).toBe(true);
    });

    it('when the first source is imported again after the take-over, then the item does not vanish (it is the other source’s now)', async () => {
      const { store } = subject;
      await seeded(store, []);
      await imported(store, day1, 'catalog', [catalogPetstore()]);
      await imported(store, day2, 'catalog', []);
      await imported(store, day3, 'csv', [csvPetstore()]);
      const report = await importSource(store, day4, 'catalog', []);
      expect(report.sources[0]?.apis).toEqual(nothing);
      expect((await store.getItemDetail('api', 'petstore'))?.item.provenance).toMatchObject({ source: 'csv', vanishedAt: null });
    });
  });

  describe('importEntries: ownership is history, never overwritten', () => {
    it('when the owner changes, then the old owner becomes a period of history, the new one holds since the import, and the trail says from and to', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const report = await importSource(store, day2, 'inventory', [checkout({ owner: ownedBy('ledger', 'leo', 'lia') })]);
      expect(report.sources[0]).toMatchObject({ ownershipChanges: 1, apis: { ...nothing, updated: 1 } });
      const detail = await store.getItemDetail('api', 'checkout-api');
      expect(detail?.item.owner).toMatchObject({ team: { slug: 'ledger' }, accountable: { email: email('leo') }, backup: { email: email('lia') }, approver: null, since: day2 });
      expect(detail?.history).toEqual([{ team: 'payments', accountable: email('ana'), backup: email('ben'), approver: null, fromAt: day1, toAt: day2 }]);
      const trail = await store.itemAuditTrail('api', 'checkout-api', 1);
      expect(trail?.events[0]).toMatchObject({
        at: day2,
        action: 'item.owner_changed',
        details: {
          source: 'inventory',
          from: { team: 'payments', accountable: email('ana'), backup: email('ben'), approver: null },
          to: { team: 'ledger', accountable: email('leo'), backup: email('lia'), approver: null },
        },
      });
    });

    it('when the owner changes twice, then history holds both earlier owners, newest first', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      await imported(store, day2, 'inventory', [checkout({ owner: ownedBy('ledger', 'leo') })]);
      await imported(store, day3, 'inventory', [checkout({ owner: ownedBy('platform', 'pat') })]);
      expect((await store.getItemDetail('api', 'checkout-api'))?.history.map((h) => [h.team, h.accountable, h.fromAt, h.toAt])).toEqual([
        ['ledger', email('leo'), day2, day3],
        ['payments', email('ana'), day1, day2],
      ]);
    });

    it('when an unowned item gets its first owner, then no empty period enters history', async () => {
      const { store } = subject;
      await seeded(store, [apiEntry({ ref: 'orphan-api' })], day1);
      const report = await importSource(store, day2, 'inventory', [apiEntry({ ref: 'orphan-api', owner: ownedBy('platform', 'pat') })]);
      expect(report.sources[0]?.ownershipChanges).toBe(1);
      const detail = await store.getItemDetail('api', 'orphan-api');
      expect(detail?.history).toEqual([]);
      expect(detail?.item.owner).toMatchObject({ team: { slug: 'platform' }, accountable: { email: email('pat') }, since: day2 });
    });

    it('when a source names only the same team, then the accountable person and backup stored are kept', async () => {
      const { store } = subject;
      await seeded(store, [checkout()], day1);
      const report = await importSource(store, day2, 'inventory', [checkout({ owner: { team: 'payments' } })]);
      expect(report.sources[0]).toMatchObject({ ownershipChanges: 0, apis: { ...nothing, unchanged: 1 } });
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.owner).toMatchObject({ accountable: { email: email('ana') }, backup: { email: email('ben') }, since: day1 });
    });
  });
}
