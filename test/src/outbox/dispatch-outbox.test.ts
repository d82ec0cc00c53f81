import { describe, expect, it } from 'vitest';
import { bindChannel } from '../../../src/channels/bind-channel.js';
import type { BindTarget } from '../../../src/channels/decide-binding.js';
import { dispatchOutbox } from '../../../src/outbox/dispatch-outbox.js';
import type { DeliveryResult } from '../../../src/ports/attestation-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { FakeChat } from '../../support/fake-chat.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { answer, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../../support/loop.js';
import { auditEvents, deliveries, openAttestationOf, outbox, outboxAt } from '../../storage/support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy();
const noPause = async () => {};
const seconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();

/** A store whose outbox holds `people` prompts (one per person), queued at `askedAt` in person order. */
async function withPrompts(people: readonly string[] = ['ana', 'leo', 'pat', 'lia', 'ben']): Promise<SqliteStore> {
  const store = memoryStore();
  const teams: Record<string, string> = { ana: 'payments', ben: 'payments', leo: 'ledger', lia: 'ledger', pat: 'platform' };
  await importLoop(store, importedAt, people.map((name) => apiEntry({ ref: `${name}-api`, owner: ownedBy(teams[name] ?? 'payments', name) })));
  await tick(store, policy, askedAt);
  return store;
}

type Options = Partial<Parameters<typeof dispatchOutbox>[3]>;

/** One dispatcher run for `chat`'s platform at `at`, as the pump does, with no pauses and one owner unless told. */
const dispatch = (store: SqliteStore, chat: FakeChat, at: string, options: Options = {}) =>
  dispatchOutbox(store, chat, fixedClock(at), { owner: 'test:1', platforms: [chat.reach], preference: [], leaseMs: 60_000, pause: noPause, ...options });

describe('dispatcher: delivery', () => {
  it('when messages are due, then they are delivered oldest first and each records its platform id', async () => {
    const store = await withPrompts(['ana', 'leo']);
    await importLoop(store, plusDays(askedAt, 1), [apiEntry({ ref: 'ana-api', owner: ownedBy('payments', 'ana') }), apiEntry({ ref: 'leo-api', owner: ownedBy('ledger', 'leo') }), apiEntry({ ref: 'new-api', owner: { team: 'platform', accountable: 'pat@acme.example' } })]);
    await tick(store, policy, plusDays(askedAt, 8));
    const chat = new FakeChat();
    const report = await dispatch(store, chat, plusDays(askedAt, 8));
    const rows = outbox(store);
    expect(rows.map((r) => r.createdAt)).toEqual([askedAt, askedAt, ...Array.from({ length: rows.length - 2 }, () => plusDays(askedAt, 8))]);
    expect(report).toEqual({ routed: rows.length, unroutable: 0, sent: rows.length, retried: 0, failed: 0, throttled: false, retryAfterMs: null });
    expect(chat.deliveredIds()).toEqual(rows.map((r) => r.id));
    expect(rows.map((r) => [r.status, r.attempts, r.platformMessageId])).toEqual(rows.map((_, i) => ['sent', 1, `fake-${i + 1}`]));
    const recorded = deliveries(store).map(({ platform, platformChannel }) => ({ platform, platformChannel }));
    expect(recorded[0]).toEqual({ platform: 'fake', platformChannel: expect.stringMatching(/^D-\d+$/) });
  });

  it('when everything was delivered, then another run delivers nothing', async () => {
    const store = await withPrompts();
    const chat = new FakeChat();
    await dispatch(store, chat, askedAt);
    expect(await dispatch(store, chat, askedAt)).toMatchObject({ sent: 0 });
    expect(chat.delivered).toHaveLength(5);
  });

  it('when the platform has a minimum interval, then the dispatcher pauses that long between deliveries', async () => {
    const store = await withPrompts(['ana', 'leo', 'pat']);
    const pauses: number[] = [];
    await dispatch(store, new FakeChat({ minIntervalMs: 1100 }), askedAt, { pause: async (ms) => void pauses.push(ms) });
    expect(pauses).toEqual([1100, 1100]);
  });

  it('when the batch size is smaller than the backlog, then one run takes that many', async () => {
    const store = await withPrompts();
    expect(await dispatch(store, new FakeChat(), askedAt, { batchSize: 2 })).toMatchObject({ sent: 2 });
  });
});

describe('dispatcher: rate limits, retries and giving up', () => {
  it('when the platform answers 429, then the run stops and that message waits for its Retry-After', async () => {
    const store = await withPrompts(['ana', 'leo', 'pat']);
    const chat = new FakeChat({ script: { 2: { status: 'rate_limited', retryAfterMs: 120_000 } } });
    expect(await dispatch(store, chat, askedAt)).toEqual({ routed: 3, unroutable: 0, sent: 1, retried: 1, failed: 0, throttled: true, retryAfterMs: 120_000 });
    expect(chat.attempts).toHaveLength(2);
    const [first, second, third] = outbox(store);
    expect(first?.status).toBe('sent');
    // Being told to slow down is not a failed attempt: it does not bring the message closer to being given up.
    expect(second).toMatchObject({ status: 'pending', nextAttemptAt: seconds(askedAt, 120), lastError: 'rate limited', attempts: 0 });
    // Claimed in the same batch and not tried: handed back to wait as long, without spending an attempt.
    expect(third).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: seconds(askedAt, 120) });
    await dispatch(store, chat, seconds(askedAt, 119));
    expect(outbox(store)[1]?.status).toBe('pending');
    await dispatch(store, chat, seconds(askedAt, 120));
    expect(outbox(store).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('when a delivery fails transiently, then it is retried after a growing backoff', async () => {
    const store = await withPrompts(['ana']);
    const chat = new FakeChat({ script: { 1: { status: 'transient_error', error: 'HTTP 503' }, 2: { status: 'transient_error', error: 'HTTP 502' } } });
    expect(await dispatch(store, chat, askedAt)).toMatchObject({ sent: 0, retried: 1 });
    expect(outbox(store)[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: seconds(askedAt, 30), lastError: 'HTTP 503' });
    expect(await dispatch(store, chat, seconds(askedAt, 29))).toMatchObject({ sent: 0, retried: 0 });
    await dispatch(store, chat, seconds(askedAt, 30));
    expect(outbox(store)[0]).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: seconds(askedAt, 90), lastError: 'HTTP 502' });
    await dispatch(store, chat, seconds(askedAt, 90));
    expect(outbox(store)[0]).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('when a transient failure lasts, then the message is given up after the most attempts allowed', async () => {
    const store = await withPrompts(['ana']);
    const failing = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i + 1, { status: 'transient_error', error: 'timeout' }] as const));
    const chat = new FakeChat({ script: failing });
    let at = askedAt;
    for (let run = 0; run < 5; run += 1) {
      await dispatch(store, chat, at, { maxAttempts: 3 });
      at = plusDays(at, 1);
    }
    expect(chat.attempts).toHaveLength(3);
    expect(outbox(store)[0]).toMatchObject({ status: 'failed', attempts: 3, lastError: 'timeout', failure: 'gave_up' });
  });

  it('when the platform refuses a message for good, then it is given up at once and the rest still go', async () => {
    const store = await withPrompts(['ana', 'leo']);
    const chat = new FakeChat({ script: { 1: { status: 'permanent_error', reason: 'not_in_channel', error: 'channel_not_found' } } });
    expect(await dispatch(store, chat, askedAt)).toMatchObject({ sent: 1, failed: 1 });
    expect(outbox(store).map((m) => [m.status, m.failure, m.lastError])).toEqual([
      ['failed', 'not_in_channel', 'channel_not_found'],
      ['sent', null, null],
    ]);
  });

  it('when the adapter throws, then that delivery counts as a transient failure and the rest still go', async () => {
    const store = await withPrompts(['ana', 'leo']);
    const chat = new FakeChat({ script: { 1: { status: 'throw', error: 'socket hang up' } } });
    expect(await dispatch(store, chat, askedAt)).toMatchObject({ sent: 1, retried: 1 });
    expect(outbox(store)[0]).toMatchObject({ status: 'pending', attempts: 1, lastError: 'socket hang up' });
  });
});

