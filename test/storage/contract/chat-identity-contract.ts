import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/errors.js';
import type { ChatPerson } from '../../../src/ports/chat-identity-store.js';
import type { Store } from '../../../src/ports/store.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import type { ContractSubject } from './contract-store.js';
import { portView } from './port-view.js';
import { answerAs, email, imported, importedAt, openAttestationId, personIdOf, plusDays, seeded, tickAt } from './scenario.js';

const leftAt = plusDays(importedAt, 1);
const slackAna = { platform: 'slack', accountId: 'U0ANA' } as const;

const inventory = () => [
  apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }),
  identityEntry({ ref: 'ci-key', identityKind: 'api_key', owner: ownedBy('payments', 'ben', 'ana') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('ledger', 'leo') }),
];

/** A person's accounts in a fixed order, so the contract does not depend on the order a store lists them in. */
const accountsOf = (person: ChatPerson | null) => [...(person?.accounts ?? [])].sort((a, b) => `${a.platform}:${a.accountId}`.localeCompare(`${b.platform}:${b.accountId}`));

/** chatPerson, chatPersonBy, linkChatAccount, markPersonLeft, recordEventOnce, forgetEvent and myItems. */
export function describeChatIdentityContract(subject: ContractSubject): void {
  describe('chatPerson and chatPersonBy', () => {
    it('when a person is known, then they are found by id and by email (any case, spaces around), active, with no account yet', async () => {
      const store = await seeded(subject.store, inventory());
      const ana = await personIdOf(store, email('ana'));
      const expected = { personId: ana, email: email('ana'), active: true, accounts: [] };
      expect(await store.chatPerson(ana)).toEqual(expected);
      expect(await store.chatPersonBy({ email: email('ana') })).toEqual(expected);
      expect(await store.chatPersonBy({ email: '  Ana@ACME.example ' })).toEqual(expected);
      expect(await personIdOf(store, email('ben'))).not.toBe(ana);
    });

    it('when nobody is known by the id, the email or the account, then it is null', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.chatPerson(999_999)).toBeNull();
      expect(await store.chatPersonBy({ email: 'nobody@acme.example' })).toBeNull();
      expect(await store.chatPersonBy(slackAna)).toBeNull();
    });
  });

  describe('linkChatAccount: one account is one person, one person has one account per platform', () => {
    it('when a person is linked, then the account and its address are kept, and the account names them as an actor', async () => {
      const store = await seeded(subject.store, inventory());
      const ana = await personIdOf(store, email('ana'));
      await store.linkChatAccount(ana, slackAna, 'D0ANA');
      expect(await store.chatPerson(ana)).toEqual({ personId: ana, email: email('ana'), active: true, accounts: [{ ...slackAna, address: 'D0ANA' }] });
      expect((await store.chatPersonBy(slackAna))?.personId).toBe(ana);
      expect((await store.myItems(slackAna))?.person.email).toBe(email('ana'));
    });

    it('when the account is found before its address, then the address follows later, and linking again without one keeps it', async () => {
      const store = await seeded(subject.store, inventory());
      const ana = await personIdOf(store, email('ana'));
      await store.linkChatAccount(ana, slackAna, null);
      expect(accountsOf(await store.chatPerson(ana))).toEqual([{ ...slackAna, address: null }]);
      await store.linkChatAccount(ana, slackAna, 'D0ANA');
      await store.linkChatAccount(ana, slackAna, null);
      expect(accountsOf(await store.chatPerson(ana))).toEqual([{ ...slackAna, address: 'D0ANA' }]);
    });

    it('when a person gets another account on the same platform, then it replaces the old one, address and all', async () => {
      const store = await seeded(subject.store, inventory());
      const ana = await personIdOf(store, email('ana'));
      await store.linkChatAccount(ana, slackAna, 'D0ANA');
      await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA2' }, null);
      expect(accountsOf(await store.chatPerson(ana))).toEqual([{ platform: 'slack', accountId: 'U0ANA2', address: null }]);
      expect(await store.chatPersonBy(slackAna)).toBeNull();
    });

    it('when an account held by one person is linked to another, then the first lets go of it', async () => {
      const store = await seeded(subject.store, inventory());
      const [ana, ben] = [await personIdOf(store, email('ana')), await personIdOf(store, email('ben'))];
      await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0SHARED' }, 'D0ANA');
      await store.linkChatAccount(ben, { platform: 'slack', accountId: 'U0SHARED' }, 'D0BEN');
      expect((await store.chatPerson(ana))?.accounts).toEqual([]);
      expect(accountsOf(await store.chatPerson(ben))).toEqual([{ platform: 'slack', accountId: 'U0SHARED', address: 'D0BEN' }]);
      expect((await store.chatPersonBy({ platform: 'slack', accountId: 'U0SHARED' }))?.personId).toBe(ben);
    });

    it('when accounts are on different platforms, then a person keeps one on each, and the same id on two platforms is two accounts', async () => {
      const store = await seeded(subject.store, inventory());
      const [ana, ben] = [await personIdOf(store, email('ana')), await personIdOf(store, email('ben'))];
      await store.linkChatAccount(ana, { platform: 'slack', accountId: 'X1' }, 'D0ANA');
      await store.linkChatAccount(ana, { platform: 'teams', accountId: 'aad-ana' }, null);
      await store.linkChatAccount(ben, { platform: 'teams', accountId: 'X1' }, 'conv-ben');
      expect(accountsOf(await store.chatPerson(ana))).toEqual([
        { platform: 'slack', accountId: 'X1', address: 'D0ANA' },
        { platform: 'teams', accountId: 'aad-ana', address: null },
      ]);
      expect((await store.chatPersonBy({ platform: 'slack', accountId: 'X1' }))?.personId).toBe(ana);
      expect((await store.chatPersonBy({ platform: 'teams', accountId: 'X1' }))?.personId).toBe(ben);
    });

    it('when the person does not exist, then it fails with NotFoundError and changes nothing', async () => {
      const store = await seeded(subject.store, inventory());
      const ana = await personIdOf(store, email('ana'));
      await store.linkChatAccount(ana, slackAna, 'D0ANA');
      const before = await portView(store);
      await expect(store.linkChatAccount(999_999, slackAna, 'D0X')).rejects.toBeInstanceOf(NotFoundError);
      expect(await portView(store)).toEqual(before);
      expect((await store.chatPersonBy(slackAna))?.personId).toBe(ana);
    });
  });

  describe('markPersonLeft: a deleted chat account starts the leaver flow', () => {
    async function linked(store: Store): Promise<{ store: Store; ana: number }> {
      await seeded(store, inventory());
      const ana = await personIdOf(store, email('ana'));
      await store.linkChatAccount(ana, slackAna, 'D0ANA');
      return { store, ana };
    }

    it('when a known person’s account is deleted, then they are inactive, keep their accounts, and the audit chain records it', async () => {
      const { store, ana } = await linked(subject.store);
      const chain = await store.verifyAuditChain();
      expect(await store.markPersonLeft(slackAna, leftAt, 'their Slack account was deactivated')).toEqual({ personId: ana, email: email('ana') });
      expect(await store.chatPerson(ana)).toEqual({ personId: ana, email: email('ana'), active: false, accounts: [{ ...slackAna, address: 'D0ANA' }] });
      expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: chain.events + 1, brokenAt: null });
      expect((await store.getItemDetail('api', 'checkout-api'))?.item.owner.accountable).toMatchObject({ email: email('ana'), active: false });
      expect((await store.listItems({ unowned: true })).items.map((i) => i.ref)).toEqual(['checkout-api']);
    });

    it('when the same departure arrives again, or names them by email, then they are returned and nothing more is recorded', async () => {
      const { store, ana } = await linked(subject.store);
      await store.markPersonLeft(slackAna, leftAt, 'deactivated');
      const before = await portView(store);
      expect(await store.markPersonLeft(slackAna, leftAt, 'deactivated')).toEqual({ personId: ana, email: email('ana') });
      expect(await store.markPersonLeft({ email: email('ana') }, leftAt, 'deactivated')).toEqual({ personId: ana, email: email('ana') });
      expect(await portView(store)).toEqual(before);
    });

    it('when nobody is known by the account, then it is null and nothing changes', async () => {
      const { store } = await linked(subject.store);
      const before = await portView(store);
      expect(await store.markPersonLeft({ platform: 'slack', accountId: 'U0NOBODY' }, leftAt, 'deactivated')).toBeNull();
      expect(await store.markPersonLeft({ email: 'nobody@acme.example' }, leftAt, 'deactivated')).toBeNull();
      expect(await portView(store)).toEqual(before);
    });

    it('when the next tick runs, then the leaver’s item goes to the backup, who is asked, and the leaver can no longer answer', async () => {
      const { store } = await linked(subject.store);
      await tickAt(store, importedAt);
      const anaAsked = await openAttestationId(store, 'api', 'checkout-api');
      await store.markPersonLeft(slackAna, leftAt, 'deactivated');
      const report = await tickAt(store, leftAt);
      expect(report.decisions).toContainEqual(expect.objectContaining({ type: 'supersede', attestationId: anaAsked, ref: 'checkout-api' }));
      expect(report.decisions).toContainEqual(expect.objectContaining({ type: 'open_attestation', ref: 'checkout-api', person: email('ben'), reason: 'owner_left' }));
      const detail = await store.getItemDetail('api', 'checkout-api');
      expect(detail?.item.owner).toMatchObject({ accountable: { email: email('ben') }, backup: null, since: leftAt });
      expect(detail?.history).toEqual([expect.objectContaining({ accountable: email('ana'), backup: email('ben'), toAt: leftAt })]);
      const benAsked = await openAttestationId(store, 'api', 'checkout-api');
      expect(benAsked).not.toBe(anaAsked);
      expect((await store.myItems({ email: email('ben') }))?.pending.map((p) => [p.ref, p.asBackup]).sort()).toEqual([
        ['checkout-api', false],
        ['ci-key', false],
      ]);
      const late = await answerAs(store, plusDays(leftAt, 1), slackAna, [anaAsked, benAsked], { type: 'confirm' });
      expect(late.results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['unknown_person', 'unknown_person']);
      expect((await tickAt(store, leftAt)).decisions).toEqual([]);
    });
  });

  describe('recordEventOnce and forgetEvent: a retried delivery is handled once', () => {
    it('when an event id is first recorded, then it is new; the same id again is not; another id is', async () => {
      const { store } = subject;
      expect(await store.recordEventOnce('Ev1', importedAt)).toBe(true);
      expect(await store.recordEventOnce('Ev1', plusDays(importedAt, 0.01))).toBe(false);
      expect(await store.recordEventOnce('Ev2', plusDays(importedAt, 0.01))).toBe(true);
    });

    it('when an event id is forgotten, then it is new again, and other ids are still known', async () => {
      const { store } = subject;
      await store.recordEventOnce('Ev1', importedAt);
      await store.recordEventOnce('Ev2', importedAt);
      await store.forgetEvent('Ev1');
      await store.forgetEvent('never-seen');
      expect(await store.recordEventOnce('Ev1', importedAt)).toBe(true);
      expect(await store.recordEventOnce('Ev2', importedAt)).toBe(false);
    });

    it('when the same event arrives twice at once, then exactly one is new', async () => {
      const { store } = subject;
      const results = await Promise.all([store.recordEventOnce('Ev1', importedAt), store.recordEventOnce('Ev1', importedAt)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('myItems', () => {
    it('when a person owns and backs up items, then they come back sorted by kind then ref, with their name; vanished items are left out', async () => {
      const store = await seeded(subject.store, [...inventory(), apiEntry({ ref: 'old-api', owner: ownedBy('payments', 'ana') })]);
      await imported(store, plusDays(importedAt, 1), 'inventory', inventory());
      const mine = await store.myItems({ email: email('ana') });
      expect(mine?.person).toEqual({ email: email('ana'), displayName: 'Ana' });
      expect(mine?.pending).toEqual([]);
      expect(mine?.owned.map((i) => [i.kind, i.ref, i.team, i.accountable])).toEqual([['api', 'checkout-api', 'payments', email('ana')]]);
      expect(mine?.backing.map((i) => [i.kind, i.ref, i.accountable])).toEqual([['identity', 'ci-key', email('ben')]]);
    });

    it('when the person is unknown, then it is null; when they own nothing, then every list is empty', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.myItems({ email: 'nobody@acme.example' })).toBeNull();
      expect(await store.myItems(slackAna)).toBeNull();
      expect(await store.myItems({ email: email('zed') })).toEqual({ person: { email: email('zed'), displayName: 'Zed' }, pending: [], decisions: [], owned: [], backing: [] });
    });

    it('when attestations are open, then the person sees those they may answer, soonest due first, with the facts shown', async () => {
      const store = await seeded(subject.store, inventory());
      await tickAt(store, importedAt);
      await imported(store, plusDays(importedAt, 1), 'inventory', [...inventory(), apiEntry({ ref: 'late-api', purpose: 'Later', owner: ownedBy('payments', 'ana') })]);
      await tickAt(store, plusDays(importedAt, 1));
      const pending = (await store.myItems({ email: email('ana') }))?.pending ?? [];
      expect(pending.map((p) => [p.ref, p.asBackup, p.dueAt])).toEqual([
        ['checkout-api', false, plusDays(importedAt, 7)],
        ['ci-key', true, plusDays(importedAt, 7)],
        ['late-api', false, plusDays(importedAt, 8)],
      ]);
      expect(pending[2]).toMatchObject({ kind: 'api', name: 'late-api', openedAt: plusDays(importedAt, 1), facts: expect.objectContaining({ purpose: 'Later' }) });
      expect(pending[2]?.attestationId).toBe(await openAttestationId(store, 'api', 'late-api'));
    });
  });
}
