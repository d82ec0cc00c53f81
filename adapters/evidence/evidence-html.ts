import type { EvidenceRecord } from '../../src/evidence/evidence-record.js';
import type { EvidenceReport } from '../../src/evidence/evidence-report.js';
import { evidenceCharts, type EvidenceChart } from './html-charts.js';
import { escapeHtml, htmlId } from './html-escape.js';
import { recordColumns, recordRow, utcMinute } from './html-record-row.js';
import { evidenceHtmlStyle } from './html-style.js';
import { evidenceFigures, noFigures, type CountFigures, type EvidenceFigures } from './html-summary.js';
import type { TextSink } from './text-sink.js';

/** What the report says about where it came from, beyond the export itself (the composition root knows these). */
export interface EvidenceHtmlSource {
  /** The database it was read from, as the operator named it (`--db`). */
  readonly database?: string;
  /** The audit trail's head when the report was made: an auditor who keeps it can later prove nothing was removed. */
  readonly auditHead?: { readonly events: number; readonly headHash: string };
}

const dayMs = 86_400_000;
const isMidnight = (iso: string) => /T00:00(?::00(?:\.000)?)?Z$/.test(iso);
const dateOf = (iso: string) => iso.slice(0, 10);

/** The period as an auditor reads it, and as `steward evidence` takes it back (a whole-day `--to` is included). */
export function periodTerms(period: EvidenceReport['period']): { readonly words: string; readonly from: string; readonly to: string } {
  if (isMidnight(period.from) && isMidnight(period.to)) {
    const from = dateOf(period.from);
    const last = dateOf(new Date(Date.parse(period.to) - dayMs).toISOString());
    return { words: from === last ? `${from} (UTC, the whole day)` : `${from} to ${last} (UTC, both days included)`, from, to: last };
  }
  return { words: `${utcMinute(period.from)} to ${utcMinute(period.to)} (excluded)`, from: period.from, to: period.to };
}

const count = (value: number) => value.toLocaleString('en-US');
const plural = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;

/** "87% (87 of 100)", or a dash when there is nothing to share out. */
function share(part: number, whole: number): string {
  if (whole === 0) return '—';
  return `${Math.floor((part / whole) * 100)}%<span class="sub"> (${count(part)} of ${count(whole)})</span>`;
}

function header(report: EvidenceReport, source: EvidenceHtmlSource, period: ReturnType<typeof periodTerms>): string {
  const byType = Object.entries(report.summary.byType).filter(([, n]) => n > 0);
  const facts: [string, string][] = [['Generated', escapeHtml(utcMinute(report.generatedAt))]];
  if (source.database !== undefined) facts.push(['Database', `<code>${escapeHtml(source.database)}</code>`]);
  facts.push(
    ['Records', `${count(report.summary.records)}${byType.length === 0 ? '' : ` (${byType.map(([type, n]) => plural(n, type, `${type}s`)).join(', ')})`}`],
    ['Controls', report.controls.map((c) => `<a href="#${htmlId('control', c.id)}">${escapeHtml(c.id)}</a>`).join(', ')],
    ['Policy versions', Object.keys(report.policies).length === 0 ? 'none named' : Object.keys(report.policies).map((v) => `<a href="#${htmlId('policy', v)}"><code>${escapeHtml(v)}</code></a>`).join(', ')],
  );
  if (source.auditHead !== undefined) {
    facts.push([
      'Audit trail head',
      `<code>${count(source.auditHead.events)}:${escapeHtml(source.auditHead.headHash)}</code> <span class="sub">(keep it: <code>steward audit verify --expect-head</code> with it proves no event was removed since)</span>`,
    ]);
  }
  return (
    `<header><h1>Steward evidence report</h1><p class="period">${escapeHtml(period.words)}</p>` +
    `<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl></header>\n`
  );
}

const howToRead = `<section class="how" aria-labelledby="how"><h2 id="how">How to read this report</h2>
<p>Each record is something that ended in the period: an owner's attestation (answered, or expired with nobody answering), an approval request decided, an exception, an ownership transfer, or a claim of an unowned item. A record evidences one or more controls and appears in the table of each. <b>Owner at the time</b> is the owning team and its named accountable person when the record ended; <b>answered or decided by</b> is who acted, and for whom when a stand-in acted. An attestation is <b>on time</b> when it was answered by its due time; <b>by the named owner</b> counts those the accountable person answered themselves. <b>Facts attested</b> are the facts the owner confirmed or corrected (for a request, what was asked), then any note given. <b>Policy</b> names the rules in force; each version's full text is at the end. Times are UTC.</p>
<p>The same records are in <code>steward evidence --format csv</code> and <code>--format json</code>. This file runs no script and fetches nothing: it reads the same offline and on paper.</p></section>\n`;

