import type { ItemKind } from '../model/vocabulary.js';
import type { Control, ControlId, EvidenceRecord, EvidenceRecordType } from './evidence-record.js';

/*
 * Which control each record evidences, decided here once for every format (CSV, JSON, HTML) and for the summary.
 *
 * The rules read only what a record is (its type, a request's kind, its outcome, the item's kind) and whether a named
 * person acted on it, never free text: the store can then count a period per control by grouping on the same fields
 * (`evidenceSummary`) without reading every record twice, and an auditor can check each rule against the table below.
 *
 * What we claim, and why (an auditor reads this):
 * - GV.RR-02 (roles and responsibilities established, communicated, understood and ENFORCED): every record in which a
 *   named person answered, decided, accepted or claimed: each is a named person exercising the responsibility Steward
 *   assigned them. An attestation or request that EXPIRED unanswered is evidence too: of enforcement (it was
 *   reminded, escalated up the policy's ladder and then expired, and an expired attestation puts the item in the queue
 *   for a new owner). A CANCELLED request evidences nothing: it was withdrawn because it no longer applied (the item
 *   changed or left), not decided.
 * - ID.AM-02 (inventories maintained): an attestation a named owner CONFIRMED (or confirmed with corrections), or
 *   DISPUTED (this is not mine, which corrects the inventory's owner): the facts shown are stored with the answer, so
 *   the record is evidence of what the inventory said and that its owner reviewed it.
 * - ID.AM-08 (managed throughout their life cycles) and NHI1 (Improper Offboarding): an owner's Decommission answer, and
 *   every decommission request decided by an approver or expired. Retiring an item is the offboarding NHI1 asks for.
 * - NHI5 (Overprivileged NHI): scope change requests decided or expired (no scope is added without an approver), and
 *   identities' attestations confirmed by a named owner (their scopes are among the facts confirmed or corrected).
 * - NHI7 (Long-Lived Secrets): rotation requests decided or expired, and identities' attestations confirmed by a named
 *   owner (the expiry date is among the facts confirmed or corrected).
 * - GV.RR-01 (leadership responsible and accountable for risk): exceptions decided by a named approver: accepting (or
 *   refusing) a risk beyond policy is a decision with a name on it, which is what GV.RR-01 asks of leadership.
 * - NHI2 (Secret Leakage): NO record. Steward refuses a secret pasted into any field and never stores one, but a refused
 *   answer is recorded (when it is recorded at all) as a refusal among others, not as a secret found, so no record
 *   shows that the check ran. Claiming otherwise would be evidence Steward does not have; the control's line says so.
 * A snoozed attestation evidences GV.RR-02 only (a named owner deferred it, with a reason and the policy's cap); one
 * snoozed by an approved exception has no named answerer, and the exception's own record carries the decision.
 */

/** The controls, in the export's order, with their official titles (NIST CSWP 29; OWASP NHI Top 10 2025) and how Steward evidences each. */
export const evidenceControls: readonly Control[] = [
  {
    id: 'GV.RR-01',
    framework: 'NIST CSF 2.0',
    title: 'Organizational leadership is responsible and accountable for cybersecurity risk and fosters a culture that is risk-aware, ethical, and continually improving',
    evidencedBy: 'Exceptions to the policy approved or refused by a named approver: each accepted risk has a name and an end date.',
  },
  {
    id: 'GV.RR-02',
    framework: 'NIST CSF 2.0',
    title: 'Roles, responsibilities, and authorities related to cybersecurity risk management are established, communicated, understood, and enforced',
    evidencedBy:
      'Every answer, decision, accepted transfer and claim by a named person; attestations and requests that expired unanswered after their reminders and escalations (enforcement).',
  },
  {
    id: 'ID.AM-02',
    framework: 'NIST CSF 2.0',
    title: 'Inventories of software, services, and systems managed by the organization are maintained',
    evidencedBy: "Attestations in which a named owner confirmed or corrected the item's facts, or said it is not theirs; the facts shown are recorded with the answer.",
  },
  {
    id: 'ID.AM-08',
    framework: 'NIST CSF 2.0',
    title: 'Systems, hardware, software, services, and data are managed throughout their life cycles',
    evidencedBy: 'Owners asking to decommission an item, and decommission requests approved, refused or expired.',
  },
  {
    id: 'NHI1',
    framework: 'OWASP Non-Human Identities Top 10 (2025)',
    title: 'Improper Offboarding',
    evidencedBy: 'Owners asking to decommission an item, and decommission requests approved, refused or expired: retiring what is no longer needed.',
  },
  {
    id: 'NHI2',
    framework: 'OWASP Non-Human Identities Top 10 (2025)',
    title: 'Secret Leakage',
    evidencedBy:
      'No record: Steward refuses secrets pasted into any field and never stores one, but does not record each refusal as a secret found, so no record in this export evidences it.',
  },
  {
    id: 'NHI5',
    framework: 'OWASP Non-Human Identities Top 10 (2025)',
    title: 'Overprivileged NHI',
    evidencedBy: "Scope changes approved, refused or expired (none applied without an approver), and identities' scopes confirmed or corrected by their owner.",
  },
  {
    id: 'NHI7',
    framework: 'OWASP Non-Human Identities Top 10 (2025)',
    title: 'Long-Lived Secrets',
    evidencedBy: "Rotations approved, refused or expired, and identities' expiry dates confirmed or corrected by their owner.",
  },
];

/** What the rules read of a record: the fields the store can also count by. */
export interface EvidenceShape {
  readonly type: EvidenceRecordType;
  /** A request's kind; null for attestations and claims. */
  readonly kind: string | null;
  readonly outcome: string;
  readonly itemKind: ItemKind;
  /** A named person answered, decided, accepted or claimed it (the record's `by`). */
  readonly named: boolean;
}

export function shapeOf(record: Omit<EvidenceRecord, 'controls'>): EvidenceShape {
  return { type: record.type, kind: record.kind, outcome: record.outcome, itemKind: record.item.kind, named: record.by !== null };
}

/** The controls a record evidences, in the table's order (see the rules above). */
export function controlsOf(shape: EvidenceShape): ControlId[] {
  const { type, kind, outcome, named } = shape;
  const attested = type === 'attestation' && outcome === 'attested' && named;
  // A request counts for its kind's controls once decided or expired; a cancelled one was withdrawn, not decided.
  const requestOf = (k: string) => type === 'approval' && kind === k && outcome !== 'cancelled';
  const offboarding = (type === 'attestation' && outcome === 'decommission_requested' && named) || requestOf('decommission');
  const identityReviewed = attested && shape.itemKind === 'identity';
  const rules: Record<ControlId, boolean> = {
    'GV.RR-01': type === 'exception' && named && outcome !== 'cancelled',
    'GV.RR-02': (named || outcome === 'expired') && outcome !== 'cancelled',
    'ID.AM-02': attested || (type === 'attestation' && outcome === 'disputed' && named),
    'ID.AM-08': offboarding,
    NHI1: offboarding,
    NHI2: false,
    NHI5: identityReviewed || requestOf('scope_change'),
    NHI7: identityReviewed || requestOf('rotation'),
  };
  return evidenceControls.map((c) => c.id).filter((id) => rules[id]);
}
