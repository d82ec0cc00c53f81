import type { EvidenceRecord } from '../../src/evidence/evidence-record.js';
import type { EvidenceReport } from '../../src/evidence/evidence-report.js';
import type { TextSink } from './text-sink.js';

/** The CSV's columns, in order, each with how a record fills it. Facts and votes are JSON: their fields vary by record. */
export const evidenceCsvColumns: ReadonlyArray<readonly [string, (r: EvidenceRecord) => string | null]> = [
  ['type', (r) => r.type],
  ['id', (r) => r.id],
  ['at', (r) => r.at],
  ['controls', (r) => r.controls.join(' ')],
  ['item_kind', (r) => r.item.kind],
  ['item_ref', (r) => r.item.ref],
  ['item_name', (r) => r.item.name],
  ['owner_team', (r) => r.owner.team],
  ['owner_accountable', (r) => r.owner.accountable],
  ['by', (r) => r.by],
  ['on_behalf_of', (r) => r.onBehalfOf],
  ['outcome', (r) => r.outcome],
  ['kind', (r) => r.kind],
  ['requested_by', (r) => r.requestedBy],
  ['opened_at', (r) => r.openedAt],
  ['due_at', (r) => r.dueAt],
  ['reason', (r) => r.reason],
  ['policy_version', (r) => r.policyVersion],
  ['facts', (r) => JSON.stringify(r.facts)],
  ['votes', (r) => (r.votes.length === 0 ? null : JSON.stringify(r.votes))],
];

/**
 * A spreadsheet runs a cell that begins with = + - or @ (or a tab or carriage return before one) as a formula: text
 * from an owner's note or an item's name could then compute, or fetch, something when an auditor opens the file (CSV
 * injection, OWASP). Such a cell is written with a leading apostrophe, which spreadsheets show as text; so is a cell
 * that already begins with one, so that a reader removes exactly one leading apostrophe from any cell that has one
 * and gets the text back. The JSON export holds every text exactly as it was.
 */
const formulaStart = /^[=+\-@\t\r']/;

/** One cell, quoted as RFC 4180 says when it holds a quote, a comma or a line break; empty for null. */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvRow = (cells: ReadonlyArray<string | null>) => `${cells.map(csvCell).join(',')}\r\n`;

/** The export as CSV (RFC 4180: CRLF line ends, a header row), one row per record, written as the records are read. */
export async function writeEvidenceCsv(report: EvidenceReport, sink: TextSink): Promise<number> {
  await sink.write(csvRow(evidenceCsvColumns.map(([name]) => name)));
  let count = 0;
  for await (const record of report.records()) {
    await sink.write(csvRow(evidenceCsvColumns.map(([, cell]) => cell(record))));
    count += 1;
  }
  await sink.flush();
  return count;
}
