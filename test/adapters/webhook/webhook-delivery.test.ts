import { afterEach, describe, expect, it } from 'vitest';
import { webhookChat, webhookReach } from '../../../adapters/webhook/webhook-chat.js';
import type { PlannedMessage } from '../../../src/messages/outgoing-message.js';
import { dispatchOutbox, type DispatchOptions } from '../../../src/outbox/dispatch-outbox.js';
import type { PlatformReach } from '../../../src/ports/chat.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { enqueueMessage } from '../../storage/support/enqueue-message.js';
import { deliveries } from '../../storage/support/loop-state.js';

/*
 * End to end, with nothing faked but time: a decision queued in a real SQLite outbox, the real dispatcher routing
 * and leasing it, the webhook port POSTing it to a local receiver that fails twice before it accepts. The retries
 * follow the outbox's backoff on a clock the test moves; the decision arrives once, signed, and verified.
 */

const secret = 'steward-webhook-secret-0123456789abcdef';
const queuedAt = Date.parse('2026-11-09T09:00:00.000Z');
const slack: PlatformReach = { platform: 'slack', people: 'anyone', teamChannels: 'named', securityChannel: true };
const event = {
  type: 'approval.decided',
  id: 'approval-12',
  request: { id: 12, kind: 'rotation', status: 'approved', item: { kind: 'identity', ref: 'ci-deployer', name: 'CI deployer' }, decidedBy: 'lea@acme.example', reason: 'quarterly' },
  policyVersion: 'p1',
};
const decided: PlannedMessage = {
  dedupeKey: 'approval_decision:12',
  addressee: { kind: 'webhook' },
  message: { kind: 'approval_decision', title: 'Rotation of ci-deployer approved', text: 'Approved by lea@acme.example', sections: [], actions: [], event },
  subjects: [],
};

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('the decision webhook, delivered by the outbox', () => {
  it('when the receiver fails twice, then the decision is retried with the backoff (30 s, then 1 min) and accepted once, signed', async () => {
    let nowMs = queuedAt;
    const clock = { now: () => new Date(nowMs) };
    const at = (seconds: number) => {
      nowMs = queuedAt + seconds * 1000;
    };
    receiver = await startWebhookReceiver({ secret, now: clock.now, failFirst: 2 });
    const store = memoryStore();
    enqueueMessage(store, decided, new Date(queuedAt).toISOString());
    const chat = webhookChat({ settings: { url: receiver.url, secret }, clock });
    const options: DispatchOptions = { owner: 'test:webhook', platforms: [slack, webhookReach], preference: ['slack'], leaseMs: 60_000, maxAttempts: 8 };
    const run = async () => {
      const { routed, sent, retried, failed } = await dispatchOutbox(store, chat, clock, options);
      return { routed, sent, retried, failed };
    };

    expect(await run()).toEqual({ routed: 1, sent: 0, retried: 1, failed: 0 });
    at(29);
    expect(await run()).toEqual({ routed: 0, sent: 0, retried: 0, failed: 0 });
    at(30);
    expect(await run()).toEqual({ routed: 0, sent: 0, retried: 1, failed: 0 });
    at(89);
    expect(await run()).toEqual({ routed: 0, sent: 0, retried: 0, failed: 0 });
    at(90);
    expect(await run()).toEqual({ routed: 0, sent: 1, retried: 0, failed: 0 });
    at(3_600);
    expect(await run()).toEqual({ routed: 0, sent: 0, retried: 0, failed: 0 });

    expect(receiver.requests.map((r) => [r.status, r.headers['steward-signature']?.toString().split(',')[0]])).toEqual([
      [500, `t=${queuedAt / 1000}`],
      [500, `t=${queuedAt / 1000 + 30}`],
      [200, `t=${queuedAt / 1000 + 90}`],
    ]);
    const [accepted, ...more] = receiver.accepted();
    expect(more).toEqual([]);
    expect(accepted?.verification).toEqual({ ok: true, timestamp: queuedAt / 1000 + 90 });
    expect(accepted?.headers['steward-event-id']).toBe('approval-12');
    expect(JSON.parse(accepted?.body ?? '')).toEqual(event);
    expect(deliveries(store).map((d) => [d.platform, d.status, d.attempts, d.platformMessageId])).toEqual([['webhook', 'sent', 3, 'approval-12']]);
    expect(await store.stuckMessages(new Date(nowMs).toISOString(), 10)).toEqual([]);
  });

  it('when the receiver refuses the decision (400), then it is given up at once and listed as stuck with the answer', async () => {
    const clock = { now: () => new Date(queuedAt) };
    receiver = await startWebhookReceiver({ secret, now: clock.now, script: { 1: { status: 400, body: 'unknown event type' } } });
    const store = memoryStore();
    enqueueMessage(store, decided, new Date(queuedAt).toISOString());

    const report = await dispatchOutbox(store, webhookChat({ settings: { url: receiver.url, secret }, clock }), clock, { owner: 'test:webhook', platforms: [webhookReach], preference: [], leaseMs: 60_000 });

    expect(report).toMatchObject({ sent: 0, retried: 0, failed: 1 });
    expect((await store.stuckMessages(new Date(queuedAt + 1).toISOString(), 10)).map((m) => [m.kind, m.platform, m.reason, m.error])).toEqual([
      ['approval_decision', 'webhook', 'refused', 'the decision webhook answered 400: unknown event type'],
    ]);
  });
});
