import type { AuditEntry, AuditTrail } from '../../src/ports/store.js';
import { formatMinute } from './render-tick.js';

const str = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : null);
const day = (value: unknown) => str(value)?.slice(0, 10) ?? '?';

const outcomeWords: Record<string, string> = {
  attested: 'confirmed',
  disputed: 'said it is not theirs',
  decommission_requested: 'asked to decommission it',
  snoozed: 'snoozed it',
};

const refusalWords: Record<string, string> = {
  not_owner: 'not theirs to answer',
  already_closed: 'already answered or closed',
  unknown_person: 'not a person Steward knows',
  not_found: 'no such attestation',
  bad_request: 'the answer itself was refused',
  not_queued: 'it was not waiting for an owner',
  not_in_team: 'not in the owning team',
  needs_team: 'no team named',
  not_approver: 'not an approver of it',
  own_request: 'their own request (separation of duties)',
  already_decided: 'already decided',
  already_voted: 'they had already decided',
  not_offered_to_you: 'not offered to them',
  not_allowed: 'not theirs to ask for',
  duplicate: 'one was already pending',
  no_approver: 'nobody else could approve it',
};

const kindNames: Record<string, string> = { scope_change: 'scope change', rotation: 'rotation', decommission: 'decommission', ownership_transfer: 'ownership transfer', exception: 'exception' };
const request = (d: Readonly<Record<string, unknown>>) => `request #${str(d.request)}${str(d.kind) ? ` (${kindNames[String(d.kind)] ?? String(d.kind)})` : ''}`;
const why = (value: unknown) => (str(value) ? `: ${str(value)}` : '');

/** What a request asks, from its payload as the audit event holds it. */
function asked(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return '';
  const p = payload as Record<string, unknown>;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String).join(' ') || '(none)' : '?');
  switch (p.kind) {
    case 'scope_change':
      return ` scopes ${list(p.previous)} → ${list(p.scopes)}`;
    case 'ownership_transfer':
      return ` to ${str(p.to)} (${str(p.toTeam)})`;
    case 'exception':
      return p.what === 'waive_gate' ? ` waiving ${str(p.rule)} until ${day(p.until)}` : ` due ${day(p.until)}`;
    default:
      return '';
  }
}

function answered(d: Readonly<Record<string, unknown>>): string {
  const parts = [`${outcomeWords[String(d.outcome)] ?? String(d.outcome)}${str(d.onBehalfOf) ? ` for ${str(d.onBehalfOf)}` : ''} (attestation ${str(d.attestation)})`];
  if (d.changes && typeof d.changes === 'object') {
    for (const [field, change] of Object.entries(d.changes as Record<string, unknown>))
      if (Array.isArray(change)) parts.push(`${field}: "${String(change[0] ?? '')}" → "${String(change[1])}"`);
  }
  if (str(d.snoozedUntil)) parts.push(`until ${day(d.snoozedUntil)}`);
  if (str(d.suggestedOwner)) parts.push(`suggests ${str(d.suggestedOwner)}`);
  if (str(d.note)) parts.push(`note: ${str(d.note)}`);
  return parts.join('; ');
}

