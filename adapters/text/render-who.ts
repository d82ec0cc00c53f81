import type { Item, ItemDetail, ItemSummary, LinkedItem, PersonSummary } from '../../src/model/index.js';
import type { WhoResult } from '../../src/queries/who-owns.js';

const dayMs = 86_400_000;
const none = '—';

export function formatPerson(person: PersonSummary | null): string {
  if (person === null) return none;
  const who = person.displayName ? `${person.displayName} <${person.email}>` : person.email;
  return person.active ? who : `${who} (inactive)`;
}

export function formatDay(iso: string | null): string {
  return iso === null ? none : iso.slice(0, 10);
}

/** "2027-01-01 (in 34 days)", "2026-10-01 (expired 58 days ago)". */
export function formatExpiry(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  const days = Math.floor((Date.parse(iso) - now.getTime()) / dayMs);
  if (days < 0) return `${formatDay(iso)} (expired ${-days} day${days === -1 ? '' : 's'} ago)`;
  return `${formatDay(iso)} (in ${days} day${days === 1 ? '' : 's'})`;
}

const relationWords: Record<LinkedItem['relation'], { out: string; in: string }> = {
  depends_on: { out: 'depends on', in: 'needed by' },
  serves: { out: 'serves', in: 'served by' },
  calls: { out: 'calls', in: 'called by' },
  acts_as: { out: 'acts as', in: 'assumed by' },
};

function formatLink(link: LinkedItem): string {
  const words = relationWords[link.relation][link.direction];
  const missing = link.name === null && link.direction === 'out' ? ' (not in the inventory)' : '';
  return `${words} ${link.kind} ${link.ref}${missing}`;
}

function ownershipWarnings(item: Item): string[] {
  const owner = item.owner;
  const warnings: string[] = [];
  if (owner.team === null && owner.accountable === null) warnings.push('unowned: no owning team and no accountable person');
  else if (owner.accountable === null) warnings.push(`team-owned, no accountable person yet: ${owner.team?.slug ?? ''} should name one`);
  else if (owner.team === null) warnings.push('no owning team');
  if (owner.accountable && !owner.accountable.active) warnings.push(`the accountable person ${owner.accountable.email} is no longer active`);
  if (item.provenance.vanishedAt !== null) warnings.push(`vanished from ${item.provenance.source} on ${formatDay(item.provenance.vanishedAt)}`);
  return warnings;
}

function factRows(item: Item, now: Date): Array<[string, string]> {
  if (item.kind === 'api') {
    return [
      ['Sensitivity', item.sensitivity ?? none],
      ['Exposure', item.exposure ?? none],
      ['Auth method', item.authMethod ?? none],
      ['Revocation path', item.revocationPath ?? none],
      ['Lifecycle', [item.lifecycle ?? none, item.system ? `system ${item.system}` : ''].filter(Boolean).join(', ')],
    ];
  }
  return [
    ['Kind', `${item.identityKind} (${item.provider}), ${item.status}`],
    ['Scopes', item.scopes.length === 0 ? none : item.scopes.join(' ')],
    ['Expires', formatExpiry(item.expiresAt, now)],
    ['Created', formatDay(item.createdAt)],
    ['Last rotated', formatDay(item.lastRotatedAt)],
    ['Last used', item.lastUsedAt === null ? 'never recorded' : `${formatDay(item.lastUsedAt)}${item.lastUsedService ? ` (${item.lastUsedService})` : ''}`],
    ['Recovery', item.recoveryProcedure ?? none],
  ];
}

/** The full answer to `who` for one item, as the console and the CLI print it. */
export function renderItemDetail(detail: ItemDetail, approver: PersonSummary | null, now: Date): string {
  const { item } = detail;
  const owner = item.owner;
  const team = owner.team ? `${owner.team.slug}${owner.team.name !== owner.team.slug ? ` (${owner.team.name})` : ''}${owner.team.channel ? `, ${owner.team.channel}` : ''}` : none;
  const approverNote = approver && !owner.approver ? ' (team lead, by policy)' : '';
  const rows: Array<[string, string]> = [
    ['Owning team', team],
    ['Accountable', formatPerson(owner.accountable)],
    ['Backup', formatPerson(owner.backup)],
    ['Approver', approver ? `${formatPerson(approver)}${approverNote}` : none],
    ['Purpose', item.purpose ?? none],
    ...factRows(item, now),
    ['Linked', detail.links.length === 0 ? none : detail.links.map(formatLink).join('; ')],
    ['Last attested', detail.lastAttestation ? `${formatDay(detail.lastAttestation.at)} ${detail.lastAttestation.outcome}${detail.lastAttestation.by ? ` by ${detail.lastAttestation.by}` : ''}` : 'never'],
    ['Owner since', formatDay(owner.since)],
    ['Source', `${item.provenance.source} (${item.provenance.sourceKey}), last seen ${formatDay(item.provenance.lastSeenAt)}`],
  ];
  for (const period of detail.history.slice(0, 3))
    rows.push(['Earlier owner', `${period.team ?? none} / ${period.accountable ?? none} until ${formatDay(period.toAt)}`]);
  for (const suggestion of detail.suggestions)
    rows.push(['Suggested owner', `${suggestion.owners.length === 0 ? 'nobody (explicitly unowned)' : suggestion.owners.join(' ')} — ${suggestion.reason} (${suggestion.source})`]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [`${item.ref} (${item.kind === 'api' ? 'API' : 'identity'}) — ${item.name}`, ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width + 1)} ${value}`)];
  for (const warning of ownershipWarnings(item)) lines.push(`  ! ${warning}`);
  return lines.join('\n');
}

export function formatSummary(item: ItemSummary): string {
  return `${item.kind === 'api' ? 'api' : 'identity'}:${item.ref}${item.name !== item.ref ? ` — ${item.name}` : ''}`;
}

export function renderWho(result: WhoResult, now: Date): string {
  switch (result.kind) {
    case 'found':
      return renderItemDetail(result.detail, result.approver, now);
    case 'ambiguous':
      return [
        `"${result.query}" matches ${result.more ? 'more than ' : ''}${result.candidates.length} items; say which:`,
        ...result.candidates.map((c) => `  ${formatSummary(c)}`),
      ].join('\n');
    case 'not_found':
      return result.nearest.length === 0
        ? `Nothing matches "${result.query}".`
        : [`Nothing matches "${result.query}". Did you mean:`, ...result.nearest.map((c) => `  ${formatSummary(c)}`)].join('\n');
  }
}
