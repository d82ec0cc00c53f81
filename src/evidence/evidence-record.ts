/**
 * What an evidence export holds (`steward evidence`): every attestation, approval, exception, transfer and claim
 * that ended in a period, each with the item, its owner at the time, who answered and when, what was attested or
 * decided, the policy in force, and the controls it evidences. Formats (CSV, JSON, HTML) lay these out; none of
 * them decides what a record says.
 */

/** The controls Steward's records evidence (NIST CSF 2.0 and the OWASP Non-Human Identities Top 10, 2025). */
export const controlIds = ['GV.RR-01', 'GV.RR-02', 'ID.AM-02', 'ID.AM-08', 'NHI1', 'NHI2', 'NHI5', 'NHI7'] as const;
export type ControlId = (typeof controlIds)[number];

export interface Control {
  readonly id: ControlId;
  /** `NIST CSF 2.0` or `OWASP NHI Top 10 (2025)`. */
  readonly framework: string;
  /** The official title or subcategory text (../shared/FORMATS.md §8, §9). */
  readonly title: string;
  /** How Steward's records evidence it, in a sentence an auditor reads. */
  readonly evidencedBy: string;
}

export type EvidenceRecordType = 'attestation' | 'approval' | 'exception' | 'transfer' | 'claim';

/** One approver's say on a request, as it was given. */
export interface EvidenceVote {
  /** The approver who voted (by email). */
  readonly by: string;
  /** The approver a stand-in voted for (by email), when a delegate decided. */
  readonly onBehalfOf: string | null;
  readonly vote: 'approve' | 'reject';
  readonly at: string;
  readonly reason: string | null;
}

export interface EvidenceRecord {
  readonly type: EvidenceRecordType;
  /** Stable within the database: `attestation:12`, `approval:7`, `claim:31`. */
  readonly id: string;
  /** When it ended: answered, decided, expired, claimed (UTC ISO). */
  readonly at: string;
  readonly item: { readonly kind: 'api' | 'identity'; readonly ref: string; readonly name: string };
  /** The owner at the time it ended: the team and the accountable person (by email). */
  readonly owner: { readonly team: string | null; readonly accountable: string | null };
  /** Who answered, decided or claimed (by email); null when nobody did (an attestation that expired unanswered). */
  readonly by: string | null;
  /** When a stand-in acted: whom for (by email). */
  readonly onBehalfOf: string | null;
  /**
   * What ended, in the record's own words: an attestation's outcome (`attested`, `disputed`, `decommission_requested`,
   * `snoozed`, `expired`), a request's status (`approved`, `rejected`, `expired`, `cancelled`), `claimed`.
   */
  readonly outcome: string;
  /** The request's kind for approvals (`scope_change`, `rotation`, `decommission`, `ownership_transfer`, `exception`). */
  readonly kind: string | null;
  /** The facts attested (label → value), and any the owner corrected; a request's payload (new scopes, proposed owner, until). */
  readonly facts: Readonly<Record<string, unknown>>;
  /** Who requested it (approvals), when it was opened or requested, and the reason or note given. */
  readonly requestedBy: string | null;
  readonly openedAt: string | null;
  readonly dueAt: string | null;
  readonly reason: string | null;
  /** The policy version it ran under; its text is in the export's policies. */
  readonly policyVersion: string | null;
  /** Each approver's say on a request, in order (two for restricted data); empty for attestations and claims. */
  readonly votes: readonly EvidenceVote[];
  readonly controls: readonly ControlId[];
}
