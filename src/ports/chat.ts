import type { OutboxDelivery, Platform } from './attestation-store.js';

/**
 * Why a delivery will never succeed, as the core acts on it: a person nobody can reach climbs the escalation
 * ladder at once; the others are kept with the delivery and shown by `steward outbox --stuck`.
 * - `unreachable`: no such person on the platform, or their account is disabled; no DM can be opened.
 * - `not_in_channel`: the channel is not there, archived, or Steward was never invited to it.
 * - `gone`: the message to update was deleted, or is too old to edit.
 * - `no_destination`: nothing says where it goes (a team with no channel, no security channel configured).
 * - `refused`: the platform refused the message itself (too long, malformed): a bug of ours, logged.
 * - `gave_up`: it kept failing for passing reasons (network, 5xx) until the attempts ran out.
 */
export type FailureReason = 'unreachable' | 'not_in_channel' | 'gone' | 'no_destination' | 'refused' | 'gave_up';

/** What a chat platform answered to one delivery. */
export type ChatDelivery =
  | { readonly status: 'sent'; readonly messageId: string; readonly channel: string | null }
  /** The platform asked us to slow down (HTTP 429); `retryAfterMs` is its Retry-After. */
  | { readonly status: 'rate_limited'; readonly retryAfterMs: number }
  /** A failure worth trying again (network, 5xx). */
  | { readonly status: 'transient_error'; readonly error: string }
  /** A failure that will not pass: give this delivery up, for this reason. */
  | { readonly status: 'permanent_error'; readonly reason: FailureReason; readonly error: string };

/**
 * Whom a platform can take messages for, so the outbox routes each message only where it can be delivered.
 * - `people`: `anyone` when it finds a person by email itself (Slack's users.lookupByEmail) or shows everything
 *   (the console); `linked` when it reaches only people already linked to an account there.
 * - `teamChannels`: `named` when it posts to the channel the inventory names for a team (`#payments`); `all` when
 *   every team's channel is shown (the console); `bound` when it posts to the channel someone bound to the team on
 *   it (`here team <slug>` in Teams), and only once one is; `none` when it has no team channels.
 * - `securityChannel`: whether it has a security channel (its own setting, or the policy's); `bound` when it is the
 *   channel someone bound on it (`here security`), and only once one is.
 * - `webhook`: true for the decision webhook alone, which takes the messages addressed to it (decisions as JSON)
 *   and nothing else; a chat platform never takes those (absent means false).
 */
export interface PlatformReach {
  readonly platform: Platform;
  readonly people: 'anyone' | 'linked';
  readonly teamChannels: 'named' | 'all' | 'bound' | 'none';
  readonly securityChannel: boolean | 'bound';
  readonly webhook?: boolean;
}

/**
 * The chat port: how the core's messages reach people. Each adapter (Slack, Teams, the console) renders the
 * platform-neutral message and posts it, or, for a delivery it made before (`delivery.delivered`), updates that
 * message in place.
 */
export interface ChatPort {
  readonly platform: Platform;
  /** The least time between two deliveries, the platform's own rate limit (Slack: about one a second per channel). */
  readonly minIntervalMs: number;
  readonly reach: PlatformReach;
  deliver(delivery: OutboxDelivery): Promise<ChatDelivery>;
}
