import type { TickPerson } from '../attestation/tick-state.js';
import { personAddressee, securityAddressee, teamChannelAddressee } from '../messages/attestation-messages.js';
import type { Addressee, MessageAction, MessageFact, MessageSection, PlannedMessage } from '../messages/outgoing-message.js';
import { askedChange, describeRequest, isDestructive, kindWords, type ApprovalItem, type ApprovalKind, type ApprovalPayload, type ApprovalStatus, type Dependent } from './approval-request.js';

/** What the messages about one request show: the request as it stands, with its item and people. */
export interface RequestView {
  readonly id: number;
  readonly kind: ApprovalKind;
  readonly item: ApprovalItem;
  readonly requester: TickPerson;
  readonly requestedAt: string;
  readonly justification: string | null;
  readonly payload: ApprovalPayload;
  readonly approvers: readonly TickPerson[];
  readonly needed: number;
  readonly why: string;
  readonly dependents: readonly Dependent[];
}

const day = (iso: string) => iso.slice(0, 10);
const who = (person: TickPerson) => person.email;
const itemWord = (item: Pick<ApprovalItem, 'kind'>) => (item.kind === 'api' ? 'API' : 'identity');

/** A dependent as a line: `api orders-api (depends on it; owner ana@example.com, team payments)`. */
function dependentLine(d: Dependent): string {
  const owner = d.accountable ? `owner ${d.accountable.email}` : 'no owner';
  return `${d.kind === 'api' ? 'API' : 'identity'} ${d.ref} (${d.how}; ${owner}${d.team ? `, team ${d.team}` : ''})`;
}

/** The facts every message about a request shows, the change first. */
export function requestFacts(view: RequestView): MessageFact[] {
  const facts: MessageFact[] = [
    { label: 'Change', value: askedChange(view.payload, view.item) },
    { label: 'Asked by', value: `${who(view.requester)} on ${day(view.requestedAt)}` },
    { label: 'Why', value: view.justification ?? 'no reason given' },
  ];
  if (view.needed > 0)
    facts.push({ label: 'Approvers', value: `${view.approvers.map(who).join(', ')} (${view.needed === 1 ? 'one approval' : `${view.needed} approvals`} needed). ${view.why}` });
  else facts.push({ label: 'Approvers', value: view.why });
  if (view.kind === 'decommission') {
    facts.push({ label: 'Depends on it', value: view.dependents.length === 0 ? 'nothing Steward knows of' : view.dependents.map(dependentLine).join('; ') });
    facts.push({ label: view.item.kind === 'identity' ? 'Revocation' : 'Revocation path', value: view.item.revocationPath ?? view.item.recoveryProcedure ?? 'not recorded' });
  }
  if (view.item.kind === 'identity' && view.kind !== 'scope_change') facts.push({ label: 'Scopes', value: view.item.scopes.length > 0 ? view.item.scopes.join(', ') : 'not recorded' });
  return facts;
}

export function approvalActions(requestId: number): MessageAction[] {
  const value = String(requestId);
  return [
    { id: 'approval.approve', label: 'Approve', value, style: 'primary' },
    { id: 'approval.reject', label: 'Reject', value, style: 'danger' },
  ];
}

export function offerActions(requestId: number): MessageAction[] {
  const value = String(requestId);
  return [
    { id: 'transfer.accept', label: 'Accept', value, style: 'primary' },
    { id: 'transfer.decline', label: 'Decline', value },
  ];
}

/** The request as one section; one that asks nothing of its reader does not stand for the request (`subjectOf`). */
function requestSection(view: RequestView, actions: readonly MessageAction[], extra: readonly MessageFact[] = [], asks = true): MessageSection {
  const section = { itemId: view.item.id, itemKind: view.item.kind, itemRef: view.item.ref, itemName: view.item.name, facts: [...extra, ...requestFacts(view)], actions };
  return asks ? { ...section, approvalId: view.id } : section;
}

/** Where a request is posted: the owning team's channel, or the security channel (no team channel, or no approver in the team). */
export function requestChannel(view: Pick<RequestView, 'item'>, where: 'team' | 'security', teamHasChannel: boolean, securityChannel: string | null): Addressee {
  const team = view.item.owner.team;
  return where === 'team' && team !== null && teamHasChannel ? teamChannelAddressee(team) : securityAddressee(securityChannel);
}

