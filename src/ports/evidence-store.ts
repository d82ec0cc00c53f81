import type { EvidenceRecord, EvidenceRecordType } from '../evidence/evidence-record.js';
import type { ItemKind } from '../model/vocabulary.js';

/*
 * The evidence export's part of the store port (`steward evidence`). An export of a year must not be held in memory:
 * records are read a page at a time, each page its own short read transaction, walked by a cursor (the last record's
 * time and id) rather than an offset, so every page is an index range however far into the period it is.
 */

/** A period: from inclusive, to exclusive (UTC ISO). */
export interface EvidencePeriod {
  readonly from: string;
  readonly to: string;
}

/** Where records come from: attestations, approval requests (approvals, exceptions, transfers), claims. */
export type EvidenceSource = 'attestation' | 'approval' | 'claim';
export const evidenceSources: readonly EvidenceSource[] = ['attestation', 'approval', 'claim'];

/** The last record of a page: the next page starts after it (by time, then id). */
export interface EvidenceCursor {
  readonly at: string;
  readonly id: number;
}

export interface EvidencePageRequest extends EvidencePeriod {
  readonly source: EvidenceSource;
  /** Null for the first page. */
  readonly after: EvidenceCursor | null;
  readonly limit: number;
}

/** A record as stored: the controls it evidences are the core's to say (`controlsOf`). */
export type StoredEvidence = Omit<EvidenceRecord, 'controls'>;

export interface EvidencePage {
  /** In order of time, then id. */
  readonly records: readonly StoredEvidence[];
  /** Where the next page starts; null when this one was the last. */
  readonly next: EvidenceCursor | null;
}

/** How many records of one shape a period holds: the summary (and the count per control) without reading them all. */
export interface EvidenceGroup {
  readonly type: EvidenceRecordType;
  readonly kind: string | null;
  readonly outcome: string;
  readonly itemKind: ItemKind;
  /** A named person answered, decided, accepted or claimed them. */
  readonly named: boolean;
  readonly policyVersion: string | null;
  readonly count: number;
}

/** A policy version's text: the canonical JSON of the policy with its defaults, as `policyText` writes it. */
export interface PolicyText {
  readonly version: string;
  readonly text: string;
  readonly firstSeenAt: string;
}

export interface EvidenceStore {
  /**
   * One page of one source's records that ended in the period, oldest first: attestations closed (other than those
   * superseded, which nobody answered: the item changed hands or left), approval requests decided, expired or
   * cancelled, and claims from the queue; each with its item, the owner at the time, and people by email.
   */
  evidencePage(request: EvidencePageRequest): Promise<EvidencePage>;
  /** The period's records counted by shape and policy version, in one read transaction. */
  evidenceSummary(period: EvidencePeriod): Promise<readonly EvidenceGroup[]>;
  /** The texts of these policy versions; a version used before texts were kept has none. */
  policyTexts(versions: readonly string[]): Promise<readonly PolicyText[]>;
  /** Keeps a policy version's text, once: a version already kept is left as it was. */
  recordPolicyVersion(version: string, text: string, at: string): Promise<void>;
}
