import type { ApprovalStore } from './approval-store.js';
import type { AttestationStore } from './attestation-store.js';
import type { ChatIdentityStore } from './chat-identity-store.js';
import type { CheckedEntry, FindingData, PendingItemEntry } from '../inventory/import-entry.js';
import type { Problem, SourceLocation } from '../inventory/source-location.js';
import type { ItemDetail, ItemKind, ItemSummary } from '../model/index.js';

/** One source's snapshot: what the source holds now, in full. */
export interface ImportSnapshot {
  /** Which source this is (`backstage`, `csv:apis.csv`, `aws:123456789012`): its items missing from the snapshot are flagged vanished. */
  readonly source: string;
  readonly format: string;
  /**
   * Entries in source order, read lazily; a million-row file must not be held in memory. A pending item entry is
   * checked (`check()`) unless the store keeps the item unchanged (see PendingItemEntry).
   */
  readonly entries: Iterable<CheckedEntry | PendingItemEntry>;
}

export interface ImportRequest {
  /** One command may import several sources (two CSV files, two AWS accounts); they apply together or not at all. */
  readonly snapshots: readonly ImportSnapshot[];
  readonly at: string;
  /** Who ran the import, for the audit trail. */
  readonly actor: string;
  readonly dryRun: boolean;
}

export interface ItemCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** In the database from this source before, missing from it now: flagged, never deleted. */
  vanished: number;
  /** Had vanished, and is back. */
  reappeared: number;
}

export interface DirectoryCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** What one source's snapshot did (or, for a dry run or a refused import, would have done). */
export interface SourceReport {
  readonly source: string;
  readonly format: string;
  readonly apis: ItemCounts;
  readonly identities: ItemCounts;
  readonly teams: DirectoryCounts;
  readonly people: DirectoryCounts;
  readonly ownershipChanges: number;
  readonly suggestions: number;
  readonly findings: ReadonlyArray<FindingData & { readonly at: SourceLocation }>;
  /** Facts worth telling the person who ran the import, e.g. an item taken over from another source. */
  readonly notes: readonly string[];
  /**
   * Items whose source still contradicts an approved change (scopes, owner, decommissioning): each kept as approved,
   * and listed on every import until the source is fixed.
   */
  readonly drift: readonly ApprovedStateDrift[];
}

/** A source stating other than what an approval set: the item kept the approved value; the source should be fixed. */
export interface ApprovedStateDrift {
  readonly kind: ItemKind;
  readonly ref: string;
  readonly field: 'scopes' | 'owner' | 'retired';
  /** What the source says, in words (`read`, `payments (ana@acme.example)`, `lifecycle production`). */
  readonly source: string;
  /** What the approval set, in the same words. */
  readonly approved: string;
  /** The approval request that set it. */
  readonly requestId: number;
}

export interface ImportReport {
  readonly dryRun: boolean;
  /** True when the import was written; false for a dry run and for any import with an invalid entry. */
  readonly applied: boolean;
  readonly sources: readonly SourceReport[];
  /** Entries refused. Any refusal means nothing was written. */
  readonly invalid: number;
  /** The first problems found (capped), and how many there were in all. */
  readonly problems: readonly Problem[];
  readonly problemCount: number;
}

export type MatchMode = 'exact' | 'prefix' | 'substring';

export interface SearchQuery {
  readonly text: string;
  readonly kind?: ItemKind;
  /**
   * `exact` compares refs and names ignoring case; `prefix` and `substring` likewise. Every mode is an index lookup,
   * so a `substring` (a part) is looked for from three characters (a shorter one finds nothing), and when more than
   * 1,000 items contain it, those returned are the first in order among the first 1,000 found.
   */
  readonly match: MatchMode;
  readonly limit: number;
}

export interface ListFilter {
  /**
   * No owning team, no accountable person, or an accountable person who is no longer active (marked inactive,
   * or vanished from the source that declared them).
   */
  readonly unowned?: boolean;
  readonly team?: string;
  /** Items where this person is accountable or backup. */
  readonly owner?: string;
  readonly kind?: ItemKind;
  /** Identities whose expiry is before this time (including those already expired). */
  readonly expiresBefore?: string;
  readonly limit?: number;
}

export interface ItemList {
  readonly items: readonly ItemSummary[];
  /**
   * How many matched in all; more than `items.length` when a limit cut the list. Exact, and counted from indexes
   * rather than by reading every item that matched.
   */
  readonly total: number;
}

export interface InventoryCounts {
  readonly apis: number;
  readonly identities: number;
  readonly teams: number;
  readonly people: number;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  /** The first event whose hash does not follow from its predecessor's, when the chain is broken. */
  readonly brokenAt: number | null;
}

/** One event of an item's audit trail, as `history` shows it. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditTrail {
  /** The latest events (at most the limit asked for), oldest first. */
  readonly events: readonly AuditEntry[];
  /** How many events the item has in all. */
  readonly total: number;
}

/**
 * The store port: everything the core asks of storage. Asynchronous so a networked database can implement it;
 * each method is one atomic transaction, and no transaction spans an await.
 */
export interface Store extends AttestationStore, ChatIdentityStore, ApprovalStore {
  /** Applies one import whole or not at all: nothing is written for a dry run or when any entry is invalid. */
  importEntries(request: ImportRequest): Promise<ImportReport>;
  searchItems(query: SearchQuery): Promise<readonly ItemSummary[]>;
  /**
   * Refs and names near `text`, as candidates for "did you mean" (at most `limit`), found through an index however
   * large the inventory: likely ones, not every item within some distance. The caller ranks them.
   */
  candidateNames(text: string, limit: number): Promise<readonly ItemSummary[]>;
  getItemDetail(kind: ItemKind, ref: string): Promise<ItemDetail | null>;
  /** The id of the item with this kind and ref (claims and chat actions name items by id); null when there is none. */
  itemIdOf(kind: ItemKind, ref: string): Promise<number | null>;
  /** APIs with a known repository path, for sources that assign owners by path (CODEOWNERS). */
  listApiCodePaths(): Promise<ReadonlyArray<{ readonly ref: string; readonly codePath: string }>>;
  listItems(filter: ListFilter): Promise<ItemList>;
  countInventory(): Promise<InventoryCounts>;
  /** True when any item came from one of these sources (`sample:catalog`: the console demo's sample). */
  hasItemsFrom(sources: readonly string[]): Promise<boolean>;
  verifyAuditChain(): Promise<AuditVerification>;
  /** The audit events recorded against one item; null when there is no such item. */
  itemAuditTrail(kind: ItemKind, ref: string, limit: number): Promise<AuditTrail | null>;
  close(): Promise<void>;
}
