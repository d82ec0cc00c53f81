import { askedChange, describeRequest, type StoredApproval } from '../../src/approvals/approval-request.js';
import { outcomeWords } from '../../src/approvals/approval-messages.js';

const day = (iso: string) => iso.slice(0, 10);

/** Who a request waits for, or who decided it. */
function standing(request: StoredApproval): string {
  if (request.status !== 'pending') {
    const by = request.votes.filter((v) => v.vote === (request.status === 'approved' ? 'approve' : 'reject')).map((v) => `${v.person.email}${v.onBehalfOf ? ` for ${v.onBehalfOf.email}` : ''}`);
    const accepted = request.offer === 'accepted' || request.offer === 'declined' ? [request.payload.kind === 'ownership_transfer' ? request.payload.to : 'the proposed owner'] : [];
    const names = [...by, ...accepted].join(' and ') || (request.decidedBy?.email ?? null);
    return outcomeWords(request.status, names, request.decidedAt ?? request.requestedAt, request.decisionReason);
  }
  const approvals = request.votes.filter((v) => v.vote === 'approve').length;
  const waiting: string[] = [];
  const from = request.approvers.map((p) => p.email).join(' or ');
  if (request.needed > 0)
    waiting.push(
      approvals === 0
        ? `${request.needed === 1 ? 'an approval' : `${request.needed} approvals`} from ${from}`
        : `${request.needed - approvals} more approval${request.needed - approvals === 1 ? '' : 's'} (${approvals} of ${request.needed} given) from ${from}`,
    );
  if (request.offer === 'offered' && request.payload.kind === 'ownership_transfer') waiting.push(`${request.payload.to} to accept`);
  return `Pending: waiting for ${waiting.join(', and ') || 'nobody'}`;
}

/** One request in a few lines: what, who asked and why, where it stands. */
export function renderApproval(request: StoredApproval): string {
  return [
    `${describeRequest(request)} — ${request.status}`,
    `  Change:    ${askedChange(request.payload, request.item)}`,
    `  Asked by:  ${request.requester.email} on ${day(request.requestedAt)}${request.justification ? `: ${request.justification}` : ''}`,
    `  ${standing(request)}`,
  ].join('\n');
}

/** `approvals`: the requests, newest first, and how many more there are. */
export function renderApprovals(requests: readonly StoredApproval[], total: number, pendingOnly: boolean): string {
  if (requests.length === 0) return pendingOnly ? 'No request is waiting for a decision.' : 'No request has been made yet.';
  const more = total > requests.length ? [`… and ${total - requests.length} more (--json lists them as data; --item REF narrows to one item)`] : [];
  return [...requests.map(renderApproval), ...more].join('\n\n');
}

/** A request as data for `approvals --json`: people by email. */
export function approvalRecord(request: StoredApproval): Record<string, unknown> {
  return {
    id: request.id,
    kind: request.kind,
    status: request.status,
    item: { kind: request.item.kind, ref: request.item.ref },
    requester: request.requester.email,
    requestedAt: request.requestedAt,
    justification: request.justification,
    payload: request.payload,
    approvers: request.approvers.map((p) => p.email),
    needed: request.needed,
    offer: request.offer,
    votes: request.votes.map((v) => ({ by: v.person.email, onBehalfOf: v.onBehalfOf?.email ?? null, vote: v.vote, at: v.at, reason: v.reason })),
    decidedAt: request.decidedAt,
    decidedBy: request.decidedBy?.email ?? null,
    reason: request.decisionReason,
    policyVersion: request.policyVersion,
  };
}
