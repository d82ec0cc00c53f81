import type { FieldError } from '../attestation/answer-fields.js';
import type { TickPerson } from '../attestation/tick-state.js';
import type { PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { decisionEvent, outcomeWords, receiptMessage, type RequestView } from './approval-messages.js';
import { askedChange, describeRequest, isDestructive, staleness, type ApprovalStatus, type StoredApproval } from './approval-request.js';
import { approvalsComplete, approvedBy, climbedToSecurity } from './approvers.js';
import { decisionFieldErrors, type DecisionInput } from './decision-input.js';

export interface DecisionState {
  readonly now: string;
  readonly policyVersion: string;
  /** The person pressing; null when Steward does not know them. */
  readonly actor: TickPerson | null;
  /** The people who delegated to the actor for now (out of office): the actor may decide as them. */
  readonly standsFor: readonly TickPerson[];
  readonly request: StoredApproval | null;
  /** The policy's admins Steward knows: they decide a request once it has climbed to the security channel. */
  readonly admins: readonly TickPerson[];
}

export type DecisionRefusal = 'unknown_person' | 'not_found' | 'already_decided' | 'not_approver' | 'own_request' | 'already_voted' | 'not_offered_to_you' | 'bad_request';

export type DecisionResult =
  | { readonly ok: true; readonly status: ApprovalStatus; readonly text: string }
  | { readonly ok: false; readonly code: DecisionRefusal; readonly text: string; readonly errors?: readonly FieldError[] };

/** What an approved request changes on its item, applied in the decision's transaction. */
export type ApprovedChange =
  | { readonly type: 'scopes'; readonly scopes: readonly string[] }
  | { readonly type: 'owner'; readonly teamId: number; readonly personId: number }
  | { readonly type: 'retire' }
  | { readonly type: 'extend_due'; readonly until: string }
  /** Recorded and sent to the webhook: the change itself is carried out outside Steward (a rotation), or read by the gate (a waiver). */
  | { readonly type: 'record_only' };

export interface DecisionPlan {
  readonly result: DecisionResult;
  readonly requestId: number;
  readonly itemId: number | null;
  readonly ref: string | null;
  /** One approver's say, recorded once (a second press finds it). */
  readonly vote: { readonly personId: number; readonly onBehalfOf: number | null; readonly vote: 'approve' | 'reject'; readonly reason: string | null } | null;
  readonly offer: 'accepted' | 'declined' | null;
  /** The request's end: its status, who settled it, why. */
  readonly close: { readonly status: Exclude<ApprovalStatus, 'pending'>; readonly byPersonId: number | null; readonly reason: string | null } | null;
  readonly change: ApprovedChange | null;
  /** Messages to rewrite: the channel card (`approval:<id>`), the offer (`offer:<id>`), with the words that replace their buttons. */
  readonly resolve: ReadonlyArray<{ readonly subject: string; readonly text: string }>;
  /** A progress line for the card while the request waits for more (one approval of two, an offer accepted). */
  readonly progress: string | null;
  readonly messages: readonly PlannedMessage[];
}

const day = (iso: string) => iso.slice(0, 10);

function refuse(state: DecisionState, code: DecisionRefusal, text: string, errors?: readonly FieldError[]): DecisionPlan {
  const { request } = state;
  return {
    result: { ok: false, code, text, ...(errors ? { errors } : {}) },
    requestId: request?.id ?? 0,
    itemId: request?.item.id ?? null,
    ref: request?.item.ref ?? null,
    vote: null,
    offer: null,
    close: null,
    change: null,
    resolve: [],
    progress: null,
    messages: [],
  };
}

export function viewOfStored(request: StoredApproval): RequestView {
  return {
    id: request.id,
    kind: request.kind,
    item: request.item,
    requester: request.requester,
    requestedAt: request.requestedAt,
    justification: request.justification,
    payload: request.payload,
    approvers: request.approvers,
    needed: request.needed,
    why: '',
    dependents: [],
  };
}

/** What an approved request does to its item. */
export function changeOf(request: StoredApproval): ApprovedChange {
  const { payload } = request;
  switch (payload.kind) {
    case 'scope_change':
      return { type: 'scopes', scopes: payload.scopes };
    case 'ownership_transfer':
      return { type: 'owner', teamId: payload.toTeamId, personId: payload.toPersonId };
    case 'decommission':
      return { type: 'retire' };
    case 'exception':
      return payload.what === 'extend_due' ? { type: 'extend_due', until: payload.until } : { type: 'record_only' };
    case 'rotation':
      return { type: 'record_only' };
  }
}

/** What the requester is told once it is approved, by kind: what changed, and what is left for someone to do. */
function approvedText(request: StoredApproval): string {
  const change = askedChange(request.payload, request.item);
  switch (request.payload.kind) {
    case 'rotation':
      return `Approved: ${change}. Steward records it and tells the decision webhook; the rotation itself is done by its owner or your automation, and the next import shows the new credential.`;
    case 'exception':
      return `Approved until ${day(request.payload.until)}: ${change}.`;
    default:
      return `Approved and applied: ${change}. Update the source too, or the next import reports the difference.`;
  }
}

/**
 * Closes a request: the card and any offer rewritten without buttons, the requester told privately, the decision
 * sent to the webhook, and (approved) the item changed, all in one transaction with the vote or answer that closed it.
 */
function closing(
  state: DecisionState & { request: StoredApproval },
  status: Exclude<ApprovalStatus, 'pending'>,
  by: TickPerson | null,
  deciders: readonly string[],
  reason: string | null,
  receipt: string,
  /** The outcome in other words than `outcomeWords`' (a transfer accepted is not "approved by" its new owner). */
  said?: string,
) {
  const { request, now } = state;
  const view = viewOfStored(request);
  const words = said ?? outcomeWords(status, deciders.join(' and ') || null, now, reason);
  return {
    close: { status, byPersonId: by?.id ?? null, reason },
    change: status === 'approved' ? changeOf(request) : null,
    resolve: [
      { subject: `approval:${request.id}`, text: words },
      ...(request.offer === 'offered' || request.offer === 'accepted' ? [{ subject: `offer:${request.id}`, text: words }] : []),
    ],
    messages: [receiptMessage(view, status, `${words}. ${receipt}`), decisionEvent(view, { status, at: now, decidedBy: [...deciders], reason, policyVersion: state.policyVersion })],
  };
}

/**
 * Decides a press of Approve, Reject, Accept or Decline (or `decide`): only an approver — or their delegate while
 * they are away — approves or rejects, never the requester; only the proposed owner accepts or declines a transfer.
 * A request is approved when enough approvers have approved (the approver of record among them when it was posted
 * to the team) and, for a transfer, the proposed owner has accepted; one rejection or a decline ends it. A
 * destructive approval needs the item's ref typed. Decided from the rows inside the store's transaction, so a retry,
 * a double click or two approvers pressing at once apply it once: the second finds it decided, or its own vote cast.
 */
export function decideDecision(state: DecisionState, input: DecisionInput, policy: Policy): DecisionPlan {
  const { actor, request } = state;
  if (actor === null || !actor.active)
    return refuse(state, 'unknown_person', actor === null ? 'Steward does not know you: ask your security team to add you to the inventory.' : 'Your account is marked as having left, so you cannot decide requests.');
  if (request === null) return refuse(state, 'not_found', 'There is no such request (`approvals` lists them).');
  const name = describeRequest(request);
  if (request.status !== 'pending') {
    const by = request.decidedBy ? ` by ${request.decidedBy.email}` : '';
    return refuse(state, 'already_decided', `${name} was already ${request.status}${by}${request.decidedAt ? ` on ${day(request.decidedAt)}` : ''}; nothing changed.`);
  }
  const stale = staleness(request);
  if (stale !== null) {
    const closed = closing({ ...state, request }, 'cancelled', null, [], stale, 'Ask again if it is still needed.');
    return {
      requestId: request.id,
      itemId: request.item.id,
      ref: request.item.ref,
      vote: null,
      offer: null,
      ...closed,
      progress: null,
      result: { ok: true, status: 'cancelled', text: `${name} no longer stands: ${stale}. It is cancelled, nothing changed, and ${request.requester.email} is told.` },
    };
  }
  const problems = decisionFieldErrors(input, { destructive: isDestructive(request.kind), ref: request.item.ref });
  const [problem] = problems;
  if (problem !== undefined) return refuse(state, 'bad_request', problem.message, problems);
  const ready = { ...state, request };
  return input.action === 'accept' || input.action === 'decline' ? decideOffer(ready, actor, input, policy) : decideVote(ready, actor, input, policy);
}

function decideOffer(state: DecisionState & { request: StoredApproval }, actor: TickPerson, input: Extract<DecisionInput, { action: 'accept' | 'decline' }>, policy: Policy): DecisionPlan {
  const { request } = state;
  const { payload } = request;
  const name = describeRequest(request);
  if (payload.kind !== 'ownership_transfer' || request.offer === null) return refuse(state, 'not_offered_to_you', `${name} is not a transfer: there is nothing to accept.`);
  if (payload.toPersonId !== actor.id) return refuse(state, 'not_offered_to_you', `${name} was offered to ${payload.to}; only they can accept or decline it.`);
  if (request.offer !== 'offered') return refuse(state, 'already_decided', `You already ${request.offer} ${name}; nothing changed.`);
  const base = { requestId: request.id, itemId: request.item.id, ref: request.item.ref, vote: null };
  if (input.action === 'decline') {
    const closed = closing(state, 'rejected', actor, [actor.email], input.reason, `${request.item.ref} stays with ${request.item.owner.accountable?.email ?? 'its owner'}.`);
    return { ...base, ...closed, offer: 'declined', progress: null, result: { ok: true, status: 'rejected', text: `You declined ${name}; ${request.item.ref} stays with ${request.item.owner.accountable?.email ?? 'its owner'}, and ${request.requester.email} is told why.` } };
  }
  if (approvalsComplete(request.approvers, request.needed, climbedToSecurity(request.escalationLevel, policy) ? 'security' : request.wherePosted, approvedBy(request.votes))) {
    const approvers = request.votes.filter((v) => v.vote === 'approve').map((v) => `${v.person.email}${v.onBehalfOf ? ` for ${v.onBehalfOf.email}` : ''}`);
    const deciders = [...approvers, actor.email];
    const accepted = `Accepted by ${actor.email} on ${day(state.now)}${input.reason ? `: ${input.reason}` : ''}`;
    const said = approvers.length === 0 ? accepted : `Approved by ${approvers.join(' and ')}; a${accepted.slice(1)}`;
    const closed = closing(state, 'approved', actor, deciders, input.reason, `${actor.email} is accountable for ${request.item.ref} now.`, said);
    return { ...base, ...closed, offer: 'accepted', progress: null, result: { ok: true, status: 'approved', text: `You accepted ${name}: ${request.item.ref} is yours now, and you will be asked to confirm it.` } };
  }
  return {
    ...base,
    offer: 'accepted',
    close: null,
    change: null,
    resolve: [{ subject: `offer:${request.id}`, text: `Accepted by ${actor.email} on ${day(state.now)}; waiting for an approver` }],
    progress: `Accepted by ${actor.email} on ${day(state.now)}; waiting for ${request.approvers.map((p) => p.email).join(' or ')}`,
    messages: [],
    result: { ok: true, status: 'pending', text: `You accepted ${name}; it changes hands once ${request.approvers.map((p) => p.email).join(' or ')} approves.` },
  };
}

function decideVote(state: DecisionState & { request: StoredApproval }, actor: TickPerson, input: Extract<DecisionInput, { action: 'approve' | 'reject' }>, policy: Policy): DecisionPlan {
  const { request } = state;
  const name = describeRequest(request);
  if (request.needed === 0) {
    const to = request.payload.kind === 'ownership_transfer' ? request.payload.to : 'the proposed owner';
    return refuse(state, 'not_approver', `${name} needs no approver: ${to} accepts or declines it.`);
  }
  if (request.requester.id === actor.id) return refuse(state, 'own_request', `You asked for ${name}, so someone else must decide it (separation of duties); nothing changed.`);
  // The proposed owner of a transfer agrees with Accept: they never approve it too, as themselves, an admin or a delegate.
  const proposedId = request.payload.kind === 'ownership_transfer' ? request.payload.toPersonId : null;
  if (proposedId === actor.id) return refuse(state, 'not_approver', `${name} is offered to you: you accept or decline it, and someone else approves it; nothing changed.`);
  // Once the request has climbed to the security channel, the admins may decide it too.
  const climbed = climbedToSecurity(request.escalationLevel, policy);
  const pool = climbed
    ? [...request.approvers, ...state.admins.filter((a) => a.active && !request.approvers.some((p) => p.id === a.id) && a.id !== request.requester.id && a.id !== proposedId)]
    : request.approvers;
  const voted = new Set(request.votes.map((v) => (v.onBehalfOf ?? v.person).id));
  const votedAs = new Set(request.votes.map((v) => v.person.id));
  const asSelf = pool.find((p) => p.id === actor.id);
  const asDelegate = state.standsFor.find((p) => pool.some((a) => a.id === p.id) && !voted.has(p.id) && p.id !== request.requester.id && p.id !== proposedId);
  if (asSelf === undefined && asDelegate === undefined) {
    const who = request.approvers.map((p) => p.email).join(' or ');
    return refuse(state, 'not_approver', `Only ${who}${climbed ? ' or a security admin' : ''} can decide ${name}; nothing changed.`);
  }
  // One person, one say: whoever has voted (for themselves or as a delegate) does not vote again, for anyone.
  if (votedAs.has(actor.id) || (asSelf !== undefined && voted.has(actor.id) && asDelegate === undefined)) {
    const mine = request.votes.find((v) => v.person.id === actor.id || v.onBehalfOf?.id === actor.id);
    return refuse(state, 'already_voted', `You already ${mine?.vote === 'reject' ? 'rejected' : 'approved'} ${name}${mine ? ` on ${day(mine.at)}` : ''}; nothing changed.`);
  }
  // Deciding as oneself comes first; as a delegate only for someone who has not decided yet.
  const principal = asSelf !== undefined && !voted.has(actor.id) ? actor : (asDelegate as TickPerson);
  const onBehalfOf = principal.id === actor.id ? null : principal;
  const as = onBehalfOf ? ` for ${onBehalfOf.email}` : '';
  const vote = { personId: actor.id, onBehalfOf: onBehalfOf?.id ?? null, vote: input.action, reason: input.reason };
  const base = { requestId: request.id, itemId: request.item.id, ref: request.item.ref, vote, offer: null };
  const deciderName = `${actor.email}${as}`;
  if (input.action === 'reject') {
    const closed = closing(state, 'rejected', actor, [deciderName], input.reason, 'Nothing changed.');
    return { ...base, ...closed, progress: null, result: { ok: true, status: 'rejected', text: `You rejected ${name}${as}; nothing changes, and ${request.requester.email} is told why.` } };
  }
  const approvals = [...request.votes.filter((v) => v.vote === 'approve'), { person: actor, onBehalfOf }];
  const approvedBy = approvals.map((v) => (v.onBehalfOf ?? v.person).id);
  const complete = approvalsComplete(request.approvers, request.needed, climbed ? 'security' : request.wherePosted, approvedBy);
  const waitingOffer = request.offer === 'offered';
  if (complete && !waitingOffer) {
    const deciders = approvals.map((v) => `${v.person.email}${v.onBehalfOf ? ` for ${v.onBehalfOf.email}` : ''}`);
    const closed = closing(state, 'approved', actor, deciders, input.reason, approvedText(request));
    return { ...base, ...closed, progress: null, result: { ok: true, status: 'approved', text: `You approved ${name}${as}: ${approvedText(request)}` } };
  }
  const so = approvals.map((v) => `${v.person.email}${v.onBehalfOf ? ` for ${v.onBehalfOf.email}` : ''}`).join(', ');
  const waiting = complete
    ? `waiting for ${request.payload.kind === 'ownership_transfer' ? request.payload.to : 'the proposed owner'} to accept`
    : `${approvals.length} of ${request.needed} approvals${request.wherePosted === 'team' && !climbed && !approvedBy.includes(request.approvers[0]?.id ?? -1) ? `; ${request.approvers[0]?.email ?? 'the approver of record'} must approve too` : ''}`;
  return {
    ...base,
    close: null,
    change: null,
    resolve: [],
    progress: `Approved so far by ${so} (${waiting})`,
    messages: [],
    result: { ok: true, status: 'pending', text: `You approved ${name}${as}; ${waiting}.` },
  };
}
