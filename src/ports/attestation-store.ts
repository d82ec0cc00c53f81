import type { AnswerPlan, AnswerState } from '../attestation/decide-answer.js';
import type { ClaimResult, ClaimState } from '../attestation/decide-claim.js';
import type { TickPlan, TickState } from '../attestation/tick-state.js';
import type { Addressee, OutgoingMessage } from '../messages/outgoing-message.js';
import type { FailureReason, PlatformReach } from './chat.js';

/*
 * The attestation loop's part of the store port. Each method is one transaction: the store loads what is due,
 * calls the core's pure `decide` synchronously inside the transaction, and writes the decisions, their audit
 * events and the messages they cause together, so a crash can never leave a decision without its message.
 */

export interface TickRequest {
  readonly now: string;
  readonly policyVersion: string;
  /** At most this many items and attestations per transaction; a larger backlog is taken over several. */
  readonly limit: number;
  /** False for `tick --dry-run`: decide, report, write nothing. */
  readonly apply: boolean;
  decide(state: TickState): TickPlan;
}

export interface TickOutcome {
  readonly plan: TickPlan;
  /** Messages newly queued (a message already queued under the same key is not queued again). */
  readonly queued: number;
  /** True when the limit cut the batch and more is due at this time. */
  readonly more: boolean;
  /**
   * Set when `now` is earlier than the latest time the database has recorded (this value): time does not go
   * back, so nothing was decided or written. Dry runs are not refused: they write nothing.
   */
  readonly notBefore?: string;
}

export interface AnswerRequest {
  readonly now: string;
  readonly actor: ActorKey;
  readonly attestationIds: readonly number[];
  /**
   * Set when the answer raises an approval request (Decommission, Not mine with a suggested owner, Update of
   * scopes): the store reads, for each attestation's item, what deciding the request needs (`requestStates`).
   */
  readonly raises?: { readonly proposedEmail: string | null; readonly adminEmails: readonly string[]; readonly policyVersion: string };
  decide(state: AnswerState): AnswerPlan;
}

export interface ClaimRequest {
  readonly now: string;
  readonly actor: ActorKey;
  readonly itemId: number;
  decide(state: ClaimState): ClaimResult;
}

/** A chat platform's name as the store and the outbox know it: `slack`, `teams`, `console`. */
export type Platform = string;

/** A chat account: the platform and the platform's own id for the person (a Slack user id, an Entra object id). */
export interface ChatAccountKey {
  readonly platform: Platform;
  readonly accountId: string;
}

/** How an adapter names the person acting: by email (console, CLI) or by their chat account. */
export type ActorKey = { readonly email: string } | ChatAccountKey;

/** The actor as the audit trail names it: the email, or `platform:account`. */
export function actorLabel(key: ActorKey): string {
  return 'email' in key ? key.email : `${key.platform}:${key.accountId}`;
}

/**
 * One delivery of an outbox message to one platform, as a dispatcher holds it under its lease: the message as it
 * stands now (its latest revision), and, when the platform delivered it before, where — the delivery then
 * updates that message in place (a resolved item loses its buttons) instead of posting a new one.
 */
export interface OutboxDelivery {
  readonly id: number;
  readonly messageId: number;
  readonly platform: Platform;
  readonly addressee: Addressee;
  readonly message: OutgoingMessage;
  readonly revision: number;
  readonly attempts: number;
  readonly delivered: { readonly messageId: string; readonly channel: string | null } | null;
  /**
   * Set when another dispatcher held this delivery and its lease ran out with nothing recorded (its process died):
   * it may have reached the platform since this time. A platform that can look (Slack: the channel's history, by
   * the delivery id posted with each message) checks before posting again, so the message is not sent twice.
   */
  readonly inDoubtSince: string | null;
}

/** A delivery's message as it stands now (its latest revision), and where the platform posted it (null: not yet). */
export interface DeliveryView {
  readonly platform: Platform;
  readonly message: OutgoingMessage;
  readonly channel: string | null;
}

export type DeliveryResult =
  | { readonly status: 'sent'; readonly messageId: string; readonly channel: string | null }
  /** Try again after `afterMs`. A platform's "slow down" (429), or a lease handed back unused, is not a failed attempt. */
  | { readonly status: 'retry'; readonly error: string; readonly afterMs: number; readonly countsAsAttempt: boolean }
  | { readonly status: 'failed'; readonly reason: FailureReason; readonly error: string };

export interface RouteRequest {
  readonly now: string;
  /** The platforms this process delivers to, and whom each can reach. */
  readonly platforms: readonly PlatformReach[];
  /** At most this many messages routed per call. */
  readonly limit: number;
  /** The core's routing decision for one message, given who its addressee has accounts with. */
  route(message: Unrouted): RouteDecision;
}

