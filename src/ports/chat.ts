import type { OutboxMessage } from './attestation-store.js';

/** What a chat platform answered to one delivery. */
export type ChatDelivery =
  | { readonly status: 'sent'; readonly messageId: string; readonly channel: string | null }
  /** The platform asked us to slow down (HTTP 429); `retryAfterMs` is its Retry-After. */
  | { readonly status: 'rate_limited'; readonly retryAfterMs: number }
  /** A failure worth trying again (network, 5xx). */
  | { readonly status: 'transient_error'; readonly error: string }
  /** A failure that will not pass (unknown user, channel not found): give up on this message. */
  | { readonly status: 'permanent_error'; readonly error: string };

/**
 * The chat port: how the core's messages reach people. Each adapter (Slack, Teams, the console) renders the
 * platform-neutral message and posts it, or updates the earlier one it replaces.
 */
export interface ChatPort {
  readonly platform: string;
  /** The least time between two deliveries, the platform's own rate limit (Slack: about one a second per channel). */
  readonly minIntervalMs: number;
  deliver(message: OutboxMessage): Promise<ChatDelivery>;
}
