import type { AnswerPlan, AnswerState } from '../attestation/decide-answer.js';
import type { ClaimResult, ClaimState } from '../attestation/decide-claim.js';
import type { TickPlan, TickState } from '../attestation/tick-state.js';
import type { Addressee, OutgoingMessage } from '../messages/outgoing-message.js';

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

/** A message waiting in the outbox, as the dispatcher hands it to a chat adapter. */
export interface OutboxMessage {
  readonly id: number;
  readonly addressee: Addressee;
  readonly message: OutgoingMessage;
  readonly attempts: number;
  /** Set when this message re-renders one delivered before: the adapter updates that one in place. */
  readonly replaces: { readonly platform: string; readonly messageId: string; readonly channel: string | null } | null;
}

export type DeliveryResult =
  | { readonly status: 'sent'; readonly platform: string; readonly messageId: string; readonly channel: string | null }
  /** Try again after `afterMs`. A platform's "slow down" (429) is not a failed attempt and does not count toward giving up. */
  | { readonly status: 'retry'; readonly error: string; readonly afterMs: number; readonly countsAsAttempt: boolean }
  | { readonly status: 'failed'; readonly error: string };

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
  /** Messages due for delivery, oldest first. */
  pendingMessages(now: string, limit: number): Promise<readonly OutboxMessage[]>;
  /** Records what happened to one delivery attempt (sent, to retry at a time, or given up). */
  recordDelivery(id: number, result: DeliveryResult, now: string): Promise<void>;
}
