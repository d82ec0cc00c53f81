import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/ports/store.js';
import { apiEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import type { ContractSubject, OpenSameDatabase } from './contract-store.js';
import { portView } from './port-view.js';
import { answerAs, email, importedAt, openAttestationId, plusDays, seeded, tickAt, trailActions } from './scenario.js';

const inventory = () => [
  apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('ledger', 'leo') }),
];

/**
 * Two stores on one database, as two `steward` processes (or, later, two replicas) have: what one commits the
 * other reads, and the promises that hold within one store (an answer once, an event once, time forward) hold
 * across them.
 */
export function describeSharedDatabaseContract(subject: ContractSubject, openSameDatabase: OpenSameDatabase): void {
  describe('two stores on one database', () => {
    let second: Store | undefined;
    afterEach(async () => {
      await second?.close();
      second = undefined;
    });
    const other = async (): Promise<Store> => (second = await openSameDatabase(subject.store));

    it('when one store imports, ticks and answers, then the other reads exactly the same', async () => {
      const store = await seeded(subject.store, inventory());
      await tickAt(store, importedAt);
      await answerAs(store, plusDays(importedAt, 1), email('ana'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'confirm' });
      expect(await portView(await other())).toEqual(await portView(store));
    });

    it('when one store records a later time, then the other refuses a tick before it', async () => {
      const store = await seeded(subject.store, inventory());
      const reader = await other();
      await tickAt(store, plusDays(importedAt, 1));
      const refused = await tickAt(reader, importedAt);
      expect(refused).toMatchObject({ decisions: [], notBefore: plusDays(importedAt, 1) });
    });

    it('when both answer the same attestation, then the second is refused as already closed', async () => {
      const store = await seeded(subject.store, inventory());
      await tickAt(store, importedAt);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      const reader = await other();
      expect((await answerAs(store, plusDays(importedAt, 1), email('ana'), [id], { type: 'confirm' })).results[0]).toMatchObject({ ok: true });
      expect((await answerAs(reader, plusDays(importedAt, 1), email('ben'), [id], { type: 'confirm' })).results[0]).toMatchObject({ ok: false, code: 'already_closed' });
    });

    it('when both tick at once, then each item is asked once', async () => {
      const store = await seeded(subject.store, inventory());
      const reader = await other();
      const results = await Promise.allSettled([tickAt(store, importedAt), tickAt(reader, importedAt)]);
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const ref of ['checkout-api', 'fx-api']) expect((await trailActions(store, 'api', ref)).filter((a) => a === 'attestation.opened')).toHaveLength(1);
    });

    it('when both receive the same event, then only one handles it', async () => {
      const { store } = subject;
      const reader = await other();
      expect(await store.recordEventOnce('Ev1', importedAt)).toBe(true);
      expect(await reader.recordEventOnce('Ev1', importedAt)).toBe(false);
      await reader.forgetEvent('Ev1');
      expect(await store.recordEventOnce('Ev1', importedAt)).toBe(true);
    });

    it('when the other store commits and closes, then what it committed is still read', async () => {
      const writer = await other();
      await seeded(writer, inventory());
      await tickAt(writer, importedAt);
      const committed = await portView(writer);
      await writer.close();
      second = undefined;
      expect(await portView(subject.store)).toEqual(committed);
    });
  });
}
