import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { attestations, deliveries } from '../../storage/support/loop-state.js';
import type { SentActivity } from '../../support/fake-bot-connector.js';
import { personalConversation, startTeamsHarness, type TeamsHarness } from './teams-harness.js';
import { executesIn, cardOf } from './sent-cards.js';

/*
 * A prompt too big for one card (Teams refuses a message over about 28 KB): its items are spread over several
 * cards, all posted, their ids kept together on the delivery; when an item is answered, the message is rewritten
 * on the same cards, in place, with nothing posted anew, and no item is offered twice or left with a live button.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const ana = personalConversation('ana');

/** `count` items of Ana's, each with a purpose long enough that four fill a card. */
const longItems = (count: number) =>
  Array.from({ length: count }, (_, i) => apiEntry({ ref: `ledger-${i + 1}`, purpose: `Keeps ledger ${i + 1}. ${'Reconciles the day. '.repeat(150)}`, sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') }));

/** The attestations a card offers Confirm for. */
const confirmsOn = (sent: SentActivity | undefined) => executesIn(cardOf(sent)).filter((e) => e.verb === 'attest.confirm').map((e) => String(e.data.value));
const openIds = (h: TeamsHarness) => attestations(h.store).filter((a) => a.status === 'open').map((a) => String(a.id));

/** Ana installs Steward, the tick asks her about every item, the prompt is delivered: the cards Teams received. */
async function promptPosted(h: TeamsHarness): Promise<SentActivity[]> {
  expect((await h.post(h.installedBy('ana'))).status).toBe(200);
  await tick(h.store, h.policy, tickAt);
  await h.deliver();
  return h.fake.sent.filter((s) => s.conversationId === ana);
}

/** Ana clicks Confirm for the first item on the first card; the rewrite is delivered: what Teams received since. */
async function firstItemConfirmed(h: TeamsHarness, posted: readonly SentActivity[]): Promise<SentActivity[]> {
  const confirm = executesIn(cardOf(posted[0])).find((e) => e.verb === 'attest.confirm');
  const before = h.fake.sent.length;
  expect((await h.post(h.click('ana', ana, posted[0]?.activityId ?? '', 'attest.confirm', confirm?.data ?? {}))).status).toBe(200);
  await h.deliver();
  return h.fake.sent.slice(before).filter((s) => s.conversationId === ana);
}

describe('a prompt of several cards', () => {
  test('when Ana\'s prompt is too big for one card, then every card is posted, each item on exactly one, and the delivery keeps all their ids', async () => {
    harness = await startTeamsHarness({ items: longItems(10) });

    const posted = await promptPosted(harness);

    expect(posted.length).toBeGreaterThan(1);
    expect(posted.every((s) => s.kind === 'reply' && cardOf(s) !== undefined)).toBe(true);
    expect(posted.flatMap(confirmsOn)).toEqual(openIds(harness));
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ platform: 'teams', status: 'sent', attempts: 1, platformMessageId: posted.map((s) => s.activityId).join(',') })]);
  });

  test('when Ana answers one item, then every card is rewritten in place, nothing is posted anew, and the answered item has no button left', async () => {
    harness = await startTeamsHarness({ items: longItems(10) });
    const posted = await promptPosted(harness);
    const answered = confirmsOn(posted[0])[0];

    const rewritten = await firstItemConfirmed(harness, posted);

    expect(attestations(harness.store).find((a) => String(a.id) === answered)).toMatchObject({ status: 'closed', outcome: 'attested' });
    expect(rewritten.map((s) => s.kind)).toEqual(posted.map(() => 'update'));
    expect(rewritten.map((s) => s.activityId)).toEqual(posted.map((s) => s.activityId));
    expect(rewritten.flatMap(confirmsOn)).toEqual(openIds(harness));
    expect(rewritten.flatMap(confirmsOn)).not.toContain(answered);
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ status: 'sent', platformMessageId: posted.map((s) => s.activityId).join(',') })]);
  });

  test('when the answer makes the message fit on one card fewer, then the card left over is rewritten without buttons: no item is offered on two cards', async () => {
    harness = await startTeamsHarness({ items: longItems(9) });
    const posted = await promptPosted(harness);
    // The scenario: the last card holds one item, which moves up once the first item, answered, takes less room.
    expect(confirmsOn(posted.at(-1))).toHaveLength(1);

    const rewritten = await firstItemConfirmed(harness, posted);

    expect(rewritten.map((s) => [s.kind, s.activityId])).toEqual(posted.map((s) => ['update', s.activityId]));
    expect(rewritten.flatMap(confirmsOn)).toEqual(openIds(harness));
    expect(executesIn(cardOf(rewritten.at(-1)))).toEqual([]);
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ status: 'sent', platformMessageId: posted.map((s) => s.activityId).join(',') })]);
  });
});
