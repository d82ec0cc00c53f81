import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, personEntry, teamEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { directoryEntries, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openAttestationOf, openQueue, outbox, outboxAt } from './support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
/** Every item is asked by then (firstWithinDays is 7), so a first tick then opens them all at once. */
const openedAt = plusDays(importedAt, 7);
const day = (n: number) => plusDays(openedAt, n);
const policy = loopPolicy();

/** A store whose one item (restricted, so monthly) was asked of ana (backup ben, lead lena, channel #payments) at `openedAt`. */
async function askedOfAna(item: RawEntry = apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }), directory?: RawEntry[]): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, [item], directory);
  await tick(store, policy, openedAt);
  return store;
}

async function tickAndSummarise(store: SqliteStore, at: string): Promise<string[]> {
  await tick(store, policy, at);
  return summarise(outboxAt(store, at));
}

describe('ladder in the store: reminders, escalations and expiry, each at its day', () => {
  it('when nobody answers, then the owner is reminded twice, then backup, lead, team channel and security are told, then it expires', async () => {
    const store = await askedOfAna();
    expect(summarise(outboxAt(store, openedAt))).toEqual(['attestation_prompt → ana@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(1))).toEqual([]);
    expect(await tickAndSummarise(store, day(2))).toEqual(['reminder → ana@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(5))).toEqual(['reminder → ana@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(7))).toEqual(['escalation → ben@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(10))).toEqual(['escalation → lena@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(12))).toEqual(['escalation → team:payments: checkout-api']);
    expect(await tickAndSummarise(store, day(14))).toEqual(['escalation → security: checkout-api']);
    expect(await tickAndSummarise(store, day(20))).toEqual([]);
    expect(await tickAndSummarise(store, day(21))).toEqual(['unowned_queue → security: checkout-api']);

    expect(attestations(store)).toEqual([expect.objectContaining({ status: 'closed', outcome: 'expired', remindersSent: 2, escalationLevel: 4, closedAt: day(21), nextActionAt: null })]);
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'checkout-api', queue: 'security', reason: 'attestation_expired' })]);
    expect(auditEvents(store).filter((e) => e.actor === 'steward:tick').map((e) => `${e.action} ${JSON.stringify(e.details.reminder ?? e.details.recipient ?? '')}`)).toEqual([
      'attestation.opened ""',
      'attestation.reminded 1',
      'attestation.reminded 2',
      'attestation.escalated "ben@acme.example"',
      'attestation.escalated "lena@acme.example"',
      'attestation.escalated "#payments"',
      'attestation.escalated "#sec-ownership"',
      'attestation.expired ""',
      'queue.added ""',
    ]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('when an attestation expires, then it is asked again on its cadence from expiry', async () => {
    const store = await askedOfAna();
    await tick(store, policy, day(21));
    expect(itemOf(store, 'checkout-api').nextAttestationAt).toBe(day(21 + 30));
    await tick(store, policy, day(50));
    expect(attestations(store)).toHaveLength(1);
    await tick(store, policy, day(51));
    expect(attestations(store).map((a) => [a.status, a.openedAt])).toEqual([
      ['closed', openedAt],
      ['open', day(51)],
    ]);
  });

  it('when an attestation expires, then the messages that asked about it lose their buttons', async () => {
    const store = await askedOfAna();
    for (const n of [2, 5, 7, 10, 21]) await tick(store, policy, day(n));
    const asked = outbox(store).filter((m) => ['attestation_prompt', 'reminder', 'escalation'].includes(m.kind));
    expect(asked).toHaveLength(5);
    for (const message of asked) {
      expect(message.message.sections[0]).toMatchObject({ actions: [], resolved: `Expired unanswered on ${day(21).slice(0, 10)}` });
      expect(message.message.actions).toEqual([]);
    }
  });

  it('when escalated to the backup, then the backup may answer (buttons); the lead and the channels only see it', async () => {
    const store = await askedOfAna();
    for (const n of [7, 10, 12, 14]) await tick(store, policy, day(n));
    const escalations = outbox(store).filter((m) => m.kind === 'escalation');
    expect(escalations.map((m) => [m.to, m.message.sections[0]?.actions.length ?? 0])).toEqual([
      ['ben@acme.example', 5],
      ['lena@acme.example', 0],
      ['team:payments', 0],
      ['security', 0],
    ]);
    expect(escalations[0]?.message.sections[0]?.facts[0]).toEqual({ label: 'Waiting on', value: `ana@acme.example since ${openedAt.slice(0, 10)}` });
  });
});

describe('ladder in the store: catch-up after missed ticks', () => {
  it('when a week of ticks is skipped, then one tick sends one escalation (the latest), no reminders', async () => {
    const store = await askedOfAna();
    const before = lastAuditId(store);
    expect(await tickAndSummarise(store, day(8))).toEqual(['escalation → ben@acme.example: checkout-api']);
    expect(auditEvents(store, { after: before }).map((e) => e.action)).toEqual(['attestation.escalated']);
    expect(openAttestationOf(store, 'checkout-api')).toMatchObject({ remindersSent: 0, escalationLevel: 1, nextActionAt: day(10) });
  });

  it('when ticks stop after the first reminder and resume on day 13, then only the team channel is told', async () => {
    const store = await askedOfAna();
    await tick(store, policy, day(2));
    const before = lastAuditId(store);
    expect(await tickAndSummarise(store, day(13))).toEqual(['escalation → team:payments: checkout-api']);
    expect(auditEvents(store, { after: before }).map((e) => [e.action, e.details.level])).toEqual([['attestation.escalated', 3]]);
  });

  it('when ticks stop between reminders, then one reminder is sent on resuming, not one per missed day', async () => {
    const store = await askedOfAna();
    const before = lastAuditId(store);
    for (const n of [6, 6.5]) await tick(store, policy, day(n));
    expect(summarise(outbox(store).filter((m) => m.kind === 'reminder'))).toEqual(['reminder → ana@acme.example: checkout-api']);
    expect(auditEvents(store, { after: before }).map((e) => [e.action, e.details.reminder])).toEqual([['attestation.reminded', 2]]);
  });

  it('when ticks stop for a month, then the attestation expires once and the item is queued once', async () => {
    const store = await askedOfAna();
    const before = lastAuditId(store);
    await tick(store, policy, day(30));
    expect(auditEvents(store, { after: before }).map((e) => e.action)).toEqual(['attestation.expired', 'queue.added']);
    expect(summarise(outboxAt(store, day(30)))).toEqual(['unowned_queue → security: checkout-api']);
  });

  it('when the tick runs every hour for three weeks, then exactly the ladder’s steps happen', async () => {
    const store = await askedOfAna();
    for (let hour = 1; hour <= 21 * 24; hour += 1) await tick(store, policy, plusDays(openedAt, hour / 24));
    expect(outbox(store).map((m) => m.kind)).toEqual(['attestation_prompt', 'reminder', 'reminder', 'escalation', 'escalation', 'escalation', 'escalation', 'unowned_queue']);
  });
});

describe('ladder in the store: a missing rung hands over to the next', () => {
  it('when there is no backup, then day 7 goes to the team lead, and the lead is not told again on day 10', async () => {
    const store = await askedOfAna(apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana') }));
    expect(await tickAndSummarise(store, day(7))).toEqual(['escalation → lena@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(10))).toEqual([]);
    expect(await tickAndSummarise(store, day(12))).toEqual(['escalation → team:payments: checkout-api']);
  });

  it('when the team has no lead and no channel and there is no backup, then day 7 goes to security, once', async () => {
    const store = await askedOfAna(apiEntry({ ref: 'infra-api', sensitivity: 'restricted', owner: ownedBy('platform', 'pat') }));
    expect(await tickAndSummarise(store, day(7))).toEqual(['escalation → security: infra-api']);
    for (const n of [10, 12, 14, 20]) expect(await tickAndSummarise(store, day(n))).toEqual([]);
    expect(openAttestationOf(store, 'infra-api').escalationLevel).toBe(4);
  });

  it('when the backup has left, then their rung is skipped', async () => {
    const directory = [...directoryEntries().filter((e) => !(e.type === 'person' && e.data.email === 'ben@acme.example')), personEntry('ben@acme.example', { active: false })];
    const store = await askedOfAna(undefined, directory);
    expect(await tickAndSummarise(store, day(7))).toEqual(['escalation → lena@acme.example: checkout-api']);
  });

  it('when the accountable person is also the team lead, then the lead’s rung does not ask them again', async () => {
    const directory = [
      teamEntry('payments', { lead: 'ana@acme.example', channel: '#payments', members: ['ana@acme.example', 'ben@acme.example'] }),
      personEntry('ana@acme.example'),
      personEntry('ben@acme.example'),
    ];
    const store = await askedOfAna(undefined, directory);
    expect(await tickAndSummarise(store, day(7))).toEqual(['escalation → ben@acme.example: checkout-api']);
    expect(await tickAndSummarise(store, day(10))).toEqual(['escalation → team:payments: checkout-api']);
    expect(await tickAndSummarise(store, day(12))).toEqual([]);
  });
});