/**
 * The request in the channel, mentioning its approvers: Approve and Reject for them (everyone else who presses is
 * refused privately). A transfer its owner offers has no approver: the card only shows the channel what is offered.
 */
export function requestCard(view: RequestView, to: Addressee, key = 'posted'): PlannedMessage {
  const destructive = isDestructive(view.kind);
  const text =
    view.needed === 0
      ? `${who(view.requester)} offers ${view.item.ref} to another owner; it changes hands when they accept.`
      : `${who(view.requester)} asks for a ${kindWords[view.kind]}. Only its approvers can decide${destructive ? '; approving asks them to type the item’s ref' : ''}.`;
  return {
    dedupeKey: `approval_request:${view.id}:${key}`,
    addressee: to,
    subjects: [`approval:${view.id}`],
    message: {
      kind: 'approval_request',
      title: view.needed === 0 ? `Ownership transfer offered: ${itemWord(view.item)} ${view.item.ref}` : `Approval needed: ${kindWords[view.kind]} of ${itemWord(view.item)} ${view.item.ref}`,
      text,
      sections: [requestSection(view, view.needed === 0 ? [] : approvalActions(view.id))],
      actions: [],
      mentions: view.approvers.map((p) => ({ personId: p.id, email: p.email, displayName: p.displayName })),
    },
  };
}

/** The proposed owner's Accept / Decline: until they accept, the current owner stays accountable. */
export function offerMessage(view: RequestView, proposed: TickPerson, key = 'offered', lead = ''): PlannedMessage {
  const payload = view.payload;
  const team = payload.kind === 'ownership_transfer' ? payload.toTeam : '';
  return {
    dedupeKey: `transfer_offer:${view.id}:${key}`,
    addressee: personAddressee(proposed),
    subjects: [`offer:${view.id}`],
    message: {
      kind: 'transfer_offer',
      title: `${lead}${who(view.requester)} offers you ${itemWord(view.item)} ${view.item.ref}`,
      text: `Accept to become its accountable person (team ${team}); until you do, ${view.item.owner.accountable?.email ?? 'nobody'} stays accountable. Decline, with a reason, if it is not yours.`,
      sections: [requestSection(view, offerActions(view.id))],
      actions: [],
    },
  };
}

/** An approver reminded (or the next rung told) of a request still waiting; approvers get its buttons. */
export function approvalReminder(view: RequestView, to: Addressee, key: string, since: string, canDecide: boolean, waitingOn?: string): PlannedMessage {
  return {
    dedupeKey: `approval_reminder:${view.id}:${key}`,
    addressee: to,
    subjects: canDecide ? [`approval:${view.id}`] : [],
    message: {
      kind: 'approval_reminder',
      title: `Waiting for a decision: ${describeRequest(view)}`,
      text: canDecide
        ? 'You are an approver of this request; it waits for your decision.'
        : waitingOn !== undefined
          ? `${waitingOn} has not answered the offer. Please chase them; until they accept, the item stays with its owner.`
          : 'Its approvers have not decided. Please chase them, or have someone else named to decide.',
      sections: [requestSection(view, canDecide ? approvalActions(view.id) : [], [{ label: 'Waiting since', value: day(since) }], canDecide)],
      actions: [],
    },
  };
}

/** The owners of what depends on an item told of its decommission before the approver decides. */
export function blastRadiusNotices(view: RequestView): PlannedMessage[] {
  const byPerson = new Map<number, { person: TickPerson; items: Dependent[] }>();
  for (const d of view.dependents) {
    if (!d.accountable?.active || d.accountable.id === view.requester.id) continue;
    const entry = byPerson.get(d.accountable.id) ?? { person: d.accountable, items: [] };
    entry.items.push(d);
    byPerson.set(d.accountable.id, entry);
  }
  return [...byPerson.values()].map(({ person, items }) => ({
    dedupeKey: `approval_notice:${view.id}:${person.id}`,
    addressee: personAddressee(person),
    subjects: [],
    message: {
      kind: 'approval_notice',
      title: `${itemWord(view.item)} ${view.item.ref} may be decommissioned`,
      text: `${who(view.requester)} asked to decommission it. What you own depends on it: tell ${view.approvers.map(who).join(' or ') || 'its approvers'} before they decide.`,
      sections: [
        {
          itemId: view.item.id,
          itemKind: view.item.kind,
          itemRef: view.item.ref,
          itemName: view.item.name,
          facts: [
            { label: 'Request', value: `${describeRequest(view)}, asked ${day(view.requestedAt)}` },
            { label: 'Affects', value: items.map(dependentLine).join('; ') },
            { label: 'Why', value: view.justification ?? 'no reason given' },
          ],
          actions: [],
        },
      ],
      actions: [],
    },
  }));
}