describe('dispatcher: a crash part-way through a batch', () => {
  it('when the process dies while delivering message k, then a new run delivers the rest, and each message is delivered exactly once', async () => {
    const store = await withPrompts();
    const k = 3;
    // The chat throws on the k-th delivery, and the process "dies" right there: nothing about k is recorded.
    const chat = new FakeChat({ script: { [k]: { status: 'throw', error: 'killed' } } });
    const dying = Object.create(store) as SqliteStore;
    let recorded = 0;
    dying.recordDelivery = async (id: number, owner: string, result: DeliveryResult, now: string) => {
      recorded += 1;
      if (recorded === k) throw new Error('process died');
      return store.recordDelivery(id, owner, result, now);
    };
    await expect(dispatch(dying, chat, askedAt, { owner: 'dead:1' })).rejects.toThrow('process died');
    expect(outbox(store).map((m) => m.status)).toEqual(['sent', 'sent', 'pending', 'pending', 'pending']);

    // Another dispatcher cannot take what the dead one still holds; once its lease has run out, it takes it all.
    const restarted = new FakeChat();
    expect(await dispatch(store, restarted, seconds(askedAt, 5), { owner: 'new:2' })).toMatchObject({ sent: 0 });
    expect(await dispatch(store, restarted, seconds(askedAt, 60), { owner: 'new:2' })).toMatchObject({ sent: 3, retried: 0, failed: 0 });
    const everyDelivery = [...chat.deliveredIds(), ...restarted.deliveredIds()];
    expect(everyDelivery.sort((a, b) => a - b)).toEqual(outbox(store).map((m) => m.id));
    expect(outbox(store).every((m) => m.status === 'sent')).toBe(true);
  });

  it('when the dispatcher crashes and the tick runs again at the same time, then nothing is queued twice', async () => {
    const store = await withPrompts();
    await dispatch(store, new FakeChat({ script: { 2: { status: 'rate_limited', retryAfterMs: 1000 } } }), askedAt);
    await tick(store, policy, askedAt);
    const chat = new FakeChat();
    await dispatch(store, chat, plusDays(askedAt, 1));
    expect(outbox(store)).toHaveLength(5);
    expect(outbox(store).every((m) => m.status === 'sent')).toBe(true);
  });
});

