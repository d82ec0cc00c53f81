import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, plusDays, tick } from '../../support/loop.js';
import { auditEvents, openQueue } from '../../storage/support/loop-state.js';
import { channelOf, startTeamsHarness, type TeamsHarness } from './teams-harness.js';
import { cardOf } from './sent-cards.js';

/*
 * A team whose inventory entry names no channel (the loop directory's `platform`, which has no lead either), its
 * channel bound in Teams by an admin with `@Steward here team platform`: its queue and its escalations are posted
 * there, over HTTP to the fake Bot Connector, as for a team whose inventory names its channel.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';

/** The cards posted to platform's channel (the channel itself, not a reply thread), as JSON. */
const cardsInPlatformChannel = (h: TeamsHarness) => h.fake.sent.filter((s) => s.conversationId === channelOf('platform') && cardOf(s) !== undefined).map((s) => JSON.stringify(cardOf(s)));

describe('a team whose inventory entry names no channel, its channel bound in Teams', () => {
  test('when Pat, an admin, binds platform’s channel, then the tick puts its item with nobody named to that channel with Take it', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'infra-api', purpose: 'Runs the clusters', owner: ownedBy('platform') })] });

    await harness.post(harness.inChannel('pat', channelOf('platform'), 'here team platform'));
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(openQueue(harness.store).map((q) => [q.ref, q.queue])).toEqual([['infra-api', 'team']]);
    const [card, ...others] = cardsInPlatformChannel(harness);
    expect(others).toEqual([]);
    expect(card).toContain('infra-api');
    expect(card).toContain('"verb":"queue.take"');
  });

  test('when nobody answers for an item of platform’s, then its escalation is posted to that channel: the team channel’s rung is taken, not skipped', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'infra-api', purpose: 'Runs the clusters', owner: ownedBy('platform', 'pat') })] });
    await harness.post(harness.installedBy('pat'));
    await harness.post(harness.inChannel('pat', channelOf('platform'), 'here team platform'));
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    const escalatedAt = plusDays(tickAt, 7);
    harness.clock.set(escalatedAt);
    await tick(harness.store, harness.policy, escalatedAt);
    await harness.deliver();

    expect(auditEvents(harness.store, { action: 'attestation.escalated' }).map((e) => [e.details.level, e.details.recipient])).toEqual([[3, 'team platform']]);
    const [card, ...others] = cardsInPlatformChannel(harness);
    expect(others).toEqual([]);
    expect(card).toContain('infra-api');
    // A channel is shown the item, not asked about it.
    expect(card).not.toContain('"verb":"attest.confirm"');
  });
});
