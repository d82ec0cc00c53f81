import { describe, expect, it } from 'vitest';
import { decideTick } from '../../src/attestation/decide-tick.js';
import { promptMessages, type ItemRef } from '../../src/messages/attestation-messages.js';
import type { PlannedMessage } from '../../src/messages/outgoing-message.js';
import { policyVersion } from '../../src/policy/policy-version.js';
import { Outbox } from '../../storage/outbox.js';
import type { DeliveryResult } from '../../src/ports/attestation-store.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../support/loop.js';
import { outbox } from './support/loop-state.js';

const at = '2026-11-09T09:00:00.000Z';
const ana = { id: 1, email: 'ana@acme.example', displayName: 'Ana', active: true };
const item = (id: number): ItemRef => ({ id, kind: 'api', ref: `api-${id}`, name: `api-${id}`, facts: { purpose: 'p', linked: [] } });

/** A prompt to ana about attestations `ids` (of items with the same ids). */
function prompt(ids: readonly number[]): PlannedMessage {
  const [message] = promptMessages(ana, ids.map((id) => ({ attestationId: id, item: item(id), reason: 'scheduled' as const })));
  if (!message) throw new Error('no prompt');
  return message;
}

/** Routes what is new to Slack and marks every due delivery of message `id` delivered, as a dispatcher does. */
async function deliver(store: SqliteStore, id: number, messageId = `ts-${id}`, result?: DeliveryResult): Promise<void> {
  await store.routeMessages({ now: at, platforms: [], limit: 100, route: () => ({ platforms: ['slack'] }) });
  for (const held of await store.claimDeliveries({ now: at, platform: 'slack', owner: 'test', leaseMs: 60_000, limit: 100 }))
    await store.recordDelivery(held.id, 'test', held.messageId === id ? (result ?? { status: 'sent', messageId, channel: 'D1' }) : { status: 'retry', error: 'not now', afterMs: 0, countsAsAttempt: false }, at);
}

const sections = (store: SqliteStore, id: number) =>
  outbox(store)
    .find((m) => m.id === id)
    ?.message.sections.map((s) => `${s.itemRef}: ${s.resolved ?? `${s.actions.length} actions`}`);

describe('outbox: queueing', () => {
  it('when the same planned message is queued twice, then it is stored once', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    expect(table.enqueue(prompt([1, 2]), at)).toBe(true);
    expect(table.enqueue(prompt([1, 2]), at)).toBe(false);
    expect(outbox(store)).toHaveLength(1);
    expect(store.db.prepare('SELECT subject FROM outbox_subjects ORDER BY subject').all()).toEqual([{ subject: 'attestation:1' }, { subject: 'attestation:2' }]);
  });

  it('when the tick’s decisions cannot be written, then none of its messages are either (one transaction)', async () => {
    const store = memoryStore();
    const policy = loopPolicy();
    await importLoop(store, '2026-11-02T09:00:00.000Z', [apiEntry({ ref: 'a', owner: ownedBy('payments', 'ana') })]);
    const before = dumpTables(store);
    const request = {
      now: at,
      policyVersion: policyVersion(policy),
      limit: 100,
      apply: true,
      decide: (state: Parameters<typeof decideTick>[0]) => {
        const plan = decideTick(state, policy);
        // A decision about an item that does not exist: the foreign key refuses it after the others were written.
        return { ...plan, decisions: [...plan.decisions, { type: 'queue' as const, itemId: 999, ref: 'ghost', queue: 'security' as const, reason: 'unowned' as const, detail: null }] };
      },
    };
    await expect(store.runTick(request)).rejects.toThrow(/FOREIGN KEY/);
    expect(dumpTables(store)).toEqual(before);
  });
});

describe('outbox: resolving rewrites every message that asked', () => {
  it('when an attestation is resolved, then the prompt, the reminder and the escalation about it all lose its buttons', async () => {
    const store = memoryStore();
    const policy = loopPolicy();
    await importLoop(store, '2026-11-02T09:00:00.000Z', [apiEntry({ ref: 'a', owner: ownedBy('payments', 'ana', 'ben') })]);
    const opened = plusDays('2026-11-02T09:00:00.000Z', 7);
    for (const n of [0, 2, 7]) await tick(store, policy, plusDays(opened, n));
    const table = new Outbox(store.db);
    table.resolve('attestation:1', 'Confirmed', plusDays(opened, 8));
    expect(outbox(store).map((m) => [m.kind, m.message.sections[0]?.resolved, m.message.sections[0]?.actions.length])).toEqual([
      ['attestation_prompt', 'Confirmed', 0],
      ['reminder', 'Confirmed', 0],
      ['escalation', 'Confirmed', 0],
    ]);
  });

  it('when two items of a delivered prompt are resolved one after the other, then the message keeps both resolutions and goes again as one update', async () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1, 2, 3]), at);
    await deliver(store, 1);
    table.resolve('attestation:1', 'Confirmed', at);
    await deliver(store, 1);
    table.resolve('attestation:2', 'Snoozed', at);
    expect(outbox(store).map((m) => [m.id, m.status, m.revision, m.platformMessageId])).toEqual([[1, 'pending', 3, 'ts-1']]);
    expect(sections(store, 1)).toEqual(['api-1: Confirmed', 'api-2: Snoozed', 'api-3: 5 actions']);
    expect(outbox(store)[0]?.message.actions).toEqual([]);
  });

  it('when an update is still waiting to be sent, then the next resolution rewrites the same message: one update goes', async () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1, 2, 3]), at);
    await deliver(store, 1);
    table.resolve('attestation:1', 'Confirmed', at);
    table.resolve('attestation:3', 'Disputed', at);
    const [update, ...more] = await store.claimDeliveries({ now: at, platform: 'slack', owner: 'test', leaseMs: 60_000, limit: 10 });
    expect(more).toEqual([]);
    expect(update?.message.sections.map((s) => `${s.itemRef}: ${s.resolved ?? `${s.actions.length} actions`}`)).toEqual(['api-1: Confirmed', 'api-2: 5 actions', 'api-3: Disputed']);
  });

  it('when the update carries the delivered message’s platform id, then the adapter can edit it in place', async () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    await deliver(store, 1, '1700000000.000100');
    table.resolve('attestation:1', 'Confirmed', at);
    expect(await store.claimDeliveries({ now: at, platform: 'slack', owner: 'test', leaseMs: 60_000, limit: 10 })).toEqual([
      expect.objectContaining({ messageId: 1, revision: 2, delivered: { messageId: '1700000000.000100', channel: 'D1' } }),
    ]);
  });

  it('when a delivery was given up as failed, then resolving its item does not send it again', async () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    await deliver(store, 1, 'x', { status: 'failed', reason: 'not_in_channel', error: 'channel_not_found' });
    table.resolve('attestation:1', 'Confirmed', at);
    expect(outbox(store).map((m) => [m.status, m.failure])).toEqual([['failed', 'not_in_channel']]);
    expect(await store.claimDeliveries({ now: at, platform: 'slack', owner: 'test', leaseMs: 60_000, limit: 10 })).toEqual([]);
  });

  it('when a subject no message asked about is resolved, then nothing changes', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    const before = dumpTables(store);
    table.resolve('attestation:99', 'Confirmed', at);
    expect(dumpTables(store)).toEqual(before);
  });
});
