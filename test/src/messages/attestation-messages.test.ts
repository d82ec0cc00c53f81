import { describe, expect, it } from 'vitest';
import {
  addresseeKey,
  escalationMessages,
  factsOf,
  ownerLeftMessages,
  promptMessages,
  reminderMessages,
  securityAddressee,
  teamQueueMessages,
  unownedQueueMessages,
  type EscalatedItem,
  type ItemRef,
} from '../../../src/messages/attestation-messages.js';
import { paginate, subjectOf, withResolved, type Addressee } from '../../../src/messages/outgoing-message.js';

const ana = { id: 1, email: 'ana@acme.example', displayName: 'Ana', active: true };
const ben = { id: 2, email: 'ben@acme.example', displayName: null, active: true };
const team = { id: 7, slug: 'payments', channel: '#payments', lead: null };
const at = '2026-11-09T09:00:00.000Z';

const api = (id: number): ItemRef => ({ id, kind: 'api', ref: `api-${id}`, name: `API ${id}`, facts: { purpose: `purpose ${id}`, sensitivity: 'restricted', exposure: 'public', revocationPath: null, linked: [] } });
const prompts = (n: number) => Array.from({ length: n }, (_, i) => ({ attestationId: 100 + i, item: api(i + 1), reason: 'scheduled' as const }));

describe('messages: the facts an owner confirms', () => {
  it('when the item is an identity, then purpose, scopes, expiry, recovery, last use and links show, in that order', () => {
    expect(
      factsOf('identity', { purpose: 'CI', scopes: ['a', 'b'], expiresAt: '2027-01-31T00:00:00.000Z', recoveryProcedure: 'Rotate', lastUsedAt: '2026-11-01T10:00:00.000Z', linked: ['calls api x'] }),
    ).toEqual([
      { label: 'Purpose', value: 'CI' },
      { label: 'Scopes', value: 'a, b' },
      { label: 'Expires', value: '2027-01-31' },
      { label: 'Recovery', value: 'Rotate' },
      { label: 'Last used', value: '2026-11-01' },
      { label: 'Linked', value: 'calls api x' },
    ]);
  });

  it('when an identity’s facts are missing, then they say so, and no expiry reads "never"', () => {
    expect(factsOf('identity', { purpose: null, linked: [] }).map((f) => f.value)).toEqual(['not recorded', 'not recorded', 'never', 'not recorded', 'not recorded']);
  });

  it('when the item is an API, then purpose, risk and revocation path show', () => {
    expect(factsOf('api', { purpose: 'Pay', sensitivity: null, exposure: 'partner', revocationPath: 'runbook', linked: [] })).toEqual([
      { label: 'Purpose', value: 'Pay' },
      { label: 'Risk', value: 'unclassified data, partner exposure' },
      { label: 'Revocation', value: 'runbook' },
    ]);
  });
});

describe('messages: prompts', () => {
  it('when a person has 25 items, then three pages, each with its own Confirm all, and distinct dedupe keys', () => {
    const pages = promptMessages(ana, prompts(25));
    expect(pages.map((p) => [p.message.sections.length, p.message.page, p.message.actions[0]?.label])).toEqual([
      [10, { index: 1, count: 3 }, 'Confirm all 10'],
      [10, { index: 2, count: 3 }, 'Confirm all 10'],
      [5, { index: 3, count: 3 }, 'Confirm all 5'],
    ]);
    expect(new Set(pages.map((p) => p.dedupeKey)).size).toBe(3);
    expect(pages[2]?.subjects).toEqual(['attestation:120', 'attestation:121', 'attestation:122', 'attestation:123', 'attestation:124']);
  });

  it('when ten items fit on one page, then there is no page number', () => {
    expect(promptMessages(ana, prompts(10)).map((p) => p.message.page)).toEqual([undefined]);
  });

  it('when items came from a leaver, then the prompt says so', () => {
    const [message] = promptMessages(ben, [{ attestationId: 1, item: api(1), reason: 'owner_left', leaver: 'ana@acme.example' }, ...prompts(1)]);
    expect(message?.message.text).toBe('ana@acme.example has left; you were their backup, so 1 item is now yours. Please confirm each item below is still needed and its facts are right, or tell us what changed.');
  });
});

describe('messages: reminders', () => {
  it('when the same attestations are reminded about twice, then the two reminders are two messages', () => {
    const items = [{ attestationId: 1, item: api(1), dueAt: '2026-11-16T09:00:00.000Z' }];
    const first = reminderMessages(ana, '2026-11-11T09:00:00.000Z', items);
    const second = reminderMessages(ana, '2026-11-14T09:00:00.000Z', items);
    expect(first[0]?.dedupeKey).not.toBe(second[0]?.dedupeKey);
    expect(first[0]?.message.text).toBe('These are due by 2026-11-16. If they are not yours, say so with Not mine and we will find the right owner.');
  });
});

