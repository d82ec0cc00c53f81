import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import { storeEntry } from '../../src/inventory/import-inventory.js';
import { inventoryCsv } from '../../adapters/sources/csv/inventory-csv.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';
import { plusDays } from '../support/loop.js';
import { useTempDir } from '../support/temp-dir.js';
import { approveChange, approvedStateOf, ownershipPeriodsOf } from './support/approved-state.js';
import { dumpTables } from './support/dump-tables.js';
import { auditEvents, itemOf } from './support/loop-state.js';

const day1 = '2026-11-01T09:00:00.000Z';
const approvedAt = plusDays(day1, 1);

const people = () => ['ana', 'ben', 'cat', 'dan'].map((name) => personEntry(`${name}@acme.example`));
const owned = { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' };
const deployer = (data: Partial<Extract<RawEntry, { type: 'identity' }>['data']> = {}) =>
  identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: owned, ...data });
const paymentsApi = (data: Partial<Extract<RawEntry, { type: 'api' }>['data']> = {}) =>
  apiEntry({ ref: 'payments-api', lifecycle: 'production', owner: owned, ...data });
const ledgerApi = () => apiEntry({ ref: 'ledger-api', owner: { team: 'ledger', accountable: 'cat@acme.example' } });

async function importAt(store: SqliteStore, day: number, entries: RawEntry[], dryRun = false) {
  const report = await importSnapshots(store, [snapshot('catalog', [...people(), ...entries])], { at: plusDays(day1, day), dryRun });
  expect(report.invalid).toBe(0);
  return report;
}

/** A store whose items were imported on day 1, then changed by an approved request on day 2. */
async function approved(change: Parameters<typeof approveChange>[2]) {
  const store = memoryStore();
  await importAt(store, 0, [deployer(), paymentsApi(), ledgerApi()]);
  const ref = change.field === 'scopes' ? 'ci-deployer' : 'payments-api';
  const requestId = approveChange(store, ref, change, { by: 'ana@acme.example', at: approvedAt });
  return { store, requestId };
}

async function identity(store: SqliteStore) {
  const item = (await store.getItemDetail('identity', 'ci-deployer'))?.item;
  if (item?.kind !== 'identity') throw new Error('no identity ci-deployer');
  return item;
}

async function api(store: SqliteStore) {
  const item = (await store.getItemDetail('api', 'payments-api'))?.item;
  if (item?.kind !== 'api') throw new Error('no api payments-api');
  return item;
}

describe('imports respect approved scopes', () => {
  it('when the source still names the old scopes, then the item keeps the approved ones and the import reports the drift', async () => {
    const { store, requestId } = await approved({ field: 'scopes', scopes: ['read', 'write'] });

    const report = await importAt(store, 2, [deployer({ purpose: 'Deploys from CI' }), paymentsApi(), ledgerApi()]);

    expect(await identity(store)).toMatchObject({ scopes: ['read', 'write'], purpose: 'Deploys from CI' });
    expect(report.sources[0]?.drift).toEqual([{ kind: 'identity', ref: 'ci-deployer', field: 'scopes', source: 'read', approved: 'read write', requestId }]);
    expect(approvedStateOf(store, 'ci-deployer')).toEqual([{ field: 'scopes', requestId }]);
  });

  it('when the same stale source is imported again, then the drift is reported again, with no audit event for it', async () => {
    const { store, requestId } = await approved({ field: 'scopes', scopes: ['read', 'write'] });
    await importAt(store, 2, [deployer(), paymentsApi(), ledgerApi()]);
    const eventsBefore = auditEvents(store).length;

    const report = await importAt(store, 3, [deployer(), paymentsApi(), ledgerApi()]);

    expect(report.sources[0]).toMatchObject({ identities: { unchanged: 1, updated: 0 }, apis: { unchanged: 2 } });
    expect(report.sources[0]?.drift).toEqual([expect.objectContaining({ ref: 'ci-deployer', field: 'scopes', requestId })]);
    expect(auditEvents(store).slice(eventsBefore).map((e) => e.action)).toEqual(['import.applied']);
    expect(auditEvents(store, { action: 'import.applied' }).at(-1)?.details).toMatchObject({ drift: 1 });
    expect((await identity(store)).scopes).toEqual(['read', 'write']);
  });

  it('when the source is fixed (the approved scopes, in any order), then the approved state is cleared, audited, and the source wins its next change', async () => {
    const { store, requestId } = await approved({ field: 'scopes', scopes: ['read', 'write'] });
    await importAt(store, 2, [deployer(), paymentsApi(), ledgerApi()]);

    const fixed = await importAt(store, 3, [deployer({ scopes: ['write', 'read'] }), paymentsApi(), ledgerApi()]);
    expect(fixed.sources[0]?.drift).toEqual([]);
    expect(fixed.sources[0]?.notes).toEqual([expect.stringContaining(`identity ci-deployer scopes: the source now states what request #${requestId} approved`)]);
    expect(approvedStateOf(store, 'ci-deployer')).toEqual([]);
    expect(auditEvents(store, { action: 'item.approved_state_cleared' })).toEqual([
      expect.objectContaining({ subject: 'ci-deployer', details: { source: 'catalog', field: 'scopes', requestId } }),
    ]);

    const changed = await importAt(store, 4, [deployer({ scopes: ['read'] }), paymentsApi(), ledgerApi()]);
    expect(changed.sources[0]?.drift).toEqual([]);
    expect((await identity(store)).scopes).toEqual(['read']);
  });
});

