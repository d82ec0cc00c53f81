import type { GateFinding } from '../../src/gate/check-release.js';
import { formatLocation, formatProblem } from '../../src/inventory/source-location.js';
import type { ImportReport, ItemList, SourceReport } from '../../src/ports/store.js';
import { formatDay } from './render-who.js';

function counts(c: { created: number; updated: number; unchanged: number; vanished?: number; reappeared?: number }): string {
  const parts = [`${c.created} created`, `${c.updated} updated`, `${c.unchanged} unchanged`];
  if (c.vanished !== undefined) parts.push(`${c.vanished} vanished`);
  if (c.reappeared) parts.push(`${c.reappeared} reappeared`);
  return parts.join(', ');
}

function renderSource(report: SourceReport): string[] {
  const lines = [
    `${report.source} (${report.format})`,
    `  APIs:        ${counts(report.apis)}`,
    `  Identities:  ${counts(report.identities)}`,
    `  Teams:       ${counts(report.teams)}`,
    `  People:      ${counts(report.people)}`,
  ];
  if (report.ownershipChanges > 0) lines.push(`  Ownership changes: ${report.ownershipChanges}`);
  if (report.suggestions > 0) lines.push(`  Owner suggestions: ${report.suggestions}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const finding of report.findings) lines.push(`  ${finding.severity}: ${formatLocation(finding.at)}: ${finding.message}`);
  return lines;
}

/** What `import` prints: per source, the counts and warnings; then whether anything was written, and why not. */
export function renderImportReport(report: ImportReport): string {
  const lines = report.sources.flatMap(renderSource);
  if (report.invalid > 0) {
    lines.push(`Refused: ${report.invalid} invalid entr${report.invalid === 1 ? 'y' : 'ies'} (${report.problemCount} problem${report.problemCount === 1 ? '' : 's'}); nothing was written.`);
    for (const problem of report.problems) lines.push(`  ${formatProblem(problem)}`);
    if (report.problemCount > report.problems.length) lines.push(`  … and ${report.problemCount - report.problems.length} more`);
  } else if (report.dryRun) lines.push('Dry run: the import is valid; nothing was written.');
  else lines.push('Imported.');
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
