import type { Exposure, IdentityKind, IdentityStatus, ItemKind, Lifecycle, Sensitivity } from '../model/vocabulary.js';
import type { PlannedMessage } from '../messages/outgoing-message.js';

/*
 * What the tick decides from: only what is due at `now` (the store finds it through indexes on due times),
 * never the whole inventory.
 */

export interface TickPerson {
  readonly id: number;
  readonly email: string;
  readonly displayName: string | null;
  /** False when the person is marked inactive or has vanished from the source that declared them. */
  readonly active: boolean;
}

export interface TickTeam {
  readonly id: number;
  readonly slug: string;
  readonly channel: string | null;
  readonly lead: TickPerson | null;
}

export interface TickOwner {
  readonly team: TickTeam | null;
  readonly accountable: TickPerson | null;
  readonly backup: TickPerson | null;
}

/** The facts an owner is asked to confirm: purpose, scopes, expiry, recovery or revocation, links, last use. */
export interface AttestedFacts {
  readonly purpose: string | null;
  readonly scopes?: readonly string[];
  readonly expiresAt?: string | null;
  readonly recoveryProcedure?: string | null;
  readonly revocationPath?: string | null;
  readonly sensitivity?: Sensitivity | null;
  readonly exposure?: Exposure | null;
  readonly lastUsedAt?: string | null;
  readonly linked: readonly string[];
}

export interface TickItem {
  readonly id: number;
  readonly kind: ItemKind;
  readonly ref: string;
  readonly name: string;
  readonly sensitivity: Sensitivity | null;
  readonly exposure: Exposure | null;
  readonly lifecycle: Lifecycle | null;
  readonly identityKind: IdentityKind | null;
  readonly status: IdentityStatus | null;
  readonly scopes: readonly string[];
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly facts: AttestedFacts;
  readonly owner: TickOwner;
  readonly firstSeenAt: string;
  /** When the current owner took over: a queue entry older than this was about an earlier owner. */
  readonly ownedSince: string | null;
  readonly vanished: boolean;
  readonly nextAttestationAt: string | null;
  /** The open attestation, if any (at most one per item), and whom it asks. */
  readonly openAttestationId: number | null;
  readonly openAttestationPersonId: number | null;
  /** The item's entry in a queue awaiting an owner, if any. */
  readonly openQueue: OpenQueueEntry | null;
  /** Expiry warnings already sent for the current expiry date (days before expiry). */
  readonly warnedOffsets: readonly number[];
  readonly flags: readonly FlagCode[];
}

export interface OpenQueueEntry {
  readonly queue: 'security' | 'team';
  readonly reason: QueueReason;
  readonly queuedAt: string;
}

export type QueueReason = 'unowned' | 'no_accountable_person' | 'owner_left' | 'disputed' | 'attestation_expired';
export type FlagCode = 'past_lifetime' | 'stale';

/** What an attestation needs of its item: who owns it, what to show, and its risk for the next cadence. */
export type TickAttestedItem = Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts' | 'owner' | 'sensitivity' | 'exposure' | 'identityKind' | 'scopes' | 'createdAt' | 'expiresAt'>;

/** An open attestation whose next step (reminder, escalation, expiry) is due. */
export interface TickAttestation {
  readonly id: number;
  readonly item: TickAttestedItem;
  readonly person: TickPerson | null;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly remindersSent: number;
  readonly escalationLevel: number;
  /** The ladder level at which its addressee could not be reached on any platform (see `LadderPosition`), or null. */
  readonly unreachableAtLevel: number | null;
}

/** A person who left (inactive or vanished) whose items have not been re-routed yet. */
export interface TickLeaver {
  readonly person: TickPerson;
  readonly items: ReadonlyArray<Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'facts' | 'owner' | 'openAttestationId'>>;
}

export interface TickState {
  readonly now: string;
  readonly policyVersion: string;
  readonly items: readonly TickItem[];
  readonly attestations: readonly TickAttestation[];
  readonly leavers: readonly TickLeaver[];
  /**
   * The teams, among those this state names, that have a channel bound to them on some platform (`here team <slug>`
   * in Teams): such a team has a channel even when its inventory entry names none. Kept beside the teams, not on
   * `TickTeam`, which is also the shape the messages show.
   */
  readonly teamsWithBoundChannel: readonly number[];
  /** The id the next attestation opened will get, so messages can name it before it is written. */
  readonly nextAttestationId: number;
}

export type TickDecision =
  | { readonly type: 'open_attestation'; readonly id: number; readonly itemId: number; readonly ref: string; readonly personId: number; readonly person: string; readonly reason: 'scheduled' | 'owner_left'; readonly dueAt: string; readonly nextActionAt: string | null; readonly facts: AttestedFacts }
  | { readonly type: 'remind'; readonly attestationId: number; readonly itemId: number; readonly ref: string; readonly person: string | null; readonly remindersSent: number; readonly nextActionAt: string | null }
  /** `target` is the addressee's key (`person:4`, `team:2`, `security`); `to` names it (an email, a channel). */
  | { readonly type: 'escalate'; readonly attestationId: number; readonly itemId: number; readonly ref: string; readonly level: number; readonly target: string; readonly to: string; readonly nextActionAt: string | null }
  | { readonly type: 'expire'; readonly attestationId: number; readonly itemId: number; readonly ref: string; readonly person: string | null; readonly nextAttestationAt: string }
  | { readonly type: 'supersede'; readonly attestationId: number; readonly itemId: number; readonly ref: string; readonly why: string }
  | { readonly type: 'queue'; readonly itemId: number; readonly ref: string; readonly queue: 'security' | 'team'; readonly reason: QueueReason; readonly detail: string | null }
  | { readonly type: 'dequeue'; readonly itemId: number; readonly ref: string; readonly why: string }
  | { readonly type: 'warn_expiry'; readonly itemId: number; readonly ref: string; readonly expiresAt: string; readonly offsetDays: number; readonly person: string | null }
  | { readonly type: 'reschedule_attestation'; readonly attestationId: number; readonly ref: string; readonly nextActionAt: string | null }
  | { readonly type: 'flag'; readonly itemId: number; readonly ref: string; readonly code: FlagCode; readonly detail: string }
  | { readonly type: 'unflag'; readonly itemId: number; readonly ref: string; readonly code: FlagCode }
  | { readonly type: 'reassign'; readonly itemId: number; readonly ref: string; readonly from: string; readonly toPersonId: number; readonly to: string }
  | { readonly type: 'leaver_handled'; readonly personId: number; readonly person: string; readonly items: number }
  /** When the item is next asked about (`undefined`: unchanged) and next looked at by the tick (null: never). */
  | { readonly type: 'schedule'; readonly itemId: number; readonly ref: string; readonly nextAttestationAt?: string | null; readonly nextCheckAt: string | null };

export interface TickPlan {
  readonly decisions: readonly TickDecision[];
  readonly messages: readonly PlannedMessage[];
}
