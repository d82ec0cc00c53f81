import type { OutboxDelivery } from '../../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';
import type { Clock } from '../../src/ports/clock.js';
import type { WebhookSettings } from '../config/environment.js';
import { retryAfterMs } from './retry-after-ms.js';
import { signWebhook, webhookHeaders } from './sign-webhook.js';

export const webhookPlatform = 'webhook';

/** It takes the decisions addressed to it and nothing else: no people (it has no accounts), no channels. */
export const webhookReach: PlatformReach = { platform: webhookPlatform, people: 'linked', teamChannels: 'none', securityChannel: false, webhook: true };

export interface WebhookChatOptions {
  readonly settings: WebhookSettings;
  /** The time each attempt is signed at. */
  readonly clock: Clock;
  /** How long a receiver has to answer, body included: ten seconds by default. */
  readonly timeoutMs?: number;
  /** The least time between two POSTs (the policy's `delivery.paceMs.webhook`); none by default. */
  readonly minIntervalMs?: number;
}

/** What a receiver said, to show with a failure: its first 200 characters on one line, read no further. */
async function excerptOf(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < 800) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short says no more than what came of it.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A failed POST's cause in a few words (fetch says only "fetch failed"; the reason is its cause's code). */
function networkFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

/** A receiver's answer in the outbox's terms. */
async function deliveryOf(response: Response, eventId: string, nowMs: number): Promise<ChatDelivery> {
  const { status } = response;
  if (status >= 200 && status < 300) {
    void response.body?.cancel().catch(() => undefined);
    return { status: 'sent', messageId: eventId, channel: null };
  }
  if (status === 429) {
    void response.body?.cancel().catch(() => undefined);
    return { status: 'rate_limited', retryAfterMs: retryAfterMs(response.headers.get('retry-after'), nowMs) };
  }
  const said = await excerptOf(response);
  const answered = `the decision webhook answered ${status}${said === '' ? '' : `: ${said}`}`;
  if (status === 408 || status >= 500) return { status: 'transient_error', error: answered };
  // A redirect is not followed: the signed decision goes to the URL configured, and nowhere it points to.
  if (status >= 300 && status < 400) return { status: 'permanent_error', reason: 'refused', error: `${answered} (a redirect, not followed: set STEWARD_WEBHOOK_URL to where it leads)` };
  return { status: 'permanent_error', reason: 'refused', error: answered };
}

/**
 * The decision webhook as a chat platform: each decision's event is POSTed as JSON to STEWARD_WEBHOOK_URL, signed
 * afresh at each attempt (`Steward-Signature`, see `signWebhook`) and named by `Steward-Event-Id`, the event's id,
 * which receivers dedupe by. 2xx: sent. 429: its Retry-After. 408, 5xx, the network or no answer in time: tried
 * again with the outbox's backoff. Any other answer, a redirect included: refused, for good. The secret and the
 * body sent are never part of what it returns.
 */
export function webhookChat(options: WebhookChatOptions): ChatPort {
  const { settings, clock } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    platform: webhookPlatform,
    minIntervalMs: options.minIntervalMs ?? 0,
    reach: webhookReach,
    async deliver(delivery: OutboxDelivery): Promise<ChatDelivery> {
      const { event } = delivery.message;
      // Taken before (a decision is never rewritten): there is nothing to update in a POST made.
      if (delivery.delivered !== null) return { status: 'sent', messageId: delivery.delivered.messageId, channel: null };
      if (event === undefined || typeof event.id !== 'string' || event.id === '')
        return { status: 'permanent_error', reason: 'refused', error: `outbox message ${delivery.messageId} (${delivery.message.kind}) carries no event with an id for the decision webhook` };
      const body = JSON.stringify(event);
      const now = clock.now();
      let response: Response;
      try {
        response = await fetch(settings.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Steward-Webhook/1',
            [webhookHeaders.eventId]: event.id,
            [webhookHeaders.signature]: signWebhook({ body, secret: settings.secret, now }),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { status: 'transient_error', error: `the decision webhook could not be reached: ${networkFailure(error, timeoutMs)}` };
      }
      return deliveryOf(response, event.id, now.getTime());
    },
  };
}
