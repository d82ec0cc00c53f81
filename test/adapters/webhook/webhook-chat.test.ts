import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookChat, webhookReach } from '../../../adapters/webhook/webhook-chat.js';
import type { OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../../src/ports/attestation-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { startWebhookReceiver, type ScriptedAnswer, type WebhookReceiver } from '../../support/webhook-receiver.js';

/*
 * The webhook chat port against a real local receiver: what it POSTs (the event as JSON, signed, named by its id),
 * and how each answer maps to the outbox's terms. No fetch is mocked: the network is the boundary.
 */

const secret = 'steward-webhook-secret-0123456789abcdef';
const at = '2026-11-09T09:00:00.000Z';
const event = { type: 'approval.decided', id: 'approval-12', request: { id: 12, kind: 'rotation', status: 'approved' }, policyVersion: 'p1' };

function delivery(overrides: Partial<OutboxDelivery> = {}, message: Partial<OutgoingMessage> = {}): OutboxDelivery {
  return {
    id: 1,
    messageId: 7,
    platform: 'webhook',
    addressee: { kind: 'webhook' },
    message: { kind: 'approval_decision', title: 'Rotation approved', text: 'approved', sections: [], actions: [], event, ...message },
    revision: 1,
    attempts: 0,
    delivered: null,
    inDoubtSince: null,
    ...overrides,
  };
}

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function answering(script: Record<number, ScriptedAnswer> = {}) {
  receiver = await startWebhookReceiver({ secret, now: () => new Date(at), script });
  return { receiver, chat: webhookChat({ settings: { url: receiver.url, secret }, clock: fixedClock(at), timeoutMs: 2_000 }) };
}

describe('webhookChat: what it sends', () => {
  it('when a decision is delivered, then the event is POSTed as JSON with its id and a signature the receiver verifies', async () => {
    const { receiver, chat } = await answering();

    expect(await chat.deliver(delivery())).toEqual({ status: 'sent', messageId: 'approval-12', channel: null });

    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/steward');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['steward-event-id']).toBe('approval-12');
    expect(request?.headers['steward-signature']).toMatch(new RegExp(`^t=${Date.parse(at) / 1000},v1=[0-9a-f]{64}$`));
    expect(JSON.parse(request?.body ?? '')).toEqual(event);
    expect(request?.verification).toEqual({ ok: true, timestamp: Date.parse(at) / 1000 });
  });

  it('when it is sent twice a minute apart, then each attempt is signed at its own time', async () => {
    receiver = await startWebhookReceiver({ secret, now: () => new Date(at), failFirst: 1 });
    const times = ['2026-11-09T08:59:30.000Z', at];
    let attempt = 0;
    const chat = webhookChat({ settings: { url: receiver.url, secret }, clock: { now: () => new Date(times[attempt++] ?? at) } });

    await chat.deliver(delivery());
    await chat.deliver(delivery());

    expect(receiver.requests.map((r) => r.headers['steward-signature']?.toString().slice(0, 12))).toEqual([`t=${Date.parse(times[0] ?? '') / 1000}`, `t=${Date.parse(at) / 1000}`]);
    expect(receiver.accepted()).toHaveLength(1);
  });

  it('when the delivery was made before (an update), then nothing is POSTed again', async () => {
    const { receiver, chat } = await answering();

    expect(await chat.deliver(delivery({ delivered: { messageId: 'approval-12', channel: null } }))).toEqual({ status: 'sent', messageId: 'approval-12', channel: null });
    expect(receiver.requests).toEqual([]);
  });

  it('when the message carries no event, then it is refused for good, and nothing is POSTed', async () => {
    const { receiver, chat } = await answering();

    expect(await chat.deliver(delivery({}, { event: undefined }))).toEqual({ status: 'permanent_error', reason: 'refused', error: 'outbox message 7 (approval_decision) carries no event with an id for the decision webhook' });
    expect(receiver.requests).toEqual([]);
  });

  it('reaches only what is addressed to the webhook', () => {
    expect(webhookReach).toEqual({ platform: 'webhook', people: 'linked', teamChannels: 'none', securityChannel: false, webhook: true });
  });
});

describe('webhookChat: what each answer means', () => {
  it.each<[string, ScriptedAnswer, unknown]>([
    ['204', { status: 204 }, { status: 'sent', messageId: 'approval-12', channel: null }],
    ['429 with Retry-After in seconds', { status: 429, headers: { 'retry-after': '30' } }, { status: 'rate_limited', retryAfterMs: 30_000 }],
    ['429 with Retry-After as an HTTP date', { status: 429, headers: { 'retry-after': 'Mon, 09 Nov 2026 09:02:00 GMT' } }, { status: 'rate_limited', retryAfterMs: 120_000 }],
    ['429 without Retry-After', { status: 429 }, { status: 'rate_limited', retryAfterMs: 1_000 }],
    ['500', { status: 500, body: 'down for maintenance' }, { status: 'transient_error', error: 'the decision webhook answered 500: down for maintenance' }],
    ['503', { status: 503 }, { status: 'transient_error', error: 'the decision webhook answered 503' }],
    ['408', { status: 408 }, { status: 'transient_error', error: 'the decision webhook answered 408' }],
    ['400', { status: 400, body: 'bad\nevent' }, { status: 'permanent_error', reason: 'refused', error: 'the decision webhook answered 400: bad event' }],
    ['401', { status: 401, body: 'bad_signature' }, { status: 'permanent_error', reason: 'refused', error: 'the decision webhook answered 401: bad_signature' }],
    [
      '302 (not followed)',
      { status: 302, headers: { location: 'https://elsewhere.example/' } },
      { status: 'permanent_error', reason: 'refused', error: 'the decision webhook answered 302 (a redirect, not followed: set STEWARD_WEBHOOK_URL to where it leads)' },
    ],
  ])('when the receiver answers %s, then the delivery is as shown', async (_, answer, expected) => {
    const { receiver, chat } = await answering({ 1: answer });

    expect(await chat.deliver(delivery())).toEqual(expected);
    expect(receiver.requests).toHaveLength(1);
  });

  it('when the receiver says a lot, then the failure keeps its first 200 characters only', async () => {
    const { chat } = await answering({ 1: { status: 422, body: 'x'.repeat(100_000) } });

    const result = await chat.deliver(delivery());

    expect(result).toEqual({ status: 'permanent_error', reason: 'refused', error: `the decision webhook answered 422: ${'x'.repeat(200)}…` });
  });

  it('when nothing listens, then it is a passing failure, tried again', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const chat = webhookChat({ settings: { url: `http://127.0.0.1:${port}/hooks`, secret }, clock: fixedClock(at) });

    expect(await chat.deliver(delivery())).toEqual({ status: 'transient_error', error: 'the decision webhook could not be reached: ECONNREFUSED' });
  });

  it('when the receiver does not answer in time, then it is a passing failure, tried again', async () => {
    receiver = await startWebhookReceiver({ secret, now: () => new Date(at), script: { 1: { status: 200, delayMs: 5_000 } } });
    const chat = webhookChat({ settings: { url: receiver.url, secret }, clock: fixedClock(at), timeoutMs: 100 });

    expect(await chat.deliver(delivery())).toEqual({ status: 'transient_error', error: 'the decision webhook could not be reached: no answer within 0.1 s' });
  });

  it('when any answer comes back, then the secret is nowhere in it', async () => {
    const { chat } = await answering({ 1: { status: 400, body: 'nope' }, 2: { status: 500 }, 3: { status: 429 } });

    const results = [await chat.deliver(delivery()), await chat.deliver(delivery()), await chat.deliver(delivery())];

    expect(JSON.stringify(results)).not.toContain(secret);
  });
});
