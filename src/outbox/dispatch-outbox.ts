import type { Clock } from '../ports/clock.js';
import type { ChatPort } from '../ports/chat.js';
import type { DeliveryResult } from '../ports/attestation-store.js';
import type { Store } from '../ports/store.js';

export interface DispatchOptions {
  /** Messages taken per run. */
  readonly batchSize?: number;
  /** Attempts before a message is given up as failed. */
  readonly maxAttempts?: number;
  /** Waits between deliveries (the platform's rate limit); a timer by default. Injected so tests never sleep. */
  readonly pause?: (ms: number) => Promise<void>;
}

export interface DispatchReport {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
  /** True when the platform throttled us: the rest of the batch waits for the next run. */
  readonly throttled: boolean;
  /** The platform's Retry-After when it throttled us: the caller should not dispatch again before it passes. */
  readonly retryAfterMs: number | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff for transient failures: 30 s, 1 min, 2 min … capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts));
}

/**
 * Delivers due outbox messages through the chat port, oldest first, recording each result as it comes: a
 * crash part-way leaves the delivered ones marked sent and the rest pending, so a restart sends each exactly
 * once. Honours Retry-After: a throttled platform stops this run, and the message waits as long as asked.
 */
export async function dispatchOutbox(store: Store, chat: ChatPort, clock: Clock, options: DispatchOptions = {}): Promise<DispatchReport> {
  const maxAttempts = options.maxAttempts ?? 8;
  const pause = options.pause ?? sleep;
  const pending = await store.pendingMessages(clock.now().toISOString(), options.batchSize ?? 100);
  let sent = 0;
  let retried = 0;
  let failed = 0;
  for (const [i, message] of pending.entries()) {
    if (i > 0 && chat.minIntervalMs > 0) await pause(chat.minIntervalMs);
    let delivery;
    try {
      delivery = await chat.deliver(message);
    } catch (error) {
      // An adapter that throws (a network error its SDK did not catch) is a transient failure: counted and
      // backed off, so a message that always throws is given up in the end instead of blocking the queue.
      delivery = { status: 'transient_error' as const, error: error instanceof Error ? error.message : String(error) };
    }
    const now = clock.now().toISOString();
    let result: DeliveryResult;
    if (delivery.status === 'sent') result = { status: 'sent', platform: chat.platform, messageId: delivery.messageId, channel: delivery.channel };
    else if (delivery.status === 'rate_limited') result = { status: 'retry', error: 'rate limited', afterMs: delivery.retryAfterMs, countsAsAttempt: false };
    else if (delivery.status === 'transient_error' && message.attempts + 1 < maxAttempts) result = { status: 'retry', error: delivery.error, afterMs: backoffMs(message.attempts), countsAsAttempt: true };
    else result = { status: 'failed', error: delivery.error };
    await store.recordDelivery(message.id, result, now);
    if (result.status === 'sent') sent += 1;
    else if (result.status === 'retry') retried += 1;
    else failed += 1;
    if (delivery.status === 'rate_limited') return { sent, retried, failed, throttled: true, retryAfterMs: delivery.retryAfterMs };
  }
  return { sent, retried, failed, throttled: false, retryAfterMs: null };
}
