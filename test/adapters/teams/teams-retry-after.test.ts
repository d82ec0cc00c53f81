import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { deliveries, outbox } from '../../storage/support/loop-state.js';
import { channelOf, personalConversation, startTeamsHarness, teamOf, type TeamsHarness } from './teams-harness.js';

/*
 * Teams throttles a conversation: the 429 and its Retry-After reach the outbox once (botbuilder's own retries are
 * off), the pump waits as long as Teams said in real time (the one real wait of this suite, a second), and the
 * delivery is due again only once the store's clock has passed the Retry-After. Two clocks, then: the pump's
 * timer, and the test's clock that the store reads, moved by hand.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const plusMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];

describe('a 429 with Retry-After from a 1:1 chat', () => {
  test('when Ana\'s chat answers 429 with Retry-After: 1 once, then the prompt is delivered on the next try a second later, in two sends, with no attempt counted against it', async () => {
    harness = await startTeamsHarness({ items });
    const { fake, store, pump } = harness;
    const ana = personalConversation('ana');
    expect((await harness.post(harness.installedBy('ana'))).status).toBe(200);
    const callsBefore = fake.calls.length;
    fake.failConversation(ana, { status: 429, retryAfterSeconds: 1 }, 1);
    await tick(store, harness.policy, tickAt);

    // Returns once the pump is throttled: the 429 was answered and the pump sleeps out the Retry-After.
    await harness.deliver();
    const throttledAt = performance.now();

    expect(deliveries(store)).toMatchObject([{ platform: 'teams', status: 'pending', attempts: 0, platformMessageId: null, failure: null }]);
    expect(outbox(store)).toMatchObject([{ status: 'pending', attempts: 0, nextAttemptAt: plusMs(tickAt, 1_000), lastError: 'rate limited' }]);
    expect(harness.logs).toContainEqual(expect.objectContaining({ retryAfterMs: 1_000, platform: 'teams' }));

    // The pump's next round comes after its real second; by the store's clock the Retry-After has not passed yet.
    harness.clock.set(plusMs(tickAt, 999));
    await pump.idle();
    const wokeAfterMs = performance.now() - throttledAt;
    expect(deliveries(store)).toMatchObject([{ status: 'pending', attempts: 0 }]);

    harness.clock.set(plusMs(tickAt, 1_000));
    const deadline = performance.now() + 5_000;
    while (deliveries(store)[0]?.status === 'pending' && performance.now() < deadline) await pump.idle();

    // Timers may fire up to a millisecond early by performance.now's reckoning.
    expect(wokeAfterMs).toBeGreaterThanOrEqual(999);
    const [delivery] = deliveries(store);
    expect(delivery).toMatchObject({ platform: 'teams', status: 'sent', attempts: 1, failure: null });
    const posts = fake.calls.slice(callsBefore).filter((call) => call.conversationId === ana && call.method === 'POST');
    expect(posts.map((call) => call.status)).toEqual([429, 201]);
    const sent = fake.sent.filter((s) => s.conversationId === ana);
    expect(sent).toHaveLength(1);
    expect(delivery?.platformMessageId).toBe(sent[0]?.activityId);
    expect(outbox(store)).toMatchObject([{ status: 'sent', lastError: null }]);
  });

  test('when the 429 comes while creating the 1:1 chat of someone met only in a roster, then the chat is created on the next try, once', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: ownedBy('ledger', 'lia') })] });
    const { fake, store, pump } = harness;
    const added = {
      ...harness.inChannel('leo', channelOf('general'), ''),
      type: 'conversationUpdate',
      text: undefined,
      entities: undefined,
      membersAdded: [{ id: `28:${fake.appId}`, name: 'Steward' }],
      conversation: { id: teamOf, conversationType: 'channel', tenantId: fake.tenantId, isGroup: true, name: '' },
    };
    expect((await harness.post(added)).status).toBe(200);
    fake.failCreateConversation({ status: 429, retryAfterSeconds: 1 }, 1);
    await tick(store, harness.policy, tickAt);

    await harness.deliver();
    expect(deliveries(store)).toMatchObject([{ status: 'pending', attempts: 0 }]);
    expect(fake.created).toEqual([]);

    harness.clock.set(plusMs(tickAt, 1_000));
    const deadline = performance.now() + 5_000;
    while (deliveries(store)[0]?.status === 'pending' && performance.now() < deadline) await pump.idle();

    expect(deliveries(store)).toMatchObject([{ status: 'sent', attempts: 1 }]);
    expect(fake.calls.filter((call) => call.path === '/v3/conversations' && call.method === 'POST').map((call) => call.status)).toEqual([429, 201]);
    expect(fake.created).toHaveLength(1);
    expect(fake.sent.filter((s) => s.conversationId === fake.created[0]?.id)).toHaveLength(1);
  });
});
