import { describe, expect, it } from 'vitest';
import { bindChannel } from '../../src/channels/bind-channel.js';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import { routeMessage } from '../../src/outbox/route-message.js';
import type { PlatformReach } from '../../src/ports/chat.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { auditEvents, openQueue, outbox, outboxAt } from './support/loop-state.js';

/*
 * A team whose inventory entry names no channel (the loop directory's `platform`: no channel, no lead) but whose
 * channel an admin bound in Teams with `here team platform`: the tick treats it as the team's channel, for its queue
 * and for the team channel's rung of the ladder, and the outbox posts there on Teams alone. Nothing bound, nothing
 * changes: the security channel, on Slack.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
/** Every item is asked by then (firstWithinDays is 7). */
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy({ admins: ['zed@acme.example'] });
const slack: PlatformReach = { platform: 'slack', people: 'anyone', teamChannels: 'named', securityChannel: true };
const teams: PlatformReach = { platform: 'teams', people: 'linked', teamChannels: 'bound', securityChannel: 'bound' };

/** The loop directory and `items` imported, and, when `bound`, platform's channel bound in Teams by an admin. */
async function storeWith(items: RawEntry[], bound: boolean): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, items);
  if (bound) {
    const result = await bindChannel(store, fixedClock(importedAt), policy, { actor: { email: 'zed@acme.example' }, platform: 'teams', target: { kind: 'team', slug: 'platform' }, address: 'conv-platform' });
    if (!result.ok) throw new Error(`platform's channel was not bound: ${result.code}`);
  }
  return store;
}

/** One routing round at `at` for a process serving Slack and Teams together. */
async function routeOnSlackAndTeams(store: SqliteStore, at: string) {
  return store.routeMessages({ now: at, platforms: [slack, teams], limit: 100, route: (message) => routeMessage(message, [slack, teams], []) });
}

describe('a team’s queue, when its inventory entry names no channel', () => {
  const infra = [apiEntry({ ref: 'infra-api', owner: ownedBy('platform') })];

  it('when its channel is bound in Teams, then its items with nobody named go to its queue, posted to that channel on Teams alone', async () => {
    const store = await storeWith(infra, true);

    await tick(store, policy, importedAt);

    expect(openQueue(store).map((q) => [q.ref, q.queue, q.reason])).toEqual([['infra-api', 'team', 'no_accountable_person']]);
    expect(summarise(outbox(store))).toEqual(['team_queue → team:platform: infra-api']);
    expect(await routeOnSlackAndTeams(store, importedAt)).toEqual({ routed: 1, unroutable: 0 });
    expect(outbox(store).map((m) => [m.kind, m.platforms])).toEqual([['team_queue', ['teams']]]);
    expect(await store.stuckMessages(plusDays(importedAt, 1), 10)).toEqual([]);
  });

  it('when nothing is bound, then they go to the security queue, posted on Slack, as before', async () => {
    const store = await storeWith(infra, false);

    await tick(store, policy, importedAt);

    expect(openQueue(store).map((q) => [q.ref, q.queue, q.reason])).toEqual([['infra-api', 'security', 'no_accountable_person']]);
    expect(summarise(outbox(store))).toEqual(['unowned_queue → security: infra-api']);
    expect(await routeOnSlackAndTeams(store, importedAt)).toEqual({ routed: 1, unroutable: 0 });
    expect(outbox(store).map((m) => [m.kind, m.platforms])).toEqual([['unowned_queue', ['slack']]]);
  });
});

describe('the ladder, when the team’s inventory entry names no channel (and it has no lead)', () => {
  /** Pat's, with no backup: after the owner's reminders, the team channel's rung is the first with someone to tell. */
  const patsItem = [apiEntry({ ref: 'infra-api', sensitivity: 'restricted', owner: ownedBy('platform', 'pat') })];

  it('when its channel is bound in Teams, then the first escalation reaches the team channel’s rung, and security the next', async () => {
    const store = await storeWith(patsItem, true);
    await tick(store, policy, askedAt);

    await tick(store, policy, plusDays(askedAt, 7));
    const first = outboxAt(store, plusDays(askedAt, 7));
    await tick(store, policy, plusDays(askedAt, 14));

    expect(summarise(first)).toEqual(['escalation → team:platform: infra-api']);
    expect(summarise(outboxAt(store, plusDays(askedAt, 14)))).toEqual(['escalation → security: infra-api']);
    expect(auditEvents(store, { action: 'attestation.escalated' }).map((e) => [e.details.level, e.details.to, e.details.recipient])).toEqual([
      [3, `team:${teamIdOf(store, 'platform')}`, 'team platform'],
      [4, 'security', '#sec-ownership'],
    ]);
    expect(await routeOnSlackAndTeams(store, plusDays(askedAt, 14))).toMatchObject({ unroutable: 0 });
    expect(outbox(store).filter((m) => m.kind === 'escalation').map((m) => [m.to, m.platforms])).toEqual([
      ['team:platform', ['teams']],
      ['security', ['slack']],
    ]);
  });

  it('when nothing is bound, then the team channel’s rung is skipped: the first escalation goes to security, as before', async () => {
    const store = await storeWith(patsItem, false);
    await tick(store, policy, askedAt);

    await tick(store, policy, plusDays(askedAt, 7));

    expect(summarise(outboxAt(store, plusDays(askedAt, 7)))).toEqual(['escalation → security: infra-api']);
    expect(auditEvents(store, { action: 'attestation.escalated' }).map((e) => [e.details.level, e.details.to])).toEqual([[4, 'security']]);
  });
});

function teamIdOf(store: SqliteStore, slug: string): number {
  const row = store.db.prepare<[string], { id: number }>('SELECT id FROM teams WHERE slug = ?').get(slug);
  if (!row) throw new Error(`no team ${slug}`);
  return row.id;
}
