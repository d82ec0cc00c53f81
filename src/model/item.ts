import type { EdgeRelation, Exposure, IdentityKind, IdentityStatus, ItemKind, Lifecycle, Sensitivity } from './vocabulary.js';

/** A person as shown on an item: the email is the join key across every source. */
export interface PersonSummary {
  readonly email: string;
  readonly displayName: string | null;
  /** False when the person's source marks them inactive, or no longer lists them (they have left). */
  readonly active: boolean;
}

export interface TeamSummary {
  readonly slug: string;
  readonly name: string;
  readonly lead: PersonSummary | null;
  readonly channel: string | null;
}

/**
 * The current owner of an item: the operational owner of an API, the lifecycle owner of an identity.
 * `team` without `accountable` is the first-class "team-owned, no accountable person" state, chased later.
 */
export interface Ownership {
  readonly team: TeamSummary | null;
  readonly accountable: PersonSummary | null;
  readonly backup: PersonSummary | null;
  /** The approver named on the item; when null, policy may default to the team lead (see `effectiveApprover`). */
  readonly approver: PersonSummary | null;
  readonly since: string | null;
}

export interface Provenance {
  readonly source: string;
  readonly sourceKey: string;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  /** Set when the item no longer appears in the source it came from. Vanished items are flagged, never deleted. */
  readonly vanishedAt: string | null;
}

export interface ApiFacts {
  readonly sensitivity: Sensitivity | null;
  readonly exposure: Exposure | null;
  readonly authMethod: string | null;
  readonly revocationPath: string | null;
  readonly lifecycle: Lifecycle | null;
  readonly system: string | null;
  readonly codePath: string | null;
}

export interface IdentityFacts {
  readonly identityKind: IdentityKind;
  readonly provider: string;
  readonly scopes: readonly string[];
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly lastRotatedAt: string | null;
  readonly lastUsedAt: string | null;
  readonly lastUsedService: string | null;
  readonly recoveryProcedure: string | null;
  readonly status: IdentityStatus;
}

interface ItemBase {
  readonly ref: string;
  readonly name: string;
  readonly purpose: string | null;
  readonly owner: Ownership;
  readonly provenance: Provenance;
}

export interface Api extends ItemBase, ApiFacts {
  readonly kind: 'api';
}

export interface Identity extends ItemBase, IdentityFacts {
  readonly kind: 'identity';
}

export type Item = Api | Identity;

/** An edge as seen from one item: the other end is named by kind and ref, and may not (yet) be in the inventory. */
export interface LinkedItem {
  readonly direction: 'out' | 'in';
  readonly relation: EdgeRelation;
  readonly kind: ItemKind;
  readonly ref: string;
  readonly name: string | null;
}

/** A past ownership period: ownership changes are history, never overwrites. */
export interface OwnershipPeriod {
  readonly team: string | null;
  readonly accountable: string | null;
  readonly backup: string | null;
  readonly approver: string | null;
  readonly fromAt: string | null;
  readonly toAt: string;
}

/** An owner suggested by a source that cannot assign owners itself (CODEOWNERS). */
export interface OwnerSuggestion {
  readonly source: string;
  /** The owners as the source wrote them (`@org/team`, `@user`, an email); empty means "explicitly unowned". */
  readonly owners: readonly string[];
  readonly team: string | null;
  readonly reason: string;
}

export interface ItemDetail {
  readonly item: Item;
  readonly links: readonly LinkedItem[];
  readonly history: readonly OwnershipPeriod[];
  readonly suggestions: readonly OwnerSuggestion[];
  /** The last attestation's time and outcome; null until the attestation loop has run for the item. */
  readonly lastAttestation: { readonly at: string; readonly outcome: string; readonly by: string | null } | null;
}

/** One row of `steward list`: enough to scan, with the ref to ask `who` about. */
export interface ItemSummary {
  readonly kind: ItemKind;
  readonly ref: string;
  readonly name: string;
  readonly team: string | null;
  readonly accountable: string | null;
  readonly expiresAt: string | null;
  readonly vanished: boolean;
}