/** One audit event in words; an action this version does not know is shown with its raw details. */
export function describeEvent(event: Pick<AuditEntry, 'action' | 'details'>): string {
  const d = event.details;
  switch (event.action) {
    case 'attestation.opened':
      return `asked ${str(d.person)} to confirm it (attestation ${str(d.attestation)}), due ${day(d.dueAt)}`;
    case 'attestation.reminded':
      return `reminded ${str(d.person) ?? 'nobody'} (reminder ${str(d.reminder)})`;
    case 'attestation.escalated':
      return `escalated to ${str(d.recipient) ?? str(d.to)} (level ${str(d.level)})`;
    case 'attestation.expired':
      return `nobody answered: attestation ${str(d.attestation)} expired`;
    case 'attestation.superseded':
      return `withdrew attestation ${str(d.attestation)}: ${str(d.why)}`;
    case 'attestation.answered':
      return answered(d);
    case 'attestation.answer_refused':
      return `refused an answer: ${refusalWords[String(d.code)] ?? String(d.code)}`;
    case 'queue.added':
      return `put in the ${str(d.queue)} queue: ${String(d.reason).replaceAll('_', ' ')}${str(d.detail) ? ` (${str(d.detail)})` : ''}`;
    case 'queue.resolved':
      return `left the queue: ${str(d.why)}`;
    case 'queue.claim_refused':
      return `refused a claim: ${refusalWords[String(d.code)] ?? String(d.code)}`;
    case 'credential.expiry_warned':
      return Number(d.offsetDays) > 0 ? `warned: expires ${day(d.expiresAt)} (the ${str(d.offsetDays)}-day warning)` : `warned: expired on ${day(d.expiresAt)}`;
    case 'credential.flagged':
      return `flagged: ${str(d.detail)}`;
    case 'credential.unflagged':
      return `flag cleared: ${String(d.code).replaceAll('_', ' ')}`;
    case 'item.owner_changed': {
      const to = d.to && typeof d.to === 'object' ? (d.to as Record<string, unknown>) : {};
      const who = [str(to.team), str(to.accountable)].filter(Boolean).join(' / ');
      return `owner changed${str(d.reason) ? ` (${str(d.reason)})` : ''}${who ? `: now ${who}` : ''}`;
    }
    case 'approval.requested':
      return `asked for ${request(d)}${asked(d.payload)}${why(d.justification)}`;
    case 'approval.request_refused':
      return `refused a request: ${refusalWords[String(d.code)] ?? String(d.code)}`;
    case 'approval.posted':
      return `posted ${request(d)} for its approvers${str(d.requestedBy) ? ` (asked by ${str(d.requestedBy)})` : ''}`;
    case 'approval.voted':
      return `${d.vote === 'reject' ? 'rejected' : 'approved'} ${request(d)}${str(d.onBehalfOf) ? ` for ${str(d.onBehalfOf)}` : ''}${why(d.reason)}`;
    case 'approval.decision_refused':
      return `refused a decision on request #${str(d.request)}: ${refusalWords[String(d.code)] ?? String(d.code)}`;
    case 'approval.decided':
      return `${request(d)} ${str(d.status)}${why(d.reason)}`;
    case 'approval.reminded':
      return `reminded ${str(d.to) || 'nobody'} of request #${str(d.request)} (reminder ${str(d.reminder)})`;
    case 'approval.escalated':
      return `escalated request #${str(d.request)} to ${str(d.to)} (level ${str(d.level)})`;
    case 'transfer.accepted':
      return `accepted ${request(d)}`;
    case 'transfer.declined':
      return `declined ${request(d)}${why(d.reason)}`;
    case 'transfer.reminded':
      return `reminded ${str(d.to)} of the transfer offered (request #${str(d.request)}, reminder ${str(d.reminder)})`;
    case 'transfer.escalated':
      return `escalated the unanswered transfer (request #${str(d.request)}) to ${str(d.to)} (level ${str(d.level)})`;
    case 'item.scopes_changed':
      return `scopes changed by request #${str(d.request)}: ${Array.isArray(d.from) ? d.from.join(' ') || '(none)' : '?'} → ${Array.isArray(d.to) ? d.to.join(' ') : '?'}`;
    case 'item.decommissioned':
      return `decommissioned by request #${str(d.request)}`;
    case 'item.due_extended':
      return `next attestation due ${day(d.until)} by exception (request #${str(d.request)})`;
    case 'item.approved_state_cleared':
      return `the source now agrees with request #${str(d.requestId)} (${str(d.field)}): the import is authoritative again`;
    case 'item.updated':
      return `facts changed by an import: ${d.changes && typeof d.changes === 'object' ? Object.keys(d.changes).join(', ') : '?'}`;
    default:
      return `${event.action} ${JSON.stringify(d)}`;
  }
}

/** `history <ref>`: the item's audit trail, one event a line, oldest first. */
export function renderHistory(heading: string, trail: AuditTrail): string {
  if (trail.events.length === 0) return `${heading}: no audit events yet.`;
  const width = Math.min(32, Math.max(...trail.events.map((e) => e.actor.length)));
  const shown = trail.total > trail.events.length ? ` (the last ${trail.events.length} shown)` : '';
  return [
    `${heading}: ${trail.total} audit event${trail.total === 1 ? '' : 's'}${shown}`,
    ...trail.events.map((e) => `  ${formatMinute(e.at)}  ${e.actor.padEnd(width)}  ${describeEvent(e)}`),
  ].join('\n');
}
