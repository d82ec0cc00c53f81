import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, plusDays, tick } from '../../support/loop.js';
import { auditEvents, itemOf, openAttestationOf, openQueue } from '../../storage/support/loop-state.js';
import type { SlackCall } from '../../support/fake-slack.js';
import { blockActions } from '../../support/sign-slack.js';
import { startHarness, userId, type Harness } from './slack-harness.js';

/*
 * The queues in Slack, end to end over HTTP: unowned items and top-level escalations reach the security channel,
 * team-owned items with nobody named reach the team's channel, and a click on Claim or Take it is recorded once,
 * for someone allowed to take the item, with the post rewritten so no live button is left.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';

function buttonIds(blocks: unknown): string[] {
  return (Array.isArray(blocks) ? blocks : []).flatMap((block: { type?: string; elements?: Array<{ type?: string; action_id?: string }> }) =>
    block.type === 'actions' ? (block.elements ?? []).filter((e) => e.type === 'button').map((e) => String(e.action_id)) : [],
  );
}

/** Ticks at `at`, lets the pump deliver, and returns the posts that reached `channel`. */
async function postsAfterTick(h: Harness, at: string, channel: string): Promise<SlackCall[]> {
  h.moveClock(at);
  await tick(h.store, h.policy, at);
  h.pump.kick();
  await h.pump.idle();
  return h.fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.answer.channel === channel);
}

async function click(h: Harness, user: string, actionId: string, value: string, post: SlackCall, respondAs: string) {
  const where = { channel: String(post.answer.channel), ts: String(post.answer.ts) };
  return h.send.interaction(blockActions(userId(user), { actionId, value }, where, h.fake.responseUrl(respondAs)));
}

describe('the security queue', () => {
  const items = [apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' })];

  test('when an item has no owner, then it is posted to the security channel with a Claim button', async () => {
    harness = await startHarness({ items });

    const posts = await postsAfterTick(harness, tickAt, 'C0SECURITY');

    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe('#sec-ownership');
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain('orphan-api');
    expect(buttonIds(posts[0]?.args.blocks)).toEqual(['queue.claim']);
  });

  test('when SLACK_SECURITY_CHANNEL is set, then the queue goes there instead of the policy’s channel', async () => {
    harness = await startHarness({ items, settings: { securityChannel: 'C0SECOPS' }, fake: { channels: { 'sec-ownership': 'C0SECURITY', secops: 'C0SECOPS' } } });

    expect(await postsAfterTick(harness, tickAt, 'C0SECOPS')).toHaveLength(1);
    expect(harness.fake.callsTo('chat.postMessage').filter((c) => c.answer.channel === 'C0SECURITY')).toEqual([]);
  });

  test('when someone in one team clicks Claim, then they own the item for that team, it leaves the queue, they are told, and the post loses its button', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0SECURITY');
    if (post === undefined) throw new Error('no queue post');
    const claimedAt = plusDays(tickAt, 1);
    harness.moveClock(claimedAt);

    const response = await click(harness, 'pat', 'queue.claim', String(itemOf(harness.store, 'orphan-api').id), post, 'claim-1');

    expect(response.status).toBe(200);
    const told = await harness.fake.waitFor((c) => c.path === '/respond/claim-1');
    expect(told.args).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: 'orphan-api is yours now, owned by platform; you will be asked to confirm it.' });
    expect(itemOf(harness.store, 'orphan-api')).toMatchObject({ team: 'platform', accountable: 'pat@acme.example', nextAttestationAt: claimedAt });
    expect(openQueue(harness.store)).toEqual([]);
    expect(auditEvents(harness.store, { action: 'item.owner_changed' })).toEqual([expect.objectContaining({ actor: 'pat@acme.example', subject: 'orphan-api' })]);
    const update = await harness.fake.waitFor((c) => c.method === 'chat.update');
    expect(update.args).toMatchObject({ channel: 'C0SECURITY', ts: post.answer.ts });
    expect(buttonIds(update.args.blocks)).toEqual([]);
    expect(JSON.stringify(update.args.blocks)).toContain('Claimed by pat@acme.example');
  });

  test('when someone in no team clicks Claim, then they are told why and how, and nothing changes', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0SECURITY');
    if (post === undefined) throw new Error('no queue post');

    await click(harness, 'zed', 'queue.claim', String(itemOf(harness.store, 'orphan-api').id), post, 'teamless');

    expect((await harness.fake.waitFor((c) => c.path === '/respond/teamless')).args.text).toBe('orphan-api needs an owning team, and you are in none that Steward knows.');
    expect(itemOf(harness.store, 'orphan-api').accountable).toBeNull();
    expect(openQueue(harness.store).map((q) => q.ref)).toEqual(['orphan-api']);
  });

  test('when someone in several teams clicks Claim, then they are told to name the team with /steward claim, and nothing changes', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0SECURITY');
    if (post === undefined) throw new Error('no queue post');

    await click(harness, 'ana', 'queue.claim', String(itemOf(harness.store, 'orphan-api').id), post, 'two-teams');

    const told = await harness.fake.waitFor((c) => c.path === '/respond/two-teams');
    expect(told.args.text).toBe('orphan-api needs an owning team: say which of yours (payments, platform).\nType `/steward claim orphan-api --team &lt;team&gt;` to claim it for one of them.');
    expect(itemOf(harness.store, 'orphan-api').accountable).toBeNull();
  });

  test('when a second person clicks Claim after the first, then they are told it is taken and the owner stays the first', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0SECURITY');
    if (post === undefined) throw new Error('no queue post');
    const value = String(itemOf(harness.store, 'orphan-api').id);
    await click(harness, 'pat', 'queue.claim', value, post, 'first');
    await harness.fake.waitFor((c) => c.path === '/respond/first');

    await click(harness, 'lia', 'queue.claim', value, post, 'second');

    const told = await harness.fake.waitFor((c) => c.path === '/respond/second');
    expect(told.args.text).toBe('orphan-api is not waiting for an owner (pat@acme.example is accountable); nothing changed.');
    expect(itemOf(harness.store, 'orphan-api').accountable).toBe('pat@acme.example');
    expect(auditEvents(harness.store, { action: 'item.owner_changed' })).toHaveLength(1);
  });
});

