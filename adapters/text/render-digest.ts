import type { DigestView } from '../../src/digest/digest-view.js';

/**
 * A digest as plain text (the console, `steward digest --print`): each group's figures in a column with their
 * changes beside them, its notes under them, then the audit trail's head to keep.
 */
export function renderDigest(view: DigestView): string[] {
  const lines: string[] = [];
  for (const group of view.groups) {
    lines.push('', `  ${group.title}`);
    const width = Math.max(0, ...group.rows.map((r) => r.label.length));
    const valueWidth = Math.max(0, ...group.rows.map((r) => r.value.length));
    for (const row of group.rows) lines.push(`    ${row.label.padEnd(width)}  ${row.change === null ? row.value : `${row.value.padEnd(valueWidth)}  (${row.change})`}`.trimEnd());
    for (const note of group.notes ?? []) lines.push(`      ${note}`);
  }
  lines.push('', `  Audit trail head: ${view.anchor.events}:${view.anchor.headHash}`, '  (keep it: `steward audit verify --expect-head` with it proves no event was removed since)');
  return lines;
}
