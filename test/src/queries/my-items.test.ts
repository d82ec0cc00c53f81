import { describe, expect, it } from 'vitest';
import { myItems } from '../../../src/queries/my-items.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { answer, importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { itemOf, openAttestationOf } from '../../storage/support/loop-state.js';

/*
 * "My items" (App Home, `mine`) against a real database: what waits for a person's answer, with the facts the
 * attestation stored, what they are accountable for, and what they back up.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy();

const ciKey = (purpose = 'Deploys checkout') =>
  identityEntry({
    ref: 'ci-deploy-key',
    name: 'CI deploy key',
    identityKind: 'api_key',
    purpose,
    scopes: ['deploy:write'],
    createdAt: '2026-10-01',
    expiresAt: '2027-03-01',
    lastUsedAt: '2026-10-30',
    recoveryProcedure: 'Rotate in Vault',
    owner: ownedBy('payments', 'ben', 'ana'),
  });

const inventory = (keyPurpose?: string) => [
  apiEntry({ ref: 'checkout-api', name: 'Checkout API', purpose: 'Takes card payments', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') }),
  apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger', 'leo', 'lia') }),
  ciKey(keyPurpose),
];

/** The inventory imported and every first attestation opened. */
async function asked(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory());
  await tick(store, policy, askedAt);
  return store;
}

describe('myItems: what waits for a person, what they own, what they back up', () => {
  it('when a person is accountable for some items and backs up another, then each is in its group, and all three wait for their answer', async () => {
    const store = await asked();
    const mine = await myItems(store, { email: 'ana@acme.example' });
    expect(mine?.person).toEqual({ email: 'ana@acme.example', displayName: 'Ana' });
    expect(mine?.owned.map((i) => [i.kind, i.ref, i.team, i.accountable])).toEqual([
      ['api', 'checkout-api', 'payments', 'ana@acme.example'],
      ['api', 'fx-api', 'payments', 'ana@acme.example'],
    ]);
    expect(mine?.backing.map((i) => [i.kind, i.ref, i.accountable])).toEqual([['identity', 'ci-deploy-key', 'ben@acme.example']]);
    expect(mine?.pending.map((p) => [p.ref, p.asBackup]).sort()).toEqual([
      ['checkout-api', false],
      ['ci-deploy-key', true],
      ['fx-api', false],
    ]);
  });

  it('when attestations wait, then each carries its ids, kind, name, times and the facts it asks about; the soonest due come first', async () => {
    const store = await asked();
    const pending = (await myItems(store, { email: 'ana@acme.example' }))?.pending ?? [];
    const open = openAttestationOf(store, 'checkout-api');
    expect(pending.find((p) => p.ref === 'checkout-api')).toEqual({
      attestationId: open.id,
      itemId: itemOf(store, 'checkout-api').id,
      kind: 'api',
      ref: 'checkout-api',
      name: 'Checkout API',
      facts: open.facts,
      openedAt: open.openedAt,
      dueAt: open.dueAt,
      asBackup: false,
    });
    expect(pending.find((p) => p.ref === 'ci-deploy-key')?.facts).toMatchObject({ purpose: 'Deploys checkout', scopes: ['deploy:write'], expiresAt: '2027-03-01T00:00:00.000Z' });
    const dueTimes = pending.map((p) => p.dueAt);
    expect(dueTimes).toEqual([...dueTimes].sort());
  });

  it('when the item changed after the attestation opened, then the facts shown are the ones stored with the attestation', async () => {
    const store = await asked();
    await importLoop(store, plusDays(askedAt, 1), inventory('Deploys checkout and refunds'));
    const pending = (await myItems(store, { email: 'ben@acme.example' }))?.pending ?? [];
    expect(pending.find((p) => p.ref === 'ci-deploy-key')?.facts.purpose).toBe('Deploys checkout');
  });

  it('when an attestation is answered, then it no longer waits, and the item stays among those owned', async () => {
    const store = await asked();
    await answer(store, policy, plusDays(askedAt, 1), 'ana@acme.example', [openAttestationOf(store, 'checkout-api').id], { type: 'confirm' });
    const mine = await myItems(store, { email: 'ana@acme.example' });
    expect(mine?.pending.map((p) => p.ref).sort()).toEqual(['ci-deploy-key', 'fx-api']);
    expect(mine?.owned.map((i) => i.ref)).toContain('checkout-api');
  });

  it('when the backup is asked, then the accountable person sees it waiting and the backup sees it as backup', async () => {
    const store = await asked();
    const ben = await myItems(store, { email: 'ben@acme.example' });
    expect(ben?.pending.map((p) => [p.ref, p.asBackup]).sort()).toEqual([
      ['checkout-api', true],
      ['ci-deploy-key', false],
    ]);
  });

  it('when an item vanished from its source, then it is no longer among the items owned', async () => {
    const store = await asked();
    await importLoop(store, plusDays(askedAt, 1), inventory().filter((e) => e.data.ref !== 'fx-api'));
    expect((await myItems(store, { email: 'ana@acme.example' }))?.owned.map((i) => i.ref)).toEqual(['checkout-api']);
  });

  it('when the person is named by their Slack id, then it is the same person’s items', async () => {
    const store = await asked();
    const ana = await store.chatPersonBy({ email: 'ana@acme.example' });
    await store.linkChatAccount(ana?.personId ?? 0, { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    expect(await myItems(store, { platform: 'slack', accountId: 'U0ANA' })).toEqual(await myItems(store, { email: 'Ana@acme.example' }));
  });

  it('when the person has nothing, then the groups are empty; when Steward does not know them, it is null', async () => {
    const store = await asked();
    expect(await myItems(store, { email: 'zed@acme.example' })).toEqual({ person: { email: 'zed@acme.example', displayName: 'Zed' }, pending: [], decisions: [], owned: [], backing: [] });
    expect(await myItems(store, { email: 'nobody@acme.example' })).toBeNull();
    expect(await myItems(store, { platform: 'slack', accountId: 'U0NOBODY' })).toBeNull();
    expect(await myItems(store, { platform: 'teams', accountId: 'aad-nobody' })).toBeNull();
  });
});
