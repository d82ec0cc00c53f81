import type { EvidenceGroup } from '../ports/evidence-store.js';
import { controlsOf, evidenceControls } from './evidence-controls.js';
import type { ControlId, EvidenceRecordType } from './evidence-record.js';

/** What a period holds, counted: the first thing an auditor reads. */
export interface EvidenceSummary {
  readonly records: number;
  readonly byType: Readonly<Record<EvidenceRecordType, number>>;
  /** Per type and outcome (`attestation attested`, `approval expired`), in type order, then most first. */
  readonly outcomes: ReadonlyArray<{ readonly type: EvidenceRecordType; readonly outcome: string; readonly count: number }>;
  /** Records evidencing each control; a record may evidence several. */
  readonly byControl: Readonly<Record<ControlId, number>>;
  /** Records that evidence no control (a cancelled request, an attestation snoozed by an exception). */
  readonly withoutControl: number;
  /** The policy versions the records ran under (claims record none). */
  readonly policyVersions: readonly string[];
}

const typeOrder: readonly EvidenceRecordType[] = ['attestation', 'approval', 'exception', 'transfer', 'claim'];

/** The summary from the store's counts, each group's controls decided by the same rules as each record's. */
export function summariseEvidence(groups: readonly EvidenceGroup[]): EvidenceSummary {
  const byType = Object.fromEntries(typeOrder.map((t) => [t, 0])) as Record<EvidenceRecordType, number>;
  const byControl = Object.fromEntries(evidenceControls.map((c) => [c.id, 0])) as Record<ControlId, number>;
  const outcomes = new Map<string, { type: EvidenceRecordType; outcome: string; count: number }>();
  const versions = new Set<string>();
  let records = 0;
  let withoutControl = 0;
  for (const group of groups) {
    records += group.count;
    byType[group.type] += group.count;
    const key = `${group.type} ${group.outcome}`;
    const tally = outcomes.get(key) ?? { type: group.type, outcome: group.outcome, count: 0 };
    tally.count += group.count;
    outcomes.set(key, tally);
    const controls = controlsOf(group);
    for (const id of controls) byControl[id] += group.count;
    if (controls.length === 0) withoutControl += group.count;
    if (group.policyVersion !== null) versions.add(group.policyVersion);
  }
  const sorted = [...outcomes.values()].sort((a, b) => typeOrder.indexOf(a.type) - typeOrder.indexOf(b.type) || b.count - a.count || a.outcome.localeCompare(b.outcome));
  return { records, byType, outcomes: sorted, byControl, withoutControl, policyVersions: [...versions].sort() };
}