/** How a request ended, in the words on its card and in the requester's receipt. */
export function outcomeWords(status: ApprovalStatus, by: string | null, at: string, reason: string | null): string {
  const why = reason ? `: ${reason}` : '';
  switch (status) {
    case 'approved':
      return `Approved by ${by ?? 'its approvers'} on ${day(at)}${why}`;
    case 'rejected':
      return `Rejected by ${by ?? 'an approver'} on ${day(at)}${why}`;
    case 'expired':
      return `Expired undecided on ${day(at)}; nothing changed`;
    case 'cancelled':
      return `Cancelled on ${day(at)}${why}`;
    case 'pending':
      return 'Pending';
  }
}

/** The accountable person told that someone else (their backup, the approver, the lead, an admin) offered their item on. */
export function transferNotice(view: RequestView, accountable: TickPerson): PlannedMessage {
  const to = view.payload.kind === 'ownership_transfer' ? view.payload.to : 'someone else';
  return {
    dedupeKey: `approval_notice:${view.id}:accountable`,
    addressee: personAddressee(accountable),
    subjects: [],
    message: {
      kind: 'approval_notice',
      title: `${who(view.requester)} offered ${itemWord(view.item)} ${view.item.ref} to ${to}`,
      text: `You are accountable for it until ${to} accepts${view.needed > 0 ? ` and ${view.approvers.map(who).join(' or ')} approves` : ''}. If it should stay yours, tell them before it is decided.`,
      sections: [{ itemId: view.item.id, itemKind: view.item.kind, itemRef: view.item.ref, itemName: view.item.name, facts: requestFacts(view).slice(0, 3), actions: [] }],
      actions: [],
    },
  };
}

/** The requester told privately how their request ended. */
export function receiptMessage(view: RequestView, status: ApprovalStatus, text: string): PlannedMessage {
  return {
    dedupeKey: `approval_receipt:${view.id}:${status}`,
    addressee: personAddressee(view.requester),
    subjects: [],
    message: {
      kind: 'approval_receipt',
      title: `Your request ${describeRequest(view)}: ${status}`,
      text,
      sections: [{ itemId: view.item.id, itemKind: view.item.kind, itemRef: view.item.ref, itemName: view.item.name, facts: requestFacts(view).slice(0, 3), actions: [] }],
      actions: [],
    },
  };
}

/** The decision as JSON for the decision webhook: what changed, decided by whom, under which policy. */
export function decisionEvent(
  view: RequestView,
  decision: { readonly status: ApprovalStatus; readonly at: string; readonly decidedBy: readonly string[]; readonly reason: string | null; readonly policyVersion: string },
): PlannedMessage {
  const event = {
    type: 'approval.decided',
    id: `approval-${view.id}-${decision.status}`,
    request: {
      id: view.id,
      kind: view.kind,
      status: decision.status,
      item: { kind: view.item.kind, ref: view.item.ref, name: view.item.name },
      requester: view.requester.email,
      requestedAt: view.requestedAt,
      justification: view.justification,
      approvers: view.approvers.map(who),
      decidedBy: decision.decidedBy,
      decidedAt: decision.at,
      reason: decision.reason,
      payload: view.payload,
    },
    policyVersion: decision.policyVersion,
  };
  return {
    dedupeKey: `approval_decision:${view.id}:${decision.status}`,
    addressee: { kind: 'webhook' },
    subjects: [],
    message: { kind: 'approval_decision', title: `${describeRequest(view)} ${decision.status}`, text: outcomeWords(decision.status, decision.decidedBy.join(', ') || null, decision.at, decision.reason), sections: [], actions: [], event },
  };
}