describe('dispatcher: updates when an item is resolved', () => {
  it('when a delivered prompt’s item is answered, then the same delivery goes again as an update of the platform’s message, without buttons', async () => {
    const store = await withPrompts(['ana']);
    const chat = new FakeChat();
    await dispatch(store, chat, askedAt);
    const answeredAt = plusDays(askedAt, 1);
    await answer(store, policy, answeredAt, 'ana@acme.example', [openAttestationOf(store, 'ana-api').id], { type: 'confirm' });
    expect(outbox(store).map((r) => [r.id, r.status, r.revision])).toEqual([[1, 'pending', 2]]);
    await dispatch(store, chat, answeredAt);
    const update = chat.delivered[1];
    expect(update?.message.delivered).toEqual({ messageId: 'fake-1', channel: expect.stringMatching(/^D-/) });
    expect(update?.message.message.sections[0]).toMatchObject({ actions: [], resolved: `Confirmed by ana@acme.example on ${answeredAt.slice(0, 10)}` });
    expect(outbox(store).map((r) => [r.status, r.platformMessageId])).toEqual([['sent', 'fake-1']]);
  });

  it('when a prompt’s item is answered before the prompt was sent, then the prompt is rewritten in place: one delivery, no update', async () => {
    const store = await withPrompts(['ana']);
    await answer(store, policy, askedAt, 'ana@acme.example', [openAttestationOf(store, 'ana-api').id], { type: 'confirm' });
    const chat = new FakeChat();
    await dispatch(store, chat, askedAt);
    expect(outbox(store).map((r) => r.status)).toEqual(['sent']);
    expect(chat.delivered).toHaveLength(1);
    expect(chat.delivered[0]?.message.delivered).toBeNull();
    expect(chat.delivered[0]?.message.message.sections[0]?.actions).toEqual([]);
  });

  it('when an item is answered while its prompt is on its way, then the prompt as delivered is kept and an update follows', async () => {
    const store = await withPrompts(['ana']);
    const id = openAttestationOf(store, 'ana-api').id;
    const chat = new FakeChat();
    const answering = Object.create(chat) as FakeChat;
    answering.deliver = async (message) => {
      // The owner answers (in the console, or another request) while the platform call is in flight.
      await answer(store, policy, askedAt, 'ana@acme.example', [id], { type: 'confirm' });
      return chat.deliver(message);
    };
    await dispatch(store, answering, askedAt);
    expect(chat.delivered[0]?.message.message.sections[0]?.actions).toHaveLength(5);
    expect(outbox(store)[0]).toMatchObject({ status: 'pending', revision: 2, platformMessageId: 'fake-1' });
    await dispatch(store, chat, askedAt);
    expect(chat.delivered.at(-1)?.message.delivered).toMatchObject({ messageId: 'fake-1' });
    expect(chat.delivered.at(-1)?.message.message.sections[0]).toMatchObject({ actions: [], resolved: expect.stringMatching(/^Confirmed by ana/) });
  });
});