describe('a team’s queue', () => {
  const items = [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') })];

  test('when a team owns an item but names nobody, then it is posted to the team’s channel with a Take it button', async () => {
    harness = await startHarness({ items });

    const posts = await postsAfterTick(harness, tickAt, 'C0LEDGER');

    expect(posts).toHaveLength(1);
    expect(buttonIds(posts[0]?.args.blocks)).toEqual(['queue.take']);
  });

  test('when someone outside the team clicks Take it, then they are refused and the item stays in the queue', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0LEDGER');
    if (post === undefined) throw new Error('no queue post');

    await click(harness, 'ana', 'queue.take', String(itemOf(harness.store, 'ledger-api').id), post, 'outsider');

    const told = await harness.fake.waitFor((c) => c.path === '/respond/outsider');
    expect(told.args.text).toMatch(/ledger/);
    expect(told.args.text).not.toMatch(/yours now/);
    expect(itemOf(harness.store, 'ledger-api').accountable).toBeNull();
    expect(openQueue(harness.store).map((q) => q.ref)).toEqual(['ledger-api']);
    expect(harness.fake.callsTo('chat.update')).toEqual([]);
  });

  test('when a member of the team clicks Take it, then they are accountable and the post loses its button', async () => {
    harness = await startHarness({ items });
    const [post] = await postsAfterTick(harness, tickAt, 'C0LEDGER');
    if (post === undefined) throw new Error('no queue post');

    await click(harness, 'lia', 'queue.take', String(itemOf(harness.store, 'ledger-api').id), post, 'member');

    expect((await harness.fake.waitFor((c) => c.path === '/respond/member')).args.text).toBe('ledger-api is yours now; you will be asked to confirm it.');
    expect(itemOf(harness.store, 'ledger-api')).toMatchObject({ team: 'ledger', accountable: 'lia@acme.example' });
    const update = await harness.fake.waitFor((c) => c.method === 'chat.update');
    expect(update.args).toMatchObject({ channel: 'C0LEDGER', ts: post.answer.ts });
    expect(buttonIds(update.args.blocks)).toEqual([]);
  });
});

describe('escalations reach the right people and channels', () => {
  test('when nobody answers, then the backup’s DM, the team channel and finally the security channel are told, each in Slack', async () => {
    const items = [apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') })];
    harness = await startHarness({ items });
    const day = (n: number) => plusDays(tickAt, n);
    await postsAfterTick(harness, day(0), `D${userId('ana')}`);
    openAttestationOf(harness.store, 'checkout-api');

    const toBen = await postsAfterTick(harness, day(7), `D${userId('ben')}`);
    const toLena = await postsAfterTick(harness, day(10), `D${userId('lena')}`);
    const toPayments = await postsAfterTick(harness, day(12), 'C0PAYMENTS');
    const toSecurity = await postsAfterTick(harness, day(14), 'C0SECURITY');

    for (const posts of [toBen, toLena, toPayments, toSecurity]) {
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]?.args.blocks)).toContain('checkout-api');
    }
    expect(harness.fake.callsTo('conversations.open').map((c) => c.args.users)).toEqual([userId('ana'), userId('ben'), userId('lena')]);
  });
});
