import { describe, expect, it } from 'vitest';
import type { PlannedMessage } from '../../src/messages/outgoing-message.js';
import { routeOutbox } from '../../src/outbox/dispatch-outbox.js';
import type { PlatformReach } from '../../src/ports/chat.js';
import { fixedClock } from '../../src/ports/clock.js';
import { Outbox } from '../../storage/outbox.js';
import { memoryStore } from '../support/import-into-memory.js';
import { auditEvents, deliveries, outbox } from './support/loop-state.js';

/*
 * A decision for the webhook, routed by the real store: to the webhook platform when one is configured, and when
 * none is, nowhere on purpose: settled, never listed as stuck, never routed again, and why kept in the audit trail.
 */

const at = '2026-11-09T09:00:00.000Z';
const later = '2026-11-10T09:00:00.000Z';
const slack: PlatformReach = { platform: 'slack', people: 'anyone', teamChannels: 'named', securityChannel: true };
const webhook: PlatformReach = { platform: 'webhook', people: 'linked', teamChannels: 'none', securityChannel: false, webhook: true };

const decided: PlannedMessage = {
  dedupeKey: 'approval_decision:12',
  addressee: { kind: 'webhook' },
  message: { kind: 'approval_decision', title: 'Rotation approved', text: 'approved', sections: [], actions: [], event: { type: 'approval.decided', id: 'approval-12' } },
  subjects: [],
};

function queued() {
  const store = memoryStore();
  new Outbox(store.db).enqueue(decided, at);
  return store;
}

describe('the outbox routes decisions to the webhook', () => {
  it('when a webhook platform is configured, then the decision gets one delivery, to it', async () => {
    const store = queued();

    expect(await routeOutbox(store, fixedClock(at), [slack, webhook], [])).toEqual({ routed: 1, unroutable: 0 });

    expect(deliveries(store).map((d) => [d.platform, d.status])).toEqual([['webhook', 'pending']]);
    expect(await store.stuckMessages(later, 10)).toEqual([]);
  });

  it('when no webhook is configured, then the decision is settled nowhere: not stuck, not unroutable, and never routed again', async () => {
    const store = queued();

    expect(await routeOutbox(store, fixedClock(at), [slack], [])).toEqual({ routed: 1, unroutable: 0 });
    expect(await routeOutbox(store, fixedClock(later), [slack, webhook], [])).toEqual({ routed: 0, unroutable: 0 });

    expect(deliveries(store)).toEqual([]);
    expect(outbox(store).map((m) => [m.kind, m.platforms, m.lastError])).toEqual([['approval_decision', [], null]]);
    expect(await store.stuckMessages(later, 10)).toEqual([]);
  });

  it('when no webhook is configured, then the audit trail says the decision was not sent, and why', async () => {
    const store = queued();

    await routeOutbox(store, fixedClock(at), [slack], []);

    expect(auditEvents(store, { action: 'outbox.not_sent' }).map((e) => [e.at, e.actor, e.details])).toEqual([
      [at, 'steward:outbox', { message: 1, kind: 'approval_decision', to: 'webhook', note: 'no decision webhook is configured (STEWARD_WEBHOOK_URL): the decision is recorded, not sent' }],
    ]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, brokenAt: null });
  });
});