describe('dispatcher: two dispatchers on one database', () => {
  it('when two dispatchers run side by side, then each delivery is claimed by one of them and sent once in all', async () => {
    const store = await withPrompts();
    const first = new FakeChat();
    const second = new FakeChat();

    await Promise.all([dispatch(store, first, askedAt, { owner: 'a:1', batchSize: 2 }), dispatch(store, second, askedAt, { owner: 'b:2', batchSize: 2 })]);
    await Promise.all([dispatch(store, first, askedAt, { owner: 'a:1', batchSize: 2 }), dispatch(store, second, askedAt, { owner: 'b:2', batchSize: 2 })]);

    const all = [...first.deliveredIds(), ...second.deliveredIds()].sort((a, b) => a - b);
    expect(all).toEqual(outbox(store).map((m) => m.id));
    expect(first.delivered.length).toBeGreaterThan(0);
    expect(second.delivered.length).toBeGreaterThan(0);
  });

  it('when a dispatcher records a delivery whose lease another has taken over, then its record is ignored', async () => {
    const store = await withPrompts(['ana']);
    const [held] = await store.claimDeliveries({ now: (await routed(store)).now, platform: 'fake', owner: 'slow:1', leaseMs: 1_000, limit: 1 });
    const later = seconds(askedAt, 2);
    const [takenOver] = await store.claimDeliveries({ now: later, platform: 'fake', owner: 'quick:2', leaseMs: 60_000, limit: 1 });
    expect(takenOver?.id).toBe(held?.id);

    await store.recordDelivery(held?.id ?? 0, 'slow:1', { status: 'failed', reason: 'refused', error: 'late' }, later);
    await store.recordDelivery(takenOver?.id ?? 0, 'quick:2', { status: 'sent', messageId: 'm-1', channel: 'D-1' }, later);

    expect(outbox(store)[0]).toMatchObject({ status: 'sent', platformMessageId: 'm-1', failure: null });
  });
});

