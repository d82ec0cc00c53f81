import type { GateFinding } from '../../src/gate/check-release.js';
import { formatLocation, formatProblem } from '../../src/inventory/source-location.js';
import type { ImportReport, ItemList, SourceReport } from '../../src/ports/store.js';
import { formatDay } from './render-who.js';

type Counts = { created: number; updated: number; unchanged: number; vanished?: number; reappeared?: number };

/** "2 created, 1 updated…" for an import that was written; "2 to create, 1 to update…" for a dry run. */
function counts(c: Counts, written: boolean): string {
  const parts = written
    ? [`${c.created} created`, `${c.updated} updated`, `${c.unchanged} unchanged`]
    : [`${c.created} to create`, `${c.updated} to update`, `${c.unchanged} unchanged`];
  if (c.vanished !== undefined) parts.push(written ? `${c.vanished} vanished` : `${c.vanished} to flag vanished`);
  if (c.reappeared) parts.push(written ? `${c.reappeared} reappeared` : `${c.reappeared} to reappear`);
  return parts.join(', ');
}

function renderSource(report: SourceReport, written: boolean): string[] {
  const lines = [
    `${report.source} (${report.format})`,
    `  APIs:        ${counts(report.apis, written)}`,
    `  Identities:  ${counts(report.identities, written)}`,
    `  Teams:       ${counts(report.teams, written)}`,
    `  People:      ${counts(report.people, written)}`,
  ];
  if (report.ownershipChanges > 0) lines.push(`  Ownership changes: ${report.ownershipChanges}`);
  if (report.suggestions > 0) lines.push(`  Owner suggestions: ${report.suggestions}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return [...lines, ...renderDrift(report.drift), ...renderFindings(report)];
}

type Finding = SourceReport['findings'][number];

/** Up to this many findings of one kind are all shown; past it, the first few and a count. */
const shownInFull = 5;
const shownOfMany = 3;
const thousands = new Intl.NumberFormat('en-US');

/**
 * One line per finding, `severity: file:line: message`, except that a kind of finding (its code) repeated more
 * than a handful of times shows its first few and a count: a 200,000-user credential report would otherwise
 * print tens of thousands of the same note. `listAll` says how to see every one.
 */
export function renderFindingLines(findings: readonly Finding[], listAll: string, indent = '  '): string[] {
  const byCode = new Map<string, Finding[]>();
  for (const finding of findings) {
    const same = byCode.get(finding.code);
    if (same === undefined) byCode.set(finding.code, [finding]);
    else same.push(finding);
  }
  return [...byCode].flatMap(([code, same]) => {
    const shown = same.length <= shownInFull ? same : same.slice(0, shownOfMany);
    const lines = shown.map((finding) => `${indent}${finding.severity}: ${formatLocation(finding.at)}: ${finding.message}`);
    const more = same.length - shown.length;
    if (more > 0) lines.push(`${indent}… and ${thousands.format(more)} more like these (${code}: ${thousands.format(same.length)} in all); ${listAll}`);
    return lines;
  });
}

function renderFindings(report: SourceReport): string[] {
  return renderFindingLines(report.findings, 'add --dry-run --json to the same import to list every one');
}

/** Drift lines shown before the rest are counted: an approval is rare, but a source rolled back can contradict many. */
const driftShown = 10;

/**
 * Each approved value the source contradicts, which the item kept: `identity:ci-deployer scopes: the source says read;
 * approved request #12 set read write — kept; fix the source`. Shown on every import while it lasts.
 */
function renderDrift(drift: SourceReport['drift']): string[] {
  if (drift.length === 0) return [];
  const lines = [`  Approved changes the source contradicts: ${thousands.format(drift.length)}`];
  for (const d of drift.slice(0, driftShown)) {
    lines.push(`    ${d.kind}:${d.ref} ${d.field}: the source says ${d.source}; approved request #${d.requestId} set ${d.approved} — kept; fix the source`);
  }
  if (drift.length > driftShown) lines.push(`    … and ${thousands.format(drift.length - driftShown)} more; add --dry-run --json to the same import to list every one`);
  return lines;
}

/**
 * What `import` prints: per source, the counts and warnings, then whether anything was written. A refused
 * import shows no counts (nothing happened, and "3 created" would read as if it had): only its warnings and
 * every reason for the refusal.
 */
export function renderImportReport(report: ImportReport): string {
  if (report.invalid > 0) {
    const lines = report.sources.flatMap((source) => {
      const findings = renderFindings(source);
      return findings.length === 0 ? [] : [`${source.source} (${source.format})`, ...findings];
    });
    const entries = `${report.invalid} invalid entr${report.invalid === 1 ? 'y' : 'ies'}`;
    lines.push(`Refused: ${entries} (${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}); nothing was written.`);
    for (const problem of report.problems) lines.push(`  ${formatProblem(problem)}`);
    if (report.problemCount > report.problems.length) lines.push(`  … and ${report.problemCount - report.problems.length} more`);
    return lines.join('\n');
  }
  const lines = report.sources.flatMap((source) => renderSource(source, report.applied));
  lines.push(report.applied ? 'Imported.' : 'Dry run: the import is valid; nothing was written.');
  return lines.join('\n');
}

export function renderList(list: ItemList, now: Date): string {
  if (list.items.length === 0) return 'No items match.';
  const rows = list.items.map((item) => [
    item.kind,
    item.ref,
    item.team ?? '—',
    item.accountable ?? '—',
    item.expiresAt === null ? '' : `${formatDay(item.expiresAt)}${Date.parse(item.expiresAt) < now.getTime() ? ' expired' : ''}`,
    item.vanished ? 'vanished' : '',
  ]);
  const header = ['KIND', 'REF', 'TEAM', 'ACCOUNTABLE', 'EXPIRES', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const footer = list.total > list.items.length ? `${list.items.length} of ${list.total} items shown` : `${list.total} item${list.total === 1 ? '' : 's'}`;
  return [format(header), ...rows.map(format), footer].join('\n');
}

/** One finding per line, `file:line: ref: problem`, the form CI log viewers and editors link. */
export function renderGateFindings(findings: readonly GateFinding[]): string {
  return findings.map((f) => `${formatLocation(f.at)}: ${f.ref}: ${f.problem}`).join('\n');
}
