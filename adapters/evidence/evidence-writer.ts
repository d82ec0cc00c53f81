import type { EvidenceReport } from '../../src/evidence/evidence-report.js';
import type { TextSink } from './text-sink.js';

/**
 * A format of `steward evidence`: lays the report out onto the sink, reading its records as it writes them (never
 * all at once), and says how many records it wrote. CSV and JSON are here; HTML is `writeEvidenceHtml` in
 * evidence-html.ts, with the same shape and what it says of its source.
 */
export type EvidenceWriter = (report: EvidenceReport, sink: TextSink) => Promise<number>;
