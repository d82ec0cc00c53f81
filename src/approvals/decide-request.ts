import type { FieldError } from '../attestation/answer-fields.js';
import { firstActionAt } from '../attestation/ladder.js';
import { earliest } from '../attestation/days.js';
import type { TickPerson } from '../attestation/tick-state.js';
import type { PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { personAddressee } from '../messages/attestation-messages.js';
import { approvalReminder, blastRadiusNotices, offerMessage, requestCard, requestChannel, transferNotice, type RequestView } from './approval-messages.js';
import { describeRequest, kindWords, type ApprovalItem, type ApprovalKind, type ApprovalPayload, type Dependent } from './approval-request.js';
import { approversFor } from './approvers.js';
import { requestedScopes, requestedUntil, requestFieldErrors, waivableRules, type RequestInput } from './request-input.js';

export interface TeamRef {
  readonly id: number;
  readonly slug: string;
}

/** What deciding a request needs, read in the store's transaction. */
export interface RequestState {
  readonly now: string;
  readonly policyVersion: string;
  /** The person asking; null when Steward does not know them. */
  readonly actor: TickPerson | null;
  /**
   * The person the actor asks for, when they stand in for them (a delegate answering Decommission on their prompt):
   * the request is judged as theirs (may they ask; is it the owner's own offer), and neither approves it.
   */
  readonly onBehalfOf?: TickPerson | null;
  readonly actorTeams: readonly TeamRef[];
  /** The item asked about; null when there is none by that ref. */
  readonly item: ApprovalItem | null;
  /** Whether the owning team has a channel (named in the inventory, or bound on a platform). */
  readonly teamHasChannel: boolean;
  /** The item's pending requests. */
  readonly pending: ReadonlyArray<{ readonly id: number; readonly kind: ApprovalKind }>;
  /** For a transfer: the proposed owner (null when Steward does not know the email) and their teams. */
  readonly proposed: { readonly person: TickPerson; readonly teams: readonly TeamRef[] } | null;
  /** The policy's admins Steward knows as people. */
  readonly admins: readonly TickPerson[];
  /** What depends on the item, with owners (for a decommission). */
  readonly dependents: readonly Dependent[];
  /** The people away now (a delegation in force): an approver among them is written to, which reaches their stand-in. */
  readonly away?: readonly number[];
  /** The id the new request will get, so its messages can name it. */
  readonly nextId: number;
}

export type RequestRefusal = 'unknown_person' | 'not_found' | 'not_allowed' | 'bad_request' | 'duplicate' | 'no_approver';

export type RequestResult =
  | { readonly ok: true; readonly id: number; readonly text: string }
  | { readonly ok: false; readonly code: RequestRefusal; readonly text: string; readonly errors?: readonly FieldError[] };

/** A request to write, with everything its row holds. */
export interface NewApproval {
  readonly id: number;
  readonly kind: ApprovalKind;
  readonly itemId: number;
  readonly ref: string;
  readonly requesterId: number;
  /** The person the requester asked for, standing in for them. */
  readonly onBehalfOfId: number | null;
  readonly justification: string | null;
  readonly payload: ApprovalPayload;
  readonly approverIds: readonly number[];
  readonly needed: number;
  readonly offer: 'offered' | null;
  readonly wherePosted: 'team' | 'security';
  readonly attestationId: number | null;
  readonly nextActionAt: string | null;
}

export interface RequestPlan {
  readonly result: RequestResult;
  readonly request: NewApproval | null;
  readonly messages: readonly PlannedMessage[];
}

const refuse = (code: RequestRefusal, text: string, errors?: readonly FieldError[]): RequestPlan => ({ result: { ok: false, code, text, ...(errors ? { errors } : {}) }, request: null, messages: [] });

/**
 * Who may ask for a change to an item: its accountable person and backup, its approver, the owning team's lead and
 * members, and the policy's admins. A transfer only from those who answer for the item (not every team member).
 */
function mayRequest(state: RequestState, kind: ApprovalKind, isAdmin: boolean): boolean {
  const { item } = state;
  const actor = state.onBehalfOf ?? state.actor;
  if (actor === null || item === null) return false;
  if (isAdmin) return true;
  const { owner } = item;
  const answers = [owner.accountable?.id, owner.backup?.id, item.approver?.id, owner.team?.lead?.id].includes(actor.id);
  if (kind === 'ownership_transfer') return answers;
  return answers || (owner.team !== null && state.actorTeams.some((t) => t.id === owner.team?.id));
}

/** The payload of a request from what was typed, or what is wrong with it that the fields alone could not say. */
function payloadOf(input: RequestInput, state: RequestState & { item: ApprovalItem }): ApprovalPayload | string {
  const { item } = state;
  switch (input.kind) {
    case 'scope_change': {
      if (item.kind !== 'identity') return `${item.ref} is an API: scopes belong to identities.`;
      const scopes = requestedScopes(input.scopes);
      const same = scopes.length === item.scopes.length && scopes.every((s) => item.scopes.includes(s));
      if (same) return `${item.ref} already has exactly these scopes; nothing to ask.`;
      return { kind: 'scope_change', scopes, previous: item.scopes };
    }
    case 'rotation':
      if (item.kind !== 'identity') return `${item.ref} is an API: only an identity's credential is rotated.`;
      return { kind: 'rotation', trigger: input.trigger };
    case 'decommission':
      if (item.kind === 'api' ? item.lifecycle === 'decommissioned' : item.status === 'decommissioned' || item.status === 'revoked') return `${item.ref} is already retired.`;
      return { kind: 'decommission' };
    case 'ownership_transfer': {
      const proposed = state.proposed;
      if (proposed === null) return `Steward does not know ${input.to.trim().toLowerCase()}: they must be in the inventory (a person of some team) before they can own anything.`;
      if (!proposed.person.active) return `${proposed.person.email} has left, so they cannot take ${item.ref}.`;
      if (item.owner.accountable?.id === proposed.person.id) return `${proposed.person.email} is already accountable for ${item.ref}.`;
      const team = teamFor(item, proposed.teams, input.team);
      if (typeof team === 'string') return team;
      return {
        kind: 'ownership_transfer',
        toPersonId: proposed.person.id,
        to: proposed.person.email,
        toTeamId: team.id,
        toTeam: team.slug,
        fromPersonId: item.owner.accountable?.id ?? null,
        from: item.owner.accountable?.email ?? null,
        fromTeam: item.owner.team?.slug ?? null,
      };
    }
    case 'exception': {
      const until = requestedUntil(input.until, state.now) as string;
      if (input.rule === null) return { kind: 'exception', until, what: 'extend_due' };
      const rule = input.rule.trim().toLowerCase().replaceAll('-', '_');
      const rules = waivableRules(item.kind);
      if (!rules.includes(rule)) return `${rule} is not a gate rule for ${item.kind === 'api' ? 'an API' : 'an identity'}; it is one of ${rules.join(', ')}.`;
      return { kind: 'exception', until, what: 'waive_gate', rule };
    }
  }
}

/** The team a transfer gives the item to: the item's own when the proposed owner is in it, else theirs (named when several). */
function teamFor(item: ApprovalItem, teams: readonly TeamRef[], named: string | null): TeamRef | string {
  const current = item.owner.team;
  if (named !== null) {
    const slug = named.trim().replace(/^#/, '').toLowerCase();
    const team = teams.find((t) => t.slug === slug) ?? (current?.slug === slug ? current : undefined);
    return team ?? `--team ${slug}: the proposed owner is not in that team (theirs: ${teams.map((t) => t.slug).join(', ') || 'none'}).`;
  }
  if (current !== null && teams.some((t) => t.id === current.id)) return current;
  if (teams.length === 1) return teams[0] as TeamRef;
  if (teams.length === 0) return current ?? 'The proposed owner is in no team Steward knows, and the item has none: name one with --team.';
  return `The proposed owner is in several teams (${teams.map((t) => t.slug).join(', ')}): say which will own it with --team.`;
}

/** The request as its messages show it. */
export function viewOf(request: NewApproval, state: RequestState & { item: ApprovalItem; actor: TickPerson }, approvers: readonly TickPerson[], why: string): RequestView {
  return {
    id: request.id,
    kind: request.kind,
    item: state.item,
    requester: state.actor,
    requestedAt: state.now,
    justification: request.justification,
    payload: request.payload,
    approvers,
    needed: request.needed,
    why,
    dependents: request.kind === 'decommission' ? state.dependents : [],
  };
}

/**
 * Decides a request for a change (DESIGN.md: approvals are decisions like answers): the fields' rules, whether the
 * person may ask, whether one is pending already, who approves (`approversFor`), and the messages it causes — the
 * card in the team's channel (or the security channel), a transfer's offer to the proposed owner, and a
 * decommission's blast radius told to the owners of what depends on it. Nothing changes on the item until a
 * decision; the request, its audit event and its messages are written together.
 */
export function decideRequest(state: RequestState, input: RequestInput, policy: Policy): RequestPlan {
  const problems = requestFieldErrors(input, state.now, policy);
  const [first] = problems;
  if (first !== undefined) return refuse('bad_request', first.message, problems);
  const { actor, item } = state;
  if (actor === null || !actor.active) return refuse('unknown_person', actor === null ? 'Steward does not know you: ask your security team to add you to the inventory.' : 'Your account is marked as having left, so you cannot ask for changes.');
  if (item === null || item.vanished) return refuse('not_found', 'That item is not in the inventory (or vanished from its source).');
  const isAdmin = policy.admins.includes((state.onBehalfOf ?? actor).email);
  if (input.kind === 'ownership_transfer' && item.owner.accountable === null)
    return refuse('not_allowed', `Nobody is accountable for ${item.ref}: claim it instead (\`claim ${item.ref}\`), which needs no approval.`);
  if (!mayRequest(state, input.kind, isAdmin))
    return refuse(
      'not_allowed',
      input.kind === 'ownership_transfer'
        ? `Only ${item.ref}'s accountable person, backup, approver or team lead can offer it to someone else.`
        : `Only ${item.ref}'s owners, its approver and its team${item.owner.team ? ` (${item.owner.team.slug})` : ''} can ask for a ${kindWords[input.kind]}.`,
    );
  const pending = state.pending.find((p) => p.kind === input.kind);
  if (pending !== undefined) return refuse('duplicate', `${describeRequest({ id: pending.id, kind: pending.kind, item })} is already waiting for a decision (\`approvals --pending\`).`);
  const payload = payloadOf(input, { ...state, item });
  if (typeof payload === 'string') return refuse('bad_request', payload);
  const proposed = state.proposed?.person ?? null;
  const chosen = approversFor({ kind: input.kind, item, requester: actor, onBehalfOf: state.onBehalfOf ?? null, proposed, admins: state.admins }, policy);
  if (!chosen.ok) return refuse('no_approver', chosen.text);

  const justification = input.justification?.trim() || null;
  const offer = input.kind === 'ownership_transfer' ? 'offered' : null;
  const approvalsNext = chosen.needed > 0 ? firstActionAt(state.now, policy.approvals) : null;
  const offerNext = offer !== null ? firstActionAt(state.now, policy.attestation) : null;
  const request: NewApproval = {
    id: state.nextId,
    kind: input.kind,
    itemId: item.id,
    ref: item.ref,
    requesterId: actor.id,
    onBehalfOfId: state.onBehalfOf?.id ?? null,
    justification,
    payload,
    approverIds: chosen.approvers.map((p) => p.id),
    needed: chosen.needed,
    offer,
    wherePosted: chosen.where,
    attestationId: input.kind === 'decommission' ? (input.attestationId ?? null) : null,
    nextActionAt: earliest(approvalsNext, offerNext),
  };
  const view = viewOf(request, { ...state, item, actor }, chosen.approvers, chosen.why);
  const messages: PlannedMessage[] = [requestCard(view, requestChannel(view, chosen.where, state.teamHasChannel, policy.securityChannel))];
  if (proposed !== null && offer !== null) messages.push(offerMessage(view, proposed));
  // A channel's mention does not reach whoever stands in for an approver who is away: a message to the approver does.
  const away = new Set(state.away ?? []);
  for (const approver of chosen.approvers) if (away.has(approver.id)) messages.push(approvalReminder(view, personAddressee(approver), 'away', state.now, true));
  // A transfer offered by someone else than its accountable person: they hear of it (both sides agree, and they are one).
  const accountable = item.owner.accountable;
  if (input.kind === 'ownership_transfer' && accountable !== null && accountable.active && accountable.id !== (state.onBehalfOf ?? actor).id)
    messages.push(transferNotice(view, accountable));
  if (input.kind === 'decommission') messages.push(...blastRadiusNotices(view));
  const whom = chosen.needed === 0 ? `${proposed?.email ?? 'the proposed owner'} is asked to accept it` : `it waits for ${chosen.approvers.map((p) => p.email).join(' or ')}`;
  const where = chosen.where === 'security' || !state.teamHasChannel ? 'the security channel' : `the ${item.owner.team?.slug ?? ''} team's channel`;
  const also = offer !== null && chosen.needed > 0 ? `, and ${proposed?.email ?? 'the proposed owner'} is asked to accept it` : '';
  return { result: { ok: true, id: request.id, text: `Request ${describeRequest({ id: request.id, kind: input.kind, item })} goes to ${where}; ${whom}${also}.` }, request, messages };
}
