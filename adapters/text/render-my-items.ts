import { kindWords } from '../../src/approvals/approval-request.js';
import { factsOf } from '../../src/messages/attestation-messages.js';
import type { ItemSummary } from '../../src/model/index.js';
import type { MyItems, PendingAttestation } from '../../src/queries/my-items.js';
import { formatDay } from './render-who.js';

export interface MyItemsTextOptions {
  /** How the user types a command here: `/steward attest` in chat, `attest` on the console. */
  readonly command: (words: string) => string;
  /** At most this many items of each group (chat answers must stay short); all when absent. */
  readonly limit?: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function heading(item: { kind: 'api' | 'identity'; ref: string; name: string }): string {
  return `${item.ref} (${item.kind === 'api' ? 'API' : 'identity'})${item.name !== item.ref ? ` — ${item.name}` : ''}`;
}

function pendingLines(pending: PendingAttestation): string[] {
  const facts = factsOf(pending.kind, pending.facts);
  const width = Math.max(0, ...facts.map((f) => f.label.length));
  return [
    `  ${heading(pending)} · due ${formatDay(pending.dueAt)}${pending.asBackup ? ' · you are the backup' : ''}`,
    ...facts.map((f) => `      ${f.label.padEnd(width)}  ${f.value}`),
  ];
}

function itemLine(item: ItemSummary, showAccountable: boolean): string {
  const parts = [heading(item), item.team ?? 'no team'];
  if (showAccountable) parts.push(`accountable ${item.accountable ?? 'nobody'}`);
  if (item.expiresAt !== null) parts.push(`expires ${formatDay(item.expiresAt)}`);
  return `  ${parts.join(' · ')}`;
}

function group<T>(title: string, items: readonly T[], lines: (item: T) => string[], limit: number | undefined, more: string): string[] {
  if (items.length === 0) return [];
  const shown = limit === undefined ? items : items.slice(0, limit);
  const rest = items.length - shown.length;
  return ['', `${title}:`, ...shown.flatMap(lines), ...(rest > 0 ? [`  … and ${rest} more ${more}`] : [])];
}

/**
 * `mine` as text: what waits for the person's answer (with the facts they would confirm), then what they are
 * accountable for and what they back up. Long groups are cut to `limit`, saying how many more there are.
 */
export function renderMyItems(items: MyItems, options: MyItemsTextOptions): string {
  const { person, pending, owned, backing } = items;
  const who = person.displayName ? `${person.displayName} <${person.email}>` : person.email;
  const deciding = (items.decisions ?? []).length;
  const summary = `${who}: ${plural(pending.length, 'attestation')} waiting for your answer${deciding > 0 ? ` · ${plural(deciding, 'request')} waiting for your decision` : ''} · ${plural(owned.length, 'item')} you are accountable for · ${plural(backing.length, 'item')} you back up.`;
  const lines = [summary];
  lines.push(...group('Waiting for your answer', pending, pendingLines, options.limit, '(the soonest due are shown)'));
  if (pending.length > 0) lines.push(`  Confirm the facts as shown with ${options.command('attest <ref> [--note TEXT]')}, or answer with the buttons of the message that asked.`);
  const decisions = items.decisions ?? [];
  lines.push(
    ...group(
      'Waiting for your decision',
      decisions,
      (d) => [`  #${d.requestId} ${kindWords[d.kind]} of ${d.itemKind === 'api' ? 'API' : 'identity'} ${d.ref} · asked by ${d.requestedBy} on ${formatDay(d.requestedAt)}${d.as === 'proposed_owner' ? ' · offered to you' : ''}`],
      options.limit,
      `(${options.command('approvals --pending')} lists them)`,
    ),
  );
  if (decisions.length > 0) lines.push(`  Decide with the buttons of its card, or ${options.command('decide <id> approve|reject|accept|decline [--reason TEXT]')}.`);
  lines.push(...group('You are accountable for', owned, (item) => [itemLine(item, false)], options.limit, `(steward list --owner ${person.email} lists them all)`));
  lines.push(...group('You back up', backing, (item) => [itemLine(item, true)], options.limit, `(steward list --owner ${person.email} lists them all)`));
  if (pending.length + decisions.length + owned.length + backing.length === 0) lines.push('Nothing waits for you, and Steward lists no item you are accountable for or back up.');
  return lines.join('\n');
}
