import type { EvidenceRecord } from '../../src/evidence/evidence-record.js';
import { escapeHtml, htmlId } from './html-escape.js';
import { isOnTime } from './html-summary.js';

/** `2026-03-04T09:15:30.000Z` → `2026-03-04 09:15 UTC`; anything else is shown as it came. */
export function utcMinute(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/** `2026-12-01T00:00:00.000Z` → `2026-12-01`; another time to the minute; other text as it is. */
function when(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(text)) return text;
  return /T00:00(:00(\.0+)?)?Z$/.test(text) ? text.slice(0, 10) : utcMinute(text);
}

/** A fact's value in a few words: dates as dates, lists joined, anything else as JSON. */
function factValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : when(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(factValue).join(', ');
  return JSON.stringify(value);
}

const words = (text: string) => text.replaceAll('_', ' ');

/** A fact's label as words: `recoveryProcedure` → `recovery procedure`, `queued_because` → `queued because`. */
const label = (key: string) => words(key.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a} ${b.toLowerCase()}`));

function person(email: string | null, none: string): string {
  return email === null ? `<span class="sub">${none}</span>` : escapeHtml(email);
}

/** Who acted: the person, for whom when a stand-in acted, and who asked for it (approvals). */
function actorCell(record: EvidenceRecord): string {
  const parts = [person(record.by, record.type === 'attestation' ? 'nobody answered' : record.type === 'claim' ? 'nobody' : 'nobody decided')];
  if (record.onBehalfOf !== null) parts.push(`<span class="sub">for ${escapeHtml(record.onBehalfOf)}</span>`);
  if (record.requestedBy !== null) parts.push(`<span class="sub">asked by ${escapeHtml(record.requestedBy)}</span>`);
  // Two approvers (restricted data), or a say given by someone other than who closed it: each say, as it was given.
  const oneSayByCloser = record.votes.length === 1 && record.votes[0]?.by === record.by && record.votes[0]?.onBehalfOf === record.onBehalfOf;
  if (record.votes.length > 0 && !oneSayByCloser) {
    parts.push('<span class="sub"><b>votes</b></span>');
    for (const vote of record.votes) {
      const forWhom = vote.onBehalfOf === null ? '' : ` for ${escapeHtml(vote.onBehalfOf)}`;
      const reason = vote.reason === null || vote.reason === '' ? '' : `: “${escapeHtml(vote.reason)}”`;
      parts.push(`<span class="sub">${escapeHtml(vote.by)}${forWhom} ${vote.vote === 'approve' ? 'approved' : 'rejected'}${reason}</span>`);
    }
  }
  return parts.join('<br>');
}

/** The outcome, and for a record with a due time whether it was met: "on time", "late", or unanswered. */
function outcomeCell(record: EvidenceRecord): string {
  const kind = record.kind === null ? '' : `<br><span class="sub">${escapeHtml(words(record.kind))}</span>`;
  let timing = '';
  if (record.dueAt !== null) {
    if (record.by === null) timing = `<br><span class="missed">due ${escapeHtml(utcMinute(record.dueAt))}</span>`;
    else if (isOnTime(record)) timing = '<br><span class="ontime">on time</span>';
    else timing = `<br><span class="late">late (due ${escapeHtml(utcMinute(record.dueAt))})</span>`;
  }
  return `<span class="outcome">${escapeHtml(words(record.outcome))}</span>${kind}${timing}`;
}

/** The facts attested or the request's payload, each `label value`, then the reason or note given. */
function factsCell(record: EvidenceRecord): string {
  const facts = Object.entries(record.facts).map(([key, value]) => `<span class="fact"><b>${escapeHtml(label(key))}</b> ${escapeHtml(factValue(value))}</span>`);
  if (record.reason !== null && record.reason !== '') facts.push(`<span class="fact"><b>note</b> ${escapeHtml(record.reason)}</span>`);
  return facts.length === 0 ? '<span class="sub">—</span>' : facts.join('');
}

/** The columns of a control's table, in order, with their widths: the same in every table, however long its rows. */
export const recordColumns = [
  ['When', '9.5em'],
  ['Record', '7.5em'],
  ['Item', '11%'],
  ['Owner at the time', '14%'],
  ['Answered or decided by', '14%'],
  ['Outcome', '11em'],
  ['Facts attested', 'auto'],
  ['Policy', '9em'],
] as const;

/** One record as one compact table row; every value from the database is escaped. */
export function recordRow(record: EvidenceRecord): string {
  const owner = record.owner.team === null && record.owner.accountable === null
    ? '<span class="missed">no owner</span>'
    : `${record.owner.team === null ? '<span class="sub">no team</span>' : escapeHtml(record.owner.team)}<br>${person(record.owner.accountable, 'nobody accountable')}`;
  const kind = record.item.kind === 'api' ? 'API' : 'identity';
  // The ref is what `steward who` and the other exports name it by: shown when the name is not the ref itself.
  const item = `${escapeHtml(record.item.name)}<br><span class="sub">${record.item.name === record.item.ref ? kind : `${kind} ${escapeHtml(record.item.ref)}`}</span>`;
  const policy = record.policyVersion === null
    ? '<span class="sub">—</span>'
    : `<a href="#${htmlId('policy', record.policyVersion)}"><code>${escapeHtml(record.policyVersion)}</code></a>`;
  return (
    `<tr><td class="when">${escapeHtml(utcMinute(record.at))}</td>` +
    `<td>${escapeHtml(record.type)}<br><span class="sub">${escapeHtml(record.id)}</span></td>` +
    `<td>${item}</td><td>${owner}</td><td>${actorCell(record)}</td><td>${outcomeCell(record)}</td>` +
    `<td class="facts-cell">${factsCell(record)}</td><td>${policy}</td></tr>\n`
  );
}