describe('messages: escalations', () => {
  const escalated = (attestationId: number, canAnswer: boolean): EscalatedItem => ({
    attestationId,
    item: api(attestationId),
    owner: { team, accountable: ana, backup: ben },
    asked: ana,
    openedAt: '2026-11-02T09:00:00.000Z',
    canAnswer,
  });

  it('when escalated to someone who may answer (the backup), then each item has buttons and there is a Confirm all', () => {
    const [message] = escalationMessages({ kind: 'person', personId: 2, email: 'ben@acme.example', displayName: null }, 1, [escalated(1, true), escalated(2, true)]);
    expect(message?.message.sections.map((s) => s.actions.length)).toEqual([5, 5]);
    expect(message?.message.actions.map((a) => a.value)).toEqual(['1,2']);
    expect(message?.message.sections[0]?.facts[0]).toEqual({ label: 'Waiting on', value: 'ana@acme.example since 2026-11-02' });
  });

  it('when escalated to a lead who may not answer, then the message asks them to chase, with no buttons', () => {
    const [message] = escalationMessages({ kind: 'person', personId: 9, email: 'lena@acme.example', displayName: null }, 2, [escalated(1, false)]);
    expect(message?.message.sections[0]?.actions).toEqual([]);
    expect(message?.message.actions).toEqual([]);
    expect(message?.message.text).toBe('Their owner has not answered. Please chase them, or have the items given to someone who will.');
  });

  it('when escalated to a channel, then it shows the items without buttons', () => {
    const [message] = escalationMessages(securityAddressee('#sec'), 4, [escalated(1, false)]);
    expect(message?.message.sections[0]?.actions).toEqual([]);
    expect(message?.subjects).toEqual(['attestation:1']);
  });
});

describe('messages: queues', () => {
  it('when items wait in the security queue, then each has a Claim button naming its item and says why', () => {
    const [message] = unownedQueueMessages('#sec', at, [{ item: api(4), why: 'nobody' }]);
    expect(message?.addressee).toEqual({ kind: 'security_channel', channel: '#sec' });
    expect(message?.message.sections[0]?.actions).toEqual([{ id: 'queue.claim', label: 'Claim', value: '4', style: 'primary' }]);
    expect(message?.subjects).toEqual(['queue:4']);
  });

  it('when a team’s items need a person, then its channel gets Take it buttons', () => {
    const [message] = teamQueueMessages(team, at, [{ item: api(4), why: 'nobody named' }]);
    expect(addresseeKey(message?.addressee as Addressee)).toBe('team:7');
    expect(message?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['queue.take']);
  });

  it('when a lead is told of a leaver’s items, then the message lists them, with nothing to press', () => {
    const [message] = ownerLeftMessages({ kind: 'person', personId: 9, email: 'lena@acme.example', displayName: null }, ana, [api(1), api(2)]);
    expect(message?.message.title).toBe('ana@acme.example has left: 2 items without an owner');
    expect(message?.subjects).toEqual([]);
  });
});

describe('messages: resolving a section', () => {
  const [message] = promptMessages(ana, prompts(3)).map((p) => p.message);
  if (!message) throw new Error('no prompt');

  it('when one of three is resolved, then its buttons go, the outcome shows, and Confirm all covers the other two', () => {
    const resolved = withResolved(message, 'attestation:100', 'Confirmed');
    expect(resolved.sections.map((s) => s.resolved ?? s.actions.length)).toEqual(['Confirmed', 5, 5]);
    expect(resolved.actions).toEqual([{ id: 'attest.confirm_all', label: 'Confirm all 2', value: '101,102', style: 'primary' }]);
  });

  it('when only one stays open, then Confirm all goes; when none does, every action goes', () => {
    const two = withResolved(withResolved(message, 'attestation:100', 'Confirmed'), 'attestation:101', 'Snoozed');
    expect(two.actions).toEqual([]);
    const all = withResolved(two, 'attestation:102', 'Disputed');
    expect(all.sections.every((s) => s.actions.length === 0)).toBe(true);
  });

  it('when the subject is not in the message, then it is unchanged', () => {
    expect(withResolved(message, 'attestation:999', 'Confirmed')).toEqual(message);
  });

  it('when a section is about a queued item, then its subject is the queue entry; a plain section has none', () => {
    const [queued] = unownedQueueMessages(null, at, [{ item: api(4), why: 'x' }]);
    expect(queued?.message.sections.map(subjectOf)).toEqual(['queue:4']);
    const [left] = ownerLeftMessages(securityAddressee(null), ana, [api(1)]);
    expect(left?.message.sections.map(subjectOf)).toEqual([null]);
  });

  it('when a list is paged, then pages hold at most the size asked', () => {
    expect(paginate([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(paginate([], 2)).toEqual([]);
  });
});
