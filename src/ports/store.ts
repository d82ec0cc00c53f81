import type { ApprovalStore } from './approval-store.js';
import type { AttestationStore } from './attestation-store.js';
import type { ChatIdentityStore } from './chat-identity-store.js';
import type { DigestStore } from './digest-store.js';
import type { EvidenceStore } from './evidence-store.js';
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

/**
 * The audit trail's last event: how many events the trail holds up to it (its position) and its hash. The chain
 * alone cannot show that events were removed from its end; a head kept elsewhere (each digest prints it) can.
 */
export interface AuditHead {
  readonly events: number;
  readonly hash: string;
}

/** A head kept earlier, as `audit verify --expect-head` gives it: its hash, and its position when it was kept with one. */
export interface ExpectedAuditHead {
  readonly events?: number;
  readonly hash: string;
}

/**
 * Whether the trail still holds a head kept earlier. Held: the event at `events` has the kept hash, and `after`
 * events were appended since. Not held: `shorter` (the trail ends before that position: events were removed from
 * its end), `different` (another event stands at that position: rewritten, or removed and replaced), `not_found`
 * (no event has the kept hash, when no position was given).
 */
export type AuditHeadCheck =
  | { readonly held: true; readonly events: number; readonly after: number }
  | { readonly held: false; readonly reason: 'shorter' | 'different' | 'not_found'; readonly events: number | null };

export interface AuditVerification {
  readonly ok: boolean;
  readonly events: number;
  /** The first event whose hash does not follow from its predecessor's, when the chain is broken. */
  readonly brokenAt: number | null;
  /** The last event, as far as the walk went; null when there is none. */
  readonly head: AuditHead | null;
  /** The check of a head kept earlier, when one was given. */
  readonly expected?: AuditHeadCheck;
}

/** Why `backupTo` wrote nothing, about `path` (the file asked for, or its folder). */
export type BackupRefusal = 'exists' | 'no_folder' | 'not_a_folder' | 'permission_denied' | 'read_only' | 'no_space';

/** What `backupTo` wrote, as read back from the copy itself. */
export interface BackupReport {
  /** The database copied (its file). */
  readonly database: string;
  /** The copy, under the name asked for. */
  readonly file: string;
  /** APIs and identities in the copy. */
  readonly items: number;
  /** SQLite's integrity check of the copy: `ok`, or the first problems it found. */
  readonly integrity: { readonly ok: boolean; readonly problems: readonly string[] };
  /** The copy's audit chain, walked as `audit verify` walks it. */
  readonly audit: AuditVerification;
}

export type BackupResult = ({ readonly ok: true } & BackupReport) | { readonly ok: false; readonly code: BackupRefusal; readonly path: string };

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
export interface Store extends AttestationStore, ChatIdentityStore, ApprovalStore, DigestStore, EvidenceStore {
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
  /**
   * Walks the whole audit chain, recomputing each hash, and checks that it still holds `expected` (a head kept
   * earlier) when given: the walk alone cannot see events removed from the end of the chain.
   */
  verifyAuditChain(expected?: ExpectedAuditHead): Promise<AuditVerification>;
  /**
   * The trail's head now, cheaply (one index lookup, not a walk): what a digest prints for auditors to keep. Its
   * `events` is the last event's id, which is its position while the chain is intact (ids run 1, 2, 3… and
   * `verifyAuditChain` reports any gap). Null when nothing has been recorded.
   */
  auditHead(): Promise<AuditHead | null>;
  /**
   * Copies the database to `file` with SQLite's online backup (safe while `serve` writes from another process),
   * then reads the copy back to check it. Refuses an existing file and a missing folder, writing nothing. A
   * half-written copy never has the final name.
   *
   * Not one transaction like the other methods: the copy is written and then checked, and the promise settles
   * between the steps. No transaction of the store spans an await: the copy reads a snapshot in one step.
   */
  backupTo(file: string): Promise<BackupResult>;
  /** The audit events recorded against one item; null when there is no such item. */
  itemAuditTrail(kind: ItemKind, ref: string, limit: number): Promise<AuditTrail | null>;
  close(): Promise<void>;
}