describe('imports respect an approved ownership transfer', () => {
  it('when the source still names the old owner, then the item keeps the approved one, with no history row or owner change event', async () => {
    const { store, requestId } = await approved({ field: 'owner', team: 'ledger', accountable: 'cat@acme.example' });
    const periodsBefore = ownershipPeriodsOf(store, 'payments-api');

    const report = await importAt(store, 2, [deployer(), paymentsApi(), ledgerApi()]);

    expect(itemOf(store, 'payments-api')).toMatchObject({ team: 'ledger', accountable: 'cat@acme.example', backup: null });
    expect(ownershipPeriodsOf(store, 'payments-api')).toBe(periodsBefore);
    expect(auditEvents(store, { action: 'item.owner_changed' })).toEqual([]);
    expect(report.sources[0]).toMatchObject({ ownershipChanges: 0, apis: { unchanged: 2 } });
    expect(report.sources[0]?.drift).toEqual([
      { kind: 'api', ref: 'payments-api', field: 'owner', source: 'payments (ana@acme.example)', approved: 'ledger (cat@acme.example)', requestId },
    ]);
  });

  it('when the source names the approved team with another accountable person, then that is drift, and the backup follows the source', async () => {
    const { store } = await approved({ field: 'owner', team: 'ledger', accountable: 'cat@acme.example' });

    const report = await importAt(store, 2, [deployer(), paymentsApi({ owner: { team: 'ledger', accountable: 'ana@acme.example', backup: 'dan@acme.example' } }), ledgerApi()]);

    expect(itemOf(store, 'payments-api')).toMatchObject({ team: 'ledger', accountable: 'cat@acme.example', backup: 'dan@acme.example' });
    expect(report.sources[0]?.drift.map((d) => d.source)).toEqual(['ledger (ana@acme.example)']);
  });

  it('when the source names only the approved team, then it neither hands the item back nor is drift: the approved owner stays, and a later stale source is still drift', async () => {
    const { store, requestId } = await approved({ field: 'owner', team: 'ledger', accountable: 'cat@acme.example' });

    const teamOnly = await importAt(store, 2, [deployer(), paymentsApi({ owner: { team: 'ledger' } }), ledgerApi()]);
    expect(teamOnly.sources[0]?.drift).toEqual([]);
    expect(approvedStateOf(store, 'payments-api')).toEqual([{ field: 'owner', requestId }]);

    const stale = await importAt(store, 3, [deployer(), paymentsApi(), ledgerApi()]);
    expect(itemOf(store, 'payments-api')).toMatchObject({ team: 'ledger', accountable: 'cat@acme.example' });
    expect(stale.sources[0]?.drift.map((d) => d.field)).toEqual(['owner']);
  });

  it('when the source names the approved owner, then the approved state is cleared and the source owns it again', async () => {
    const { store } = await approved({ field: 'owner', team: 'ledger', accountable: 'cat@acme.example' });

    const fixed = await importAt(store, 2, [deployer(), paymentsApi({ owner: { team: 'ledger', accountable: 'cat@acme.example' } }), ledgerApi()]);
    expect(fixed.sources[0]?.drift).toEqual([]);
    expect(approvedStateOf(store, 'payments-api')).toEqual([]);

    await importAt(store, 3, [deployer(), paymentsApi({ owner: { team: 'ledger', accountable: 'dan@acme.example' } }), ledgerApi()]);
    expect(itemOf(store, 'payments-api')).toMatchObject({ team: 'ledger', accountable: 'dan@acme.example' });
  });
});

describe('imports respect an approved decommission', () => {
  it('when the source still says production, then the API stays decommissioned and the drift is reported', async () => {
    const { store, requestId } = await approved({ field: 'retired' });

    const report = await importAt(store, 2, [deployer(), paymentsApi({ purpose: 'Takes card payments' }), ledgerApi()]);

    expect(await api(store)).toMatchObject({ lifecycle: 'decommissioned', purpose: 'Takes card payments' });
    expect(report.sources[0]?.drift).toEqual([
      { kind: 'api', ref: 'payments-api', field: 'retired', source: 'lifecycle production', approved: 'lifecycle decommissioned', requestId },
    ]);
  });

  it('when the source still says active, then the identity stays decommissioned; once it says revoked, the source wins again', async () => {
    const store = memoryStore();
    await importAt(store, 0, [deployer()]);
    const requestId = approveChange(store, 'ci-deployer', { field: 'retired' }, { by: 'ana@acme.example', at: approvedAt });

    const stale = await importAt(store, 2, [deployer()]);
    expect((await identity(store)).status).toBe('decommissioned');
    expect(stale.sources[0]?.drift).toEqual([expect.objectContaining({ field: 'retired', source: 'status active', approved: 'status decommissioned', requestId })]);

    const fixed = await importAt(store, 3, [deployer({ status: 'revoked' })]);
    expect(fixed.sources[0]?.drift).toEqual([]);
    expect((await identity(store)).status).toBe('revoked');
    expect(approvedStateOf(store, 'ci-deployer')).toEqual([]);
  });
});