/** A message nobody has routed yet, with what routing needs to know. */
export interface Unrouted {
  readonly messageId: number;
  readonly addressee: Addressee;
  /** The platforms the addressee (a person) has an account on; empty for channels. */
  readonly accounts: readonly Platform[];
  /** Platforms a delivery of this message already failed on for want of the person (`unreachable`). */
  readonly unreachableOn: readonly Platform[];
  /** The platforms where a channel is bound to its addressee (a team's channel, the security channel); empty for people. */
  readonly boundOn: readonly Platform[];
}

/**
 * Where a message goes: these platforms, or nowhere, and why. `unreachable`: a person every platform that could
 * take them has failed to reach, which makes what the message asked about climb its escalation ladder at once.
 * No platforms is nowhere on purpose (a decision when no decision webhook is configured): the message is settled,
 * not stuck and not routed again, and its `note` (why) is recorded in the audit trail.
 */
export type RouteDecision =
  | { readonly platforms: readonly Platform[]; readonly note?: string }
  | { readonly problem: string; readonly unreachable: boolean };

export interface LeaseRequest {
  readonly now: string;
  readonly platform: Platform;
  /** Who takes the deliveries (a process: `host:pid:platform`); only it may record their outcome. */
  readonly owner: string;
  /** How long the deliveries are this owner's; a dispatcher that dies leaves them to be taken over after it. */
  readonly leaseMs: number;
  readonly limit: number;
}

/** Outbox messages no platform could deliver: never routed, routed nowhere, or given up. */
export interface StuckMessage {
  readonly messageId: number;
  readonly createdAt: string;
  readonly kind: string;
  readonly addressee: Addressee;
  readonly platform: Platform | null;
  readonly reason: FailureReason | 'unrouted' | 'no_platform';
  readonly error: string | null;
}

export interface AttestationStore {
  runTick(request: TickRequest): Promise<TickOutcome>;
  /**
   * The latest time the database has recorded: its last tick, or its last audit event (an answer, an import).
   * A tick may not run before it; null for a database with no record yet.
   */
  latestRecordedAt(): Promise<string | null>;
  answerAttestations(request: AnswerRequest): Promise<AnswerPlan>;
  claimItem(request: ClaimRequest & { readonly team: string | null }): Promise<ClaimResult>;
  /** The open attestation of an item, for `steward attest <ref>`, or when it is next due. */
  openAttestationOf(kind: 'api' | 'identity', ref: string): Promise<{ readonly id: number } | { readonly id: null; readonly nextAt: string | null }>;
  /**
   * Routes messages queued since the last call: one delivery per platform that can take each (`route` decides),
   * or the problem recorded when none can. Idempotent across processes: a message is routed once. A message no
   * platform could take waits, its problem shown as stuck, and is offered to `route` again later (after a minute,
   * then at longer intervals up to an hour, and at once when a channel is bound to its addressee): a channel may be
   * bound, a person linked or a platform configured since. A person nobody could reach (`unreachable`) is final.
   * `unroutable` counts the messages found unroutable for the first time.
   */
  routeMessages(request: RouteRequest): Promise<{ readonly routed: number; readonly unroutable: number }>;
  /**
   * Takes up to `limit` deliveries due on a platform, oldest first, under a lease held in the database: another
   * dispatcher (another process) does not take them until the lease runs out.
   */
  claimDeliveries(request: LeaseRequest): Promise<readonly OutboxDelivery[]>;
  /**
   * Renews the owner's lease on one delivery just before it is sent (to `now + leaseMs`), or says it is no longer
   * theirs: taken over by another dispatcher while it waited in a long batch, or already recorded. A dispatcher
   * sends only what it still holds, so a delivery is never sent by two.
   */
  renewLease(deliveryId: number, owner: string, now: string, leaseMs: number): Promise<boolean>;
  /**
   * Records what happened to a delivery the owner holds: sent (its message id kept for updates), to retry, or
   * failed for a reason. A delivery whose lease passed to another owner is not touched. A person who cannot be
   * reached anywhere makes the attestations the message asked about climb their ladder at once.
   */
  recordDelivery(deliveryId: number, owner: string, result: DeliveryResult, now: string): Promise<void>;
  /**
   * One delivery's message as it stands now, for a platform that answers a click with the message it was on (Teams
   * answers Action.Execute with the card); null for an id that is none.
   */
  deliveryView(deliveryId: number): Promise<DeliveryView | null>;
  /** Messages no platform could deliver (`steward outbox --stuck`), oldest first: unrouted after `unroutedBefore`, or given up. */
  stuckMessages(unroutedBefore: string, limit: number): Promise<readonly StuckMessage[]>;
}