function summaryRow(cells: readonly string[], figures: CountFigures, records: number): string {
  const a = figures.attestations;
  return `<tr>${cells.join('')}<td class="num">${count(records)}</td><td class="num">${count(a.records)}</td><td class="num">${share(a.onTime, a.records)}</td><td class="num">${share(a.byAccountable, a.records)}</td></tr>`;
}

function summaryTable(report: EvidenceReport, figures: EvidenceFigures): string {
  const heads = ['Control', 'Framework', 'Title, and how Steward evidences it', 'Records', 'Attestations', 'On time', 'By the named owner'];
  const rows = report.controls.map((control) =>
    summaryRow(
      [
        `<td><a href="#${htmlId('control', control.id)}">${escapeHtml(control.id)}</a></td><td>${escapeHtml(control.framework)}</td>`,
        `<td>${escapeHtml(control.title)}<div class="evidenced">${escapeHtml(control.evidencedBy)}</div></td>`,
      ],
      figures.controls.get(control.id) ?? noFigures,
      report.summary.byControl[control.id] ?? 0,
    ),
  );
  const total = summaryRow(['<td colspan="3">All records in the period, each counted once</td>'], figures.total, report.summary.records);
  return (
    `<section aria-labelledby="summary"><h2 id="summary">Summary by control</h2>` +
    `<table class="summary"><thead><tr>${heads.map((h, i) => `<th${i >= 3 ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('\n')}</tbody><tfoot>${total}</tfoot></table>\n`
  );
}

function charts(list: readonly EvidenceChart[]): string {
  const figures = list.map(
    (chart) => `<figure role="img" aria-label="${escapeHtml(chart.title)}">${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`,
  );
  return `<div class="charts">${figures.join('\n')}</div></section>\n`;
}

/**
 * Rows listed per control: a year of a large inventory is millions of records, several hundred bytes each in every
 * control's table, which no browser opens. The summary counts them all; the CSV and JSON list them all.
 */
export const rowsPerTable = 10_000;

/** A table of records: its heading, then its rows as they arrive (the first `rowsPerTable`). Returns how many records it met. */
async function recordsSection(
  sink: TextSink,
  section: { readonly id: string; readonly heading: string; readonly meta: string; readonly expected: number },
  records: AsyncIterable<EvidenceRecord>,
  counted: (record: EvidenceRecord) => void,
): Promise<number> {
  await sink.write(
    `<section class="control" id="${htmlId('control', section.id)}" aria-labelledby="${htmlId('heading', section.id)}">` +
      `<h2 id="${htmlId('heading', section.id)}">${section.heading}</h2><p class="control-meta">${section.meta}</p>` +
      `<table class="records"><colgroup>${recordColumns.map(([, width]) => `<col style="width: ${width}">`).join('')}</colgroup>` +
      `<thead><tr>${recordColumns.map(([name]) => `<th>${name}</th>`).join('')}</tr></thead><tbody>\n`,
  );
  let written = 0;
  for await (const record of records) {
    if (written < rowsPerTable) await sink.write(recordRow(record));
    counted(record);
    written += 1;
  }
  if (written === 0) await sink.write(`<tr><td class="empty" colspan="${recordColumns.length}">No record in the period.</td></tr>`);
  await sink.write('</tbody></table>');
  if (written > rowsPerTable)
    await sink.write(
      `<p class="warning">The first ${count(rowsPerTable)} of these ${count(written)} records are listed here, so the file still opens in a browser; ` +
        `the CSV and JSON exports of the same period hold every one (<code>--format csv</code>).</p>`,
    );
  // The summary is counted before the rows are read: in a period still under way they may differ, and the reader is told.
  if (written !== section.expected) {
    await sink.write(`<p class="warning">The summary counted ${count(section.expected)} records here; ${count(written)} were listed (records ended while the report was written).</p>`);
  }
  await sink.write('</section>\n');
  return written;
}

async function* only(records: AsyncIterable<EvidenceRecord> | Iterable<EvidenceRecord>, keep: (record: EvidenceRecord) => boolean): AsyncGenerator<EvidenceRecord> {
  for await (const record of records) if (keep(record)) yield record;
}

function policiesSection(policies: Readonly<Record<string, string | null>>): string {
  const entries = Object.entries(policies).map(
    ([version, text]) =>
      `<details id="${htmlId('policy', version)}"><summary>Policy version <code>${escapeHtml(version)}</code></summary>` +
      `${text === null ? '<p class="sub">Its text was not kept: the version was used before Steward kept policy texts.</p>' : `<pre>${escapeHtml(text)}</pre>`}</details>`,
  );
  return (
    `<section aria-labelledby="policies"><h2 id="policies">Policies in force</h2>` +
    `<p>The rules the records ran under, as Steward stored them: cadence, response windows, escalation, credential and approval rules, with their defaults. A version is the first 12 hex digits of the SHA-256 of the text's compact JSON, so anyone can check a text against its version.</p>` +
    `${entries.length === 0 ? '<p class="sub">No record of the period names a policy version.</p>' : entries.join('\n')}</section>\n`
  );
}

/**
 * `steward evidence --format html`: the report as one self-contained HTML file (inline CSS and SVG charts, no script,
 * nothing fetched) that an auditor opens offline or prints. The summary and charts come first; then one table per
 * control, each row written as its record is read, then the records that evidence no control, then the policies'
 * texts. The records are walked once to count what the store's summary does not (per control: types, attestation
 * outcomes, on time, by the named owner), then once per control that has any: memory stays flat however long the
 * period. Returns how many records it wrote, each counted once (as the other formats do).
 */
export async function writeEvidenceHtml(report: EvidenceReport, sink: TextSink, source: EvidenceHtmlSource = {}): Promise<number> {
  const period = periodTerms(report.period);
  const figures = await evidenceFigures(report.records());
  await sink.write(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
      `<meta name="generator" content="Steward"><title>Steward evidence, ${escapeHtml(period.words)}</title><style>${evidenceHtmlStyle}</style></head>\n<body><main>\n`,
  );
  await sink.write(header(report, source, period));
  await sink.write(howToRead);
  await sink.write(summaryTable(report, figures));
  await sink.write(
    figures.total.records === 0
      ? '<p class="sub">No record ended in this period: nothing to chart.</p></section>\n'
      : charts(evidenceCharts(report.controls.map((control) => ({ control: control.id, figures: figures.controls.get(control.id) ?? noFigures })))),
  );
  let distinct = 0;
  for (const control of report.controls) {
    const expected = report.summary.byControl[control.id] ?? 0;
    const walk = expected > 0 || (figures.controls.get(control.id)?.records ?? 0) > 0;
    await recordsSection(
      sink,
      {
        id: control.id,
        heading: `${escapeHtml(control.id)} — ${escapeHtml(control.title)}`,
        meta: `${escapeHtml(control.framework)} · <b>${plural(expected, 'record', 'records')}</b> · ${escapeHtml(control.evidencedBy)}`,
        expected,
      },
      only(walk ? report.records() : [], (record) => record.controls.includes(control.id)),
      // A record is in the table of each control it evidences (in the controls' order): counted once, in its first.
      (record) => {
        if (record.controls[0] === control.id) distinct += 1;
      },
    );
  }
  if (report.summary.withoutControl > 0 || figures.withoutControl > 0) {
    distinct += await recordsSection(
      sink,
      {
        id: 'none',
        heading: 'Records that evidence no control',
        meta: `<b>${plural(report.summary.withoutControl, 'record', 'records')}</b> · requests cancelled because they no longer applied, attestations snoozed by an approved exception: listed so the report holds every record of the period.`,
        expected: report.summary.withoutControl,
      },
      only(report.records(), (record) => record.controls.length === 0),
      () => {},
    );
  }
  await sink.write(policiesSection(report.policies));
  await sink.write(
    `<footer><p>Produced by Steward on ${escapeHtml(utcMinute(report.generatedAt))}${source.database === undefined ? '' : ` from <code>${escapeHtml(source.database)}</code>`} with ` +
      `<code>steward evidence --from ${escapeHtml(period.from)} --to ${escapeHtml(period.to)} --format html</code>.</p></footer>\n</main></body></html>\n`,
  );
  await sink.flush();
  return distinct;
}
