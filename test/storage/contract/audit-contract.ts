import { describe, expect, it } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import type { ContractSubject } from './contract-store.js';
import { actor, answerAs, claimAs, email, imported, importedAt, importSource, itemIdOf, openAttestationId, plusDays, seeded, tickAt } from './scenario.js';

const day2 = plusDays(importedAt, 1);
const day3 = plusDays(importedAt, 2);
const day4 = plusDays(importedAt, 3);

const checkout = (purpose = 'v1') => apiEntry({ ref: 'checkout-api', purpose, sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') });

/*
 * The audit log through the port: every change lengthens one hash chain that still verifies, and an item's
 * trail holds its own events, oldest first. (A tampered chain can only be made behind the port's back, so the
 * implementation's own tests check that `brokenAt` finds it.)
 */
export function describeAuditContract(subject: ContractSubject): void {
  describe('verifyAuditChain', () => {
    it('when nothing has happened, then the empty chain verifies', async () => {
      expect(await subject.store.verifyAuditChain()).toEqual({ ok: true, events: 0, brokenAt: null, head: null });
    });

    it('when imports, ticks, answers, claims and leavers change things, then each lengthens the chain and it still verifies', async () => {
      const { store } = subject;
      const lengths: number[] = [];
      const verified = async () => {
        const chain = await store.verifyAuditChain();
        expect(chain).toMatchObject({ ok: true, brokenAt: null });
        lengths.push(chain.events);
      };
      await seeded(store, [checkout(), apiEntry({ ref: 'orphan-api' })]);
      await verified();
      await tickAt(store, importedAt);
      await verified();
      await answerAs(store, day2, email('ana'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'confirm' });
      await verified();
      await claimAs(store, day2, email('pat'), await itemIdOf(store, 'api', 'orphan-api'), 'platform');
      await verified();
      await store.markPersonLeft({ email: email('ben') }, day3, 'left the company');
      await verified();
      expect(lengths.every((n, i) => i === 0 || n > (lengths[i - 1] ?? 0))).toBe(true);
      expect(lengths[0]).toBeGreaterThan(0);
      expect(await store.verifyAuditChain()).toMatchObject({ ok: true, brokenAt: null });
    });

    it('when an import is refused or only a dry run, then the chain does not grow', async () => {
      const { store } = subject;
      await seeded(store, [checkout()]);
      const before = await store.verifyAuditChain();
      await importSource(store, day2, 'inventory', [checkout('v2')], true);
      await importSource(store, day2, 'inventory', [checkout('v2'), apiEntry({ ref: 'bad-api', exposure: 'galactic' })]);
      expect(await store.verifyAuditChain()).toEqual(before);
    });
  });

  describe('itemAuditTrail', () => {
    it('when an item changes, then its trail holds each change oldest first, with when, who, what and the details', async () => {
      const { store } = subject;
      await seeded(store, [checkout('v1')]);
      await imported(store, day2, 'inventory', [checkout('v2')]);
      await imported(store, day3, 'inventory', [checkout('v3')]);
      const trail = await store.itemAuditTrail('api', 'checkout-api', 100);
      expect(trail?.events.slice(-2)).toEqual([
        { id: expect.any(Number), at: day2, actor, action: 'item.updated', details: { source: 'inventory', changes: { purpose: ['v1', 'v2'] } } },
        { id: expect.any(Number), at: day3, actor, action: 'item.updated', details: { source: 'inventory', changes: { purpose: ['v2', 'v3'] } } },
      ]);
      const ids = trail?.events.map((e) => e.id) ?? [];
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(trail?.total).toBe(ids.length);
    });

    it('when a limit is given, then the latest events come back, oldest first, and the total counts them all', async () => {
      const { store } = subject;
      await seeded(store, [checkout('v1')]);
      const start = (await store.itemAuditTrail('api', 'checkout-api', 100))?.total ?? 0;
      await imported(store, day2, 'inventory', [checkout('v2')]);
      await imported(store, day3, 'inventory', [checkout('v3')]);
      await imported(store, day4, 'inventory', [checkout('v4')]);
      const trail = await store.itemAuditTrail('api', 'checkout-api', 2);
      expect(trail?.total).toBe(start + 3);
      expect(trail?.events.map((e) => [e.at, e.details['changes']])).toEqual([
        [day3, { purpose: ['v2', 'v3'] }],
        [day4, { purpose: ['v3', 'v4'] }],
      ]);
    });

    it('when another item changes, then it is not on this item’s trail', async () => {
      const { store } = subject;
      await seeded(store, [checkout('v1'), apiEntry({ ref: 'fx-api', purpose: 'v1' })]);
      const before = await store.itemAuditTrail('api', 'checkout-api', 100);
      await imported(store, day2, 'inventory', [checkout('v1'), apiEntry({ ref: 'fx-api', purpose: 'v2' })]);
      expect(await store.itemAuditTrail('api', 'checkout-api', 100)).toEqual(before);
      expect((await store.itemAuditTrail('api', 'fx-api', 1))?.events.map((e) => e.action)).toEqual(['item.updated']);
    });

    it('when the loop acts on an item, then the tick’s, the answer’s and a refusal’s events are on its trail, each with its actor', async () => {
      const { store } = subject;
      await seeded(store, [checkout()]);
      await tickAt(store, importedAt);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      await answerAs(store, day2, email('zed'), [id], { type: 'confirm' });
      await answerAs(store, day2, email('ana'), [id], { type: 'confirm' });
      const trail = await store.itemAuditTrail('api', 'checkout-api', 3);
      expect(trail?.events).toEqual([
        expect.objectContaining({ at: importedAt, action: 'attestation.opened', details: expect.objectContaining({ attestation: id, person: email('ana'), reason: 'scheduled' }) }),
        expect.objectContaining({ at: day2, actor: email('zed'), action: 'attestation.answer_refused', details: { attestation: id, code: 'not_owner' } }),
        expect.objectContaining({ at: day2, actor: email('ana'), action: 'attestation.answered', details: expect.objectContaining({ attestation: id, outcome: 'attested' }) }),
      ]);
    });

    it('when there is no such item (or not of that kind), then there is no trail', async () => {
      const { store } = subject;
      await seeded(store, [checkout()]);
      expect(await store.itemAuditTrail('api', 'nowhere-api', 10)).toBeNull();
      expect(await store.itemAuditTrail('identity', 'checkout-api', 10)).toBeNull();
      expect(await store.itemAuditTrail('api', 'CHECKOUT-API', 10)).not.toBeNull();
    });
  });
}
