import type { Clock } from '../ports/clock.js';
import type { EvidencePeriod, EvidenceStore } from '../ports/evidence-store.js';
import { evidenceControls } from './evidence-controls.js';
import type { Control, EvidenceRecord } from './evidence-record.js';
import { evidencePageSize, evidenceRecords } from './evidence-records.js';
import { summariseEvidence, type EvidenceSummary } from './evidence-summary.js';

/** An evidence export before it is laid out: what every format (CSV, JSON, HTML) writes, and nothing it decides. */
export interface EvidenceReport {
  readonly period: EvidencePeriod;
  readonly generatedAt: string;
  readonly controls: readonly Control[];
  /** Each policy version the period's records ran under, with its text; null for a version used before texts were kept. */
  readonly policies: Readonly<Record<string, string | null>>;
  readonly summary: EvidenceSummary;
  /**
   * The records, oldest first, read from the store a page at a time as they are consumed: each call walks them again
   * from the start (a format that lays them out once per control may call it once per control).
   */
  records(): AsyncGenerator<EvidenceRecord>;
}

/**
 * `steward evidence`: the period's summary and the policies in force, read now, and its records, read as they are
 * written. The summary is counted before the records are walked: in a period still under way, a record that ends
 * meanwhile may be in one and not the other.
 */
export async function evidenceReport(store: EvidenceStore, clock: Clock, period: EvidencePeriod, options: { readonly pageSize?: number } = {}): Promise<EvidenceReport> {
  const generatedAt = clock.now().toISOString();
  const summary = summariseEvidence(await store.evidenceSummary(period));
  const texts = new Map((await store.policyTexts(summary.policyVersions)).map((p) => [p.version, p.text]));
  const policies = Object.fromEntries(summary.policyVersions.map((v) => [v, texts.get(v) ?? null]));
  const pageSize = options.pageSize ?? evidencePageSize;
  return { period, generatedAt, controls: evidenceControls, policies, summary, records: () => evidenceRecords(store, period, pageSize) };
}