/** Routes the store's new messages to the fake platform, as a dispatcher run does first. */
async function routed(store: SqliteStore) {
  const now = askedAt;
  await store.routeMessages({ now, platforms: [new FakeChat().reach], limit: 100, route: () => ({ platforms: ['fake'] }) });
  return { now };
}

describe('dispatcher: routing', () => {
  it('when two platforms are configured, then a person is written to on the one they have an account on, and a channel on every one that has it', async () => {
    const store = await withPrompts(['ana']);
    await importLoop(store, askedAt, [apiEntry({ ref: 'orphan-api' })]);
    await tick(store, policy, plusDays(askedAt, 1));
    const ana = await store.chatPersonBy({ email: 'ana@acme.example' });
    await store.linkChatAccount(ana?.personId ?? 0, { platform: 'teams', accountId: 'aad-ana' }, null);
    const slack = new FakeChat({ platform: 'slack' });
    const teams = new FakeChat({ platform: 'teams', reach: { people: 'linked', teamChannels: 'none', securityChannel: true } });
    const both = { platforms: [slack.reach, teams.reach], preference: ['slack', 'teams'] };

    await dispatch(store, slack, plusDays(askedAt, 1), both);
    await dispatch(store, teams, plusDays(askedAt, 1), both);

    expect(outbox(store).map((m) => [m.kind, m.to, m.platforms])).toEqual([
      ['attestation_prompt', 'ana@acme.example', ['teams']],
      ['unowned_queue', 'security', ['slack', 'teams']],
    ]);
  });

  it('when no configured platform can take a message, then it is kept, visible as stuck with the reason, and not delivered anywhere', async () => {
    const store = await withPrompts(['ana']);
    const teams = new FakeChat({ platform: 'teams', reach: { people: 'linked', teamChannels: 'none', securityChannel: false } });

    expect(await dispatch(store, teams, askedAt)).toMatchObject({ routed: 0, unroutable: 1, sent: 0 });

    expect(await store.stuckMessages(askedAt, 10)).toEqual([
      expect.objectContaining({ kind: 'attestation_prompt', reason: 'no_platform', error: expect.stringContaining('no configured platform reaches ana@acme.example') }),
    ]);
  });

  it('when a person cannot be reached on one platform, then the message goes to another that can; when none can, their attestation climbs the ladder at once', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'ana-api', owner: ownedBy('payments', 'ana', 'ben') })]);
    await tick(store, policy, askedAt);
    const unreachable = { status: 'permanent_error', reason: 'unreachable', error: 'users_not_found' } as const;
    const slack = new FakeChat({ platform: 'slack', script: { 1: unreachable } });
    const teams = new FakeChat({ platform: 'teams', script: { 1: unreachable } });
    const both = { platforms: [slack.reach, teams.reach], preference: ['slack', 'teams'] };

    await dispatch(store, slack, askedAt, both);
    await dispatch(store, teams, askedAt, both);
    expect(teams.attempts).toEqual([1]);
    await dispatch(store, slack, askedAt, both);

    expect(outbox(store)[0]?.platforms).toEqual(['slack', 'teams']);
    expect(auditEvents(store, { action: 'attestation.unreachable' })).toEqual([expect.objectContaining({ subject: 'ana-api', details: expect.objectContaining({ person: 'ana@acme.example' }) })]);
    await tick(store, policy, askedAt);
    expect(summarise(outboxAt(store, askedAt).slice(1))).toEqual(['escalation → ben@acme.example: ana-api']);
  });
});

