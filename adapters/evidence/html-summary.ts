import type { ControlId, EvidenceRecord, EvidenceRecordType } from '../../src/evidence/evidence-record.js';

/** Answered or decided by someone no later than it was due (an attestation that expired unanswered is not). */
export function isOnTime(record: Pick<EvidenceRecord, 'by' | 'at' | 'dueAt'>): boolean {
  return record.by !== null && record.dueAt !== null && Date.parse(record.at) <= Date.parse(record.dueAt);
}

/** Answered by the named accountable owner at the time, themselves: not a stand-in, not someone else. */
export function isByAccountable(record: Pick<EvidenceRecord, 'by' | 'onBehalfOf' | 'owner'>): boolean {
  return record.by !== null && record.onBehalfOf === null && record.owner.accountable !== null && record.by.toLowerCase() === record.owner.accountable.toLowerCase();
}

/** What a summary row and a chart show for one control (or the whole period). */
export interface CountFigures {
  readonly records: number;
  readonly byType: ReadonlyMap<EvidenceRecordType, number>;
  /** Attestations only: how many, by outcome, answered on time, answered by the accountable person themselves. */
  readonly attestations: { readonly records: number; readonly byOutcome: ReadonlyMap<string, number>; readonly onTime: number; readonly byAccountable: number };
}

interface Tally {
  records: number;
  byType: Map<EvidenceRecordType, number>;
  attestations: { records: number; byOutcome: Map<string, number>; onTime: number; byAccountable: number };
}

const emptyTally = (): Tally => ({ records: 0, byType: new Map(), attestations: { records: 0, byOutcome: new Map(), onTime: 0, byAccountable: 0 } });

export const noFigures: CountFigures = emptyTally();

function add(tally: Tally, record: EvidenceRecord): void {
  tally.records += 1;
  tally.byType.set(record.type, (tally.byType.get(record.type) ?? 0) + 1);
  if (record.type !== 'attestation') return;
  const a = tally.attestations;
  a.records += 1;
  a.byOutcome.set(record.outcome, (a.byOutcome.get(record.outcome) ?? 0) + 1);
  if (isOnTime(record)) a.onTime += 1;
  if (isByAccountable(record)) a.byAccountable += 1;
}

export interface EvidenceFigures {
  readonly total: CountFigures;
  readonly controls: ReadonlyMap<ControlId, CountFigures>;
  /** Records that evidence no control (a cancelled request, say). */
  readonly withoutControl: number;
}

/**
 * The report's figures per control, counted over a stream of records each looked at once and let go: memory grows
 * with the kinds of outcome, never with the period. (The store's summary counts records per control, type and
 * outcome but not per control and type, nor who answered in time; until it does, the report counts them here.)
 */
export async function evidenceFigures(records: AsyncIterable<EvidenceRecord>): Promise<EvidenceFigures> {
  const total = emptyTally();
  const controls = new Map<ControlId, Tally>();
  let withoutControl = 0;
  for await (const record of records) {
    add(total, record);
    if (record.controls.length === 0) withoutControl += 1;
    for (const control of record.controls) {
      const tally = controls.get(control) ?? emptyTally();
      add(tally, record);
      controls.set(control, tally);
    }
  }
  return { total, controls, withoutControl };
}