describe('approved state and the rest of the import', () => {
  it('when it is a dry run, then the drift is reported the same and nothing is written', async () => {
    const { store, requestId } = await approved({ field: 'scopes', scopes: ['read', 'write'] });
    const before = dumpTables(store);

    const stale = await importAt(store, 2, [deployer(), paymentsApi(), ledgerApi()], true);
    const fixed = await importAt(store, 2, [deployer({ scopes: ['read', 'write'] }), paymentsApi(), ledgerApi()], true);

    expect(stale).toMatchObject({ dryRun: true, applied: false });
    expect(stale.sources[0]?.drift).toEqual([expect.objectContaining({ ref: 'ci-deployer', field: 'scopes', requestId })]);
    expect(fixed.sources[0]?.drift).toEqual([]);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when only some items have approved state, then only those are checked again; the others stay on the unchanged path', async () => {
    const { store } = await approved({ field: 'scopes', scopes: ['read', 'write'] });
    let checks = 0;
    const counted = (entry: RawEntry) => {
      const pending = storeEntry(entry);
      return pending.type !== 'pending' ? pending : { ...pending, check: () => ((checks += 1), pending.check()) };
    };

    const entries = [...people(), deployer(), paymentsApi(), ledgerApi()].map(counted);
    const report = await store.importEntries({ snapshots: [{ source: 'catalog', format: 'test', entries }], at: plusDays(day1, 2), actor: 'test', dryRun: false });

    expect(checks).toBe(1);
    expect(report.sources[0]).toMatchObject({ apis: { unchanged: 2, updated: 0 }, identities: { unchanged: 1, updated: 0 } });
  });

  it('when the approved state was cleared, then the next unchanged import takes the unchanged path for it too', async () => {
    const { store } = await approved({ field: 'scopes', scopes: ['read', 'write'] });
    await importAt(store, 2, [deployer({ scopes: ['read', 'write'] }), paymentsApi(), ledgerApi()]);
    let checks = 0;
    const counted = (entry: RawEntry) => {
      const pending = storeEntry(entry);
      return pending.type !== 'pending' ? pending : { ...pending, check: () => ((checks += 1), pending.check()) };
    };

    const entries = [...people(), deployer({ scopes: ['read', 'write'] }), paymentsApi(), ledgerApi()].map(counted);
    await store.importEntries({ snapshots: [{ source: 'catalog', format: 'test', entries }], at: plusDays(day1, 3), actor: 'test', dryRun: false });

    expect(checks).toBe(0);
  });
});

describe('approved state through the CSV importer', () => {
  const dir = useTempDir('approved-state');
  const csv = (deployerScopes: string) =>
    [
      'ref,name,kind,provider,scopes,owner_team,accountable',
      `ci-deployer,CI deployer,service_account,aws,${deployerScopes},payments,ana@acme.example`,
      'report-reader,Report reader,service_account,aws,read,payments,ana@acme.example',
      'backup-writer,Backup writer,service_account,aws,write,payments,ana@acme.example',
    ].join('\n');
  const importCsv = (store: SqliteStore, day: number, text: string) => {
    const file = dir.write('identities.csv', text);
    return importSnapshots(store, inventoryCsv.read([file], { source: 'csv:identities' }, { apiCodePaths: [] }), { at: plusDays(day1, day) });
  };

  it('when a CSV re-import still lists the old scopes, then the drift is reported on every import and the other rows stay unchanged', async () => {
    const store = memoryStore();
    await importCsv(store, 0, csv('read'));
    const requestId = approveChange(store, 'ci-deployer', { field: 'scopes', scopes: ['read', 'deploy'] }, { by: 'ana@acme.example', at: approvedAt });

    for (const day of [2, 3]) {
      const report = await importCsv(store, day, csv('read'));
      expect(report.sources[0]).toMatchObject({ identities: { created: 0, updated: 0, unchanged: 3 } });
      expect(report.sources[0]?.drift).toEqual([{ kind: 'identity', ref: 'ci-deployer', field: 'scopes', source: 'read', approved: 'read deploy', requestId }]);
    }
    expect((await identity(store)).scopes).toEqual(['read', 'deploy']);

    const fixed = await importCsv(store, 4, csv('"read deploy"'));
    expect(fixed.sources[0]?.drift).toEqual([]);
    expect(approvedStateOf(store, 'ci-deployer')).toEqual([]);
  });
});
