import { randomBytes } from 'node:crypto';
import { dispatchOutbox } from '../../src/outbox/dispatch-outbox.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import type { Logger } from '../logging/logger.js';

export interface OutboxPumpOptions {
  readonly store: Store;
  readonly chat: ChatPort;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Who holds this pump's leases (`host:pid:platform`): unique per process and platform. */
  readonly owner: string;
  /** Every platform this process delivers to, for routing new messages (this pump delivers only its own). */
  readonly platforms: readonly PlatformReach[];
  /** The policy's `delivery` settings: platform preference, lease length, attempts. */
  readonly delivery: Policy['delivery'];
  /** How often to look for messages due (retries, backoffs) when nothing kicks the pump. */
  readonly pollMs?: number;
  /** Messages per dispatcher run. */
  readonly batchSize?: number;
  /**
   * Why the platform takes no more messages from us (Slack revoked the bot token, the app was uninstalled), or
   * null while it does: once set, delivery stops for good, and the messages wait in the outbox for a restart.
   */
  readonly halted?: () => string | null;
}

export interface OutboxPump {
  /** Something was queued (a tick, an answer): deliver it now, unless the platform asked us to wait. */
  kick(): void;
  /** Resolves once nothing due is left to send, or the platform has throttled us (for tests and the bench). */
  idle(): Promise<void>;
  /** Stops after the delivery in progress; what is left stays in the outbox for the next start. */
  stop(): Promise<void>;
}

/**
 * Keeps the outbox flowing to a chat platform: runs the dispatcher whenever something is queued (kicked) and
 * every `pollMs` for retries, back to back while a batch comes back full, and waits out a platform's
 * Retry-After before trying again (a kick does not cut that wait short). This is the delivery job's error
 * boundary: a failed run is logged with a reference, and the pump carries on at its next round. When the
 * platform halts (Slack no longer takes the bot token), the pump ends: nothing more is sent, nothing is spent.
 */
export function startOutboxPump(options: OutboxPumpOptions): OutboxPump {
  const { logger } = options;
  const pollMs = options.pollMs ?? 30_000;
  const batchSize = options.batchSize ?? 50;
  let stopping = false;
  /** Set once the loop has ended: stopped, or the platform halted delivery. */
  let ended = false;
  let kicked = false;
  let wake: (() => void) | null = null;
  /** Runs started so far; a waiter is settled by the end of a run that started after it asked. */
  let runs = 0;
  let idleWaiters: Array<{ readonly after: number; readonly resolve: () => void }> = [];

  const halted = () => options.halted?.() ?? null;
  // Stopping (or a halt) ends the batch in progress at the next message: the rest is handed back as "not now" (no
  // attempt counted) and waits in the outbox, so shutdown never waits out a whole batch of paced deliveries.
  const chat: ChatPort = {
    platform: options.chat.platform,
    minIntervalMs: options.chat.minIntervalMs,
    reach: options.chat.reach,
    deliver: (message): Promise<ChatDelivery> => (stopping || halted() !== null ? Promise.resolve({ status: 'rate_limited', retryAfterMs: 0 }) : options.chat.deliver(message)),
  };
  const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, stopping ? 0 : ms));

  const sleep = (ms: number, kickable: boolean) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = kickable ? done : () => (stopping ? done() : undefined);
    });

  const settleIdle = (all = false) => {
    const ready = idleWaiters.filter((w) => all || w.after < runs);
    idleWaiters = idleWaiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve();
  };

  const loop = (async () => {
    while (!stopping) {
      const reason = halted();
      if (reason !== null) {
        logger.warn({ platform: chat.platform, reason }, 'outbox delivery stopped: the messages wait in the outbox for the next start');
        break;
      }
      kicked = false;
      runs += 1;
      let waitMs = pollMs;
      let kickable = true;
      try {
        const report = await dispatchOutbox(options.store, chat, options.clock, {
          owner: options.owner,
          platforms: options.platforms,
          preference: options.delivery.preferPlatforms,
          leaseMs: options.delivery.leaseSeconds * 1000,
          maxAttempts: options.delivery.maxAttempts,
          batchSize,
          pause,
        });
        const handled = report.sent + report.retried + report.failed;
        if (report.failed > 0) logger.warn({ failed: report.failed, platform: chat.platform }, 'deliveries given up: `steward outbox --stuck` lists them with the reason');
        if (report.unroutable > 0) logger.warn({ unroutable: report.unroutable }, 'messages no configured platform can deliver: `steward outbox --stuck` lists them');
        if (report.throttled) {
          waitMs = report.retryAfterMs ?? 1_000;
          kickable = false;
          logger.info({ retryAfterMs: waitMs, sent: report.sent, platform: chat.platform }, 'the chat platform asked us to slow down; waiting as long as it said');
        } else if (handled >= batchSize) waitMs = 0;
        if (waitMs > 0) settleIdle();
      } catch (error) {
        const reference = randomBytes(4).toString('hex');
        logger.error({ err: error, reference }, 'delivering the outbox failed; the pump carries on');
        settleIdle();
      }
      if (stopping) break;
      if (kicked && kickable) continue;
      if (waitMs > 0) await sleep(waitMs, kickable);
    }
    ended = true;
    settleIdle(true);
  })();

  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    idle: () =>
      new Promise<void>((resolve) => {
        if (stopping || ended) return resolve();
        idleWaiters.push({ after: runs, resolve });
        kicked = true;
        wake?.();
      }),
    stop: async () => {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