describe('dispatcher: channels bound on a platform', () => {
  const teamsReach = { people: 'linked', teamChannels: 'bound', securityChannel: 'bound' } as const;
  const bindAs = (store: SqliteStore, at: string, who: string, target: BindTarget, address: string) =>
    bindChannel(store, fixedClock(at), { admins: ['zed@acme.example'] }, { actor: { email: who }, platform: 'teams', target, address });

  it('when Teams has no channel bound to a team yet, then its message waits, said once, and goes there once the lead binds one', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') })]);
    await tick(store, policy, askedAt);
    const teams = new FakeChat({ platform: 'teams', reach: teamsReach });

    expect(await dispatch(store, teams, askedAt)).toMatchObject({ routed: 0, unroutable: 1, sent: 0 });
    expect(await dispatch(store, teams, seconds(askedAt, 60))).toMatchObject({ routed: 0, unroutable: 0, sent: 0 });
    expect(await bindAs(store, seconds(askedAt, 90), 'leo@acme.example', { kind: 'team', slug: 'ledger' }, 'conv-ledger')).toMatchObject({ ok: true });
    expect(await dispatch(store, teams, seconds(askedAt, 90))).toMatchObject({ routed: 1, unroutable: 0, sent: 1 });

    expect(teams.delivered.map((d) => [d.message.message.kind, d.message.addressee.kind])).toEqual([['team_queue', 'team_channel']]);
    expect(await store.stuckMessages(plusDays(askedAt, 1), 10)).toEqual([]);
  });

  it('when Slack and Teams are configured, then a team’s message goes to Slack’s named channel at once, and to Teams as well once a channel is bound there', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') })]);
    await tick(store, policy, askedAt);
    const slack = new FakeChat({ platform: 'slack', reach: { people: 'anyone', teamChannels: 'named', securityChannel: true } });
    const teams = new FakeChat({ platform: 'teams', reach: teamsReach });
    const both = { platforms: [slack.reach, teams.reach], preference: ['slack', 'teams'] };

    await dispatch(store, slack, askedAt, both);
    await bindAs(store, askedAt, 'leo@acme.example', { kind: 'team', slug: 'ledger' }, 'conv-ledger');
    await importLoop(store, plusDays(askedAt, 1), [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') }), apiEntry({ ref: 'ledger-db', owner: ownedBy('ledger') })]);
    await tick(store, policy, plusDays(askedAt, 1));
    await dispatch(store, slack, plusDays(askedAt, 1), both);
    await dispatch(store, teams, plusDays(askedAt, 1), both);

    expect(outbox(store).map((m) => [m.kind, m.to, m.refs, m.platforms])).toEqual([
      ['team_queue', 'team:ledger', ['ledger-api'], ['slack']],
      ['team_queue', 'team:ledger', ['ledger-db'], ['slack', 'teams']],
    ]);
  });
});

describe('dispatcher: a lease that runs out while its delivery waits in the batch', () => {
  it('when another dispatcher took a delivery over while it waited its turn, then the first one does not send it: each is sent once', async () => {
    const store = await withPrompts(['ana', 'leo']);
    let now = askedAt;
    const clock = { now: () => new Date(now) };
    // Both deliveries are claimed at askedAt for 2 s; the first is sent 1.5 s later (its lease renewed to 3.5 s).
    const slowStore = Object.create(store) as SqliteStore;
    slowStore.claimDeliveries = async (request) => {
      const held = await store.claimDeliveries(request);
      now = seconds(askedAt, 1.5);
      return held;
    };
    const taker = new FakeChat();
    const slow = new FakeChat();
    const stalling = Object.create(slow) as FakeChat;
    stalling.deliver = async (message) => {
      // That call takes a second: the second delivery's lease runs out, and another dispatcher takes it over.
      if (slow.attempts.length === 0) {
        now = seconds(askedAt, 2.5);
        await dispatch(store, taker, now, { owner: 'taker:2' });
      }
      return slow.deliver(message);
    };

    await dispatchOutbox(slowStore, stalling, clock, { owner: 'slow:1', platforms: [slow.reach], preference: [], leaseMs: 2_000, pause: noPause });

    expect(slow.deliveredIds()).toEqual([1]);
    expect(taker.deliveredIds()).toEqual([2]);
    expect(outbox(store).map((m) => m.status)).toEqual(['sent', 'sent']);
  });
});
