import type { Clock } from '../ports/clock.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../ports/chat.js';
import type { DeliveryResult, OutboxDelivery, Platform } from '../ports/attestation-store.js';
import type { Store } from '../ports/store.js';
import { routeMessage } from './route-message.js';

export interface DispatchOptions {
  /** Who this dispatcher is (`host:pid:platform`): the owner of the leases it takes. */
  readonly owner: string;
  /** Every platform this process delivers to (routing sends each message where it can go, not only here). */
  readonly platforms: readonly PlatformReach[];
  /** The policy's order of preference for a person with accounts on several platforms. */
  readonly preference: readonly Platform[];
  /** How long a claimed delivery stays this dispatcher's (longer than the slowest delivery). */
  readonly leaseMs: number;
  /** Deliveries claimed per run. */
  readonly batchSize?: number;
  /** Attempts before a delivery is given up (`gave_up`). */
  readonly maxAttempts?: number;
  /** Waits between deliveries (the platform's rate limit); a timer by default. Injected so tests never sleep. */
  readonly pause?: (ms: number) => Promise<void>;
}

export interface DispatchReport {
  readonly routed: number;
  readonly unroutable: number;
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

/** Routes what was queued since the last run to the platforms that can take it (see `routeMessage`). */
export async function routeOutbox(store: Store, clock: Clock, platforms: readonly PlatformReach[], preference: readonly Platform[], limit = 500) {
  return store.routeMessages({ now: clock.now().toISOString(), platforms, limit, route: (message) => routeMessage(message, platforms, preference) });
}

/** What one platform's answer means for the delivery: sent, try again (and when), or give it up and why. */
function resultOf(delivery: ChatDelivery, held: OutboxDelivery, maxAttempts: number): DeliveryResult {
  switch (delivery.status) {
    case 'sent':
      return { status: 'sent', messageId: delivery.messageId, channel: delivery.channel };
    case 'rate_limited':
      return { status: 'retry', error: 'rate limited', afterMs: delivery.retryAfterMs, countsAsAttempt: false };
    case 'transient_error':
      return held.attempts + 1 < maxAttempts
        ? { status: 'retry', error: delivery.error, afterMs: backoffMs(held.attempts), countsAsAttempt: true }
        : { status: 'failed', reason: 'gave_up', error: delivery.error };
    case 'permanent_error':
      return { status: 'failed', reason: delivery.reason, error: delivery.error };
  }
}

/**
 * One dispatcher run for one platform: routes what is new, then claims a batch of this platform's due deliveries
 * under a lease in the database (so another process never sends them too) and delivers them oldest first,
 * recording each result as it comes: a crash part-way leaves the delivered ones marked sent and the rest to be
 * taken over when their lease runs out, so each is sent once. Honours Retry-After: a throttled platform ends the
 * run, and what was claimed and not tried is handed back to wait as long as asked, without spending an attempt.
 */
export async function dispatchOutbox(store: Store, chat: ChatPort, clock: Clock, options: DispatchOptions): Promise<DispatchReport> {
  const maxAttempts = options.maxAttempts ?? 8;
  const pause = options.pause ?? sleep;
  const { routed, unroutable } = await routeOutbox(store, clock, options.platforms, options.preference);
  const held = await store.claimDeliveries({ now: clock.now().toISOString(), platform: chat.platform, owner: options.owner, leaseMs: options.leaseMs, limit: options.batchSize ?? 50 });
  const counts = { sent: 0, retried: 0, failed: 0 };
  for (const [i, delivery] of held.entries()) {
    if (i > 0 && chat.minIntervalMs > 0) await pause(chat.minIntervalMs);
    // Waiting its turn in the batch, its lease may have run out and another dispatcher taken it over: send only
    // what is still ours, for a lease long enough to cover this one call.
    if (!(await store.renewLease(delivery.id, options.owner, clock.now().toISOString(), options.leaseMs))) continue;
    let answer: ChatDelivery;
    try {
      answer = await chat.deliver(delivery);
    } catch (error) {
      // An adapter that throws (a network error its SDK did not catch) is a transient failure: counted and
      // backed off, so a delivery that always throws is given up in the end instead of blocking the queue.
      answer = { status: 'transient_error', error: error instanceof Error ? error.message : String(error) };
    }
    const result = resultOf(answer, delivery, maxAttempts);
    await store.recordDelivery(delivery.id, options.owner, result, clock.now().toISOString());
    if (result.status === 'sent') counts.sent += 1;
    else if (result.status === 'retry') counts.retried += 1;
    else counts.failed += 1;
    if (answer.status === 'rate_limited') {
      const rest = held.slice(i + 1);
      const handBack: DeliveryResult = { status: 'retry', error: 'rate limited', afterMs: answer.retryAfterMs, countsAsAttempt: false };
      for (const untried of rest) await store.recordDelivery(untried.id, options.owner, handBack, clock.now().toISOString());
      return { routed, unroutable, ...counts, throttled: true, retryAfterMs: answer.retryAfterMs };
    }
  }
  return { routed, unroutable, ...counts, throttled: false, retryAfterMs: null };
}
