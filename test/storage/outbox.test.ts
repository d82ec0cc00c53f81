import { describe, expect, it } from 'vitest';
import { decideTick } from '../../src/attestation/decide-tick.js';
import { promptMessages, type ItemRef } from '../../src/messages/attestation-messages.js';
import type { PlannedMessage } from '../../src/messages/outgoing-message.js';
import { policyVersion } from '../../src/policy/policy-version.js';
import { Outbox } from '../../storage/outbox.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from '../support/dump-tables.js';
import { apiEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { importLoop, loopPolicy, outbox, ownedBy, plusDays, tick } from '../support/loop.js';

const at = '2026-11-09T09:00:00.000Z';
const ana = { id: 1, email: 'ana@acme.example', displayName: 'Ana', active: true };
const item = (id: number): ItemRef => ({ id, kind: 'api', ref: `api-${id}`, name: `api-${id}`, facts: { purpose: 'p', linked: [] } });

/** A prompt to ana about attestations `ids` (of items with the same ids). */
function prompt(ids: readonly number[]): PlannedMessage {
  const [message] = promptMessages(ana, ids.map((id) => ({ attestationId: id, item: item(id), reason: 'scheduled' as const })));
  if (!message) throw new Error('no prompt');
  return message;
}

/** Marks outbox row `id` delivered, as the dispatcher does. */
function deliver(outboxTable: Outbox, id: number, messageId = `ts-${id}`): void {
  outboxTable.due(at, 100);
  outboxTable.record(id, { status: 'sent', platform: 'slack', messageId, channel: 'D1' }, at);
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
    const before = dumpTables(store.db);
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
    expect(dumpTables(store.db)).toEqual(before);
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

  it('when two items of a delivered prompt are resolved one after the other, then the second update keeps the first resolution', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1, 2, 3]), at);
    deliver(table, 1);
    table.resolve('attestation:1', 'Confirmed', at);
    deliver(table, 2);
    table.resolve('attestation:2', 'Snoozed', at);
    expect(outbox(store).map((m) => [m.id, m.status, m.replacesId])).toEqual([
      [1, 'sent', null],
      [2, 'sent', 1],
      [3, 'pending', 1],
    ]);
    expect(sections(store, 3)).toEqual(['api-1: Confirmed', 'api-2: Snoozed', 'api-3: 5 actions']);
    expect(outbox(store)[2]?.message.actions).toEqual([]);
  });

  it('when an update is still waiting to be sent, then the next resolution rewrites it instead of adding another', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1, 2, 3]), at);
    deliver(table, 1);
    table.resolve('attestation:1', 'Confirmed', at);
    table.resolve('attestation:3', 'Disputed', at);
    expect(outbox(store).map((m) => [m.id, m.status, m.replacesId])).toEqual([
      [1, 'sent', null],
      [2, 'pending', 1],
    ]);
    expect(sections(store, 2)).toEqual(['api-1: Confirmed', 'api-2: 5 actions', 'api-3: Disputed']);
  });

  it('when the update carries the delivered message’s platform id, then the adapter can edit it in place', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    deliver(table, 1, '1700000000.000100');
    table.resolve('attestation:1', 'Confirmed', at);
    expect(table.due(at, 10)).toEqual([expect.objectContaining({ id: 2, replaces: { platform: 'slack', messageId: '1700000000.000100', channel: 'D1' } })]);
  });

  it('when a message was given up as failed, then it is left alone', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    table.record(1, { status: 'failed', error: 'channel_not_found' }, at);
    const before = dumpTables(store.db);
    table.resolve('attestation:1', 'Confirmed', at);
    expect(dumpTables(store.db)).toEqual(before);
  });

  it('when a subject no message asked about is resolved, then nothing changes', () => {
    const store = memoryStore();
    const table = new Outbox(store.db);
    table.enqueue(prompt([1]), at);
    const before = dumpTables(store.db);
    table.resolve('attestation:99', 'Confirmed', at);
    expect(dumpTables(store.db)).toEqual(before);
  });
});
