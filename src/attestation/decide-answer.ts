import { decideRequest, type RequestPlan, type RequestState } from '../approvals/decide-request.js';
import type { RequestInput } from '../approvals/request-input.js';
import { unownedQueueMessages, type QueuedItem } from '../messages/attestation-messages.js';
import type { PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { editableFacts, type AnswerAction } from './answer-action.js';
import { answerFieldErrors } from './answer-field-errors.js';
import type { FieldError } from './answer-fields.js';
import { cadenceDays, riskOf } from './cadence.js';
import { addDays } from './days.js';
import type { AttestedFacts, QueueReason, TickAttestedItem, TickPerson } from './tick-state.js';

export { editableFacts, type AnswerAction } from './answer-action.js';

export type Outcome = 'attested' | 'disputed' | 'decommission_requested' | 'snoozed' | 'expired' | 'superseded';

export interface AnsweredAttestation {
  readonly id: number;
  readonly status: 'open' | 'closed';
  readonly outcome: Outcome | null;
  readonly closedAt: string | null;
  readonly answeredBy: string | null;
  readonly item: TickAttestedItem & { readonly vanished: boolean };
  readonly facts: AttestedFacts;
  /** Why the item waits in a queue, if it does (an earlier attestation expired unanswered, say). */
  readonly queued: { readonly queue: 'security' | 'team'; readonly reason: QueueReason } | null;
}

export interface AnswerState {
  readonly now: string;
  /** The person answering, found by their email or chat user id; null when Steward does not know them. */
  readonly actor: TickPerson | null;
  readonly attestations: readonly AnsweredAttestation[];
  /** Ids asked about that do not exist. */
  readonly missing: readonly number[];
  /** The people who delegated their work to the actor for now (out of office): the actor answers for their items too. */
  readonly standsFor?: readonly TickPerson[];
  /** For an answer that raises an approval request: what deciding it needs, by attestation id (see `AnswerRequest.raises`). */
  readonly requestStates?: ReadonlyMap<number, RequestState>;
}

export type RefusalCode = 'unknown_person' | 'not_found' | 'not_owner' | 'already_closed' | 'bad_request';

export type AnswerResult =
  | { readonly attestationId: number; readonly ref: string; readonly ok: true; readonly outcome: Outcome; readonly text: string }
  | { readonly attestationId: number; readonly ref: string | null; readonly ok: false; readonly code: RefusalCode; readonly text: string };

export type AnswerDecision =
  | {
      readonly type: 'close';
      readonly attestationId: number;
      readonly itemId: number;
      readonly ref: string;
      readonly outcome: Outcome;
      readonly byPersonId: number;
      /** The owner a delegate answered for, by email; null when the owner (or backup) answered themselves. */
      readonly onBehalfOf?: string | null;
      readonly changes: Readonly<Record<string, readonly [string | null, string]>> | null;
      readonly note: string | null;
      readonly suggestedOwner: string | null;
      readonly snoozedUntil: string | null;
      /** When the item is next asked about: null while a dispute waits in the queue. */
      readonly nextAttestationAt: string | null;
      /** The words that replace the buttons on every message that asked about it. */
      readonly resolvedText: string;
    }
  | { readonly type: 'queue'; readonly itemId: number; readonly ref: string; readonly reason: 'disputed'; readonly detail: string | null }
  /** The owner answered for an item that sat in the security queue unanswered: it leaves the queue. */
  | { readonly type: 'dequeue'; readonly itemId: number; readonly ref: string; readonly byPersonId: number; readonly why: string }
  /** The approval request the answer raises, written with it (or its refusal, recorded). */
  | { readonly type: 'request'; readonly itemId: number; readonly ref: string; readonly plan: RequestPlan };

export interface AnswerPlan {
  readonly results: readonly AnswerResult[];
  readonly decisions: readonly AnswerDecision[];
  /** Messages the answer causes: a disputed item is posted to the security queue for someone to claim. */
  readonly messages: readonly PlannedMessage[];
}

const outcomeWords: Record<Outcome, string> = {
  attested: 'confirmed',
  disputed: 'marked not theirs',
  decommission_requested: 'asked to decommission',
  snoozed: 'snoozed',
  expired: 'expired unanswered',
  superseded: 'no longer asked',
};

function shown(facts: AttestedFacts, field: (typeof editableFacts)[number]): string | null {
  const value = facts[field];
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/**
 * Decides an answer to one or more attestations (Confirm all answers a batch). Only the item's accountable
 * person or its backup may answer; anyone else, an unknown person, or an answer to a closed attestation gets a
 * clear refusal and changes nothing. Each attestation is decided on its own, so one refusal in a batch does not
 * stop the rest.
 */
export function decideAnswer(state: AnswerState, action: AnswerAction, note: string | null, policy: Policy): AnswerPlan {
  const results: AnswerResult[] = state.missing.map((id) => ({ attestationId: id, ref: null, ok: false, code: 'not_found', text: `There is no attestation ${id}.` }));
  const decisions: AnswerDecision[] = [];
  const disputed: QueuedItem[] = [];
  const disputedIds: number[] = [];
  const { actor, now } = state;

  if (action.type === 'update') {
    const unknown = Object.keys(action.changes).filter((field) => !(editableFacts as readonly string[]).includes(field));
    if (unknown.length > 0) return refuseAll(state, results, 'bad_request', `Only these facts can be updated: ${editableFacts.join(', ')} (not ${unknown.join(', ')}).`);
  }
  // The forms' own rules, whoever calls: a button, a modal, `press`, `steward attest --note`.
  const problems = answerFieldErrors(action, note, { snoozeMaxDays: policy.attestation.snoozeMaxDays });
  const [first, ...more] = problems;
  if (first !== undefined) return refuseAll(state, results, 'bad_request', refusalText(action, [first, ...more], policy));
  if (actor === null || !actor.active)
    return refuseAll(state, results, 'unknown_person', actor === null ? 'Steward does not know you: ask your security team to add you to the inventory.' : 'Your account is marked as having left, so you cannot answer for items.');

  let raised = 0;
  /** Decides the request an answer raises, each with its own id (a batch could raise several). */
  const raise = (attestationId: number, input: RequestInput, onBehalfOf: TickPerson | null): RequestPlan | null => {
    const requestState = state.requestStates?.get(attestationId);
    if (requestState === undefined) return null;
    const plan = decideRequest({ ...requestState, nextId: requestState.nextId + raised, onBehalfOf }, input, policy);
    if (plan.request !== null) raised += 1;
    return plan;
  };

  for (const attestation of state.attestations) {
    const { item } = attestation;
    if (attestation.status === 'closed') {
      results.push({ attestationId: attestation.id, ref: item.ref, ok: false, code: 'already_closed', text: alreadyClosed(attestation) });
      continue;
    }
    const answerers = [item.owner.accountable?.id, item.owner.backup?.id];
    // A delegate answers for an owner who is away; the owner's own answer, if they give one, needs no delegate.
    const standingFor = answerers.includes(actor.id) ? null : (state.standsFor ?? []).find((p) => answerers.includes(p.id)) ?? null;
    const mayAnswer = answerers.includes(actor.id) || standingFor !== null;
    if (!mayAnswer) {
      results.push({
        attestationId: attestation.id,
        ref: item.ref,
        ok: false,
        code: 'not_owner',
        text: `Only ${item.ref}'s accountable person (${item.owner.accountable?.email ?? 'nobody yet'}) or backup (${item.owner.backup?.email ?? 'none'}) can answer for it.`,
      });
      continue;
    }
    const cadence = addDays(now, cadenceDays(riskOf(item), policy));
    const base = { attestationId: attestation.id, itemId: item.id, ref: item.ref, byPersonId: actor.id, onBehalfOf: standingFor?.email ?? null, note, changes: null, suggestedOwner: null, snoozedUntil: null };
    const when = `by ${actor.email}${standingFor ? ` for ${standingFor.email}` : ''} on ${now.slice(0, 10)}`;
    // An answer settles what an unanswered attestation left in the security queue; a dispute re-queues it below.
    // An answer refused below (its request could not be made) takes back what was decided for it here.
    const decidedSoFar = decisions.length;
    if (attestation.queued?.reason === 'attestation_expired' && action.type !== 'dispute')
      decisions.push({ type: 'dequeue', itemId: item.id, ref: item.ref, byPersonId: actor.id, why: `answered ${when}` });
    switch (action.type) {
      case 'confirm':
        decisions.push({ ...base, type: 'close', outcome: 'attested', nextAttestationAt: cadence, resolvedText: `Confirmed ${when}` });
        results.push({ attestationId: attestation.id, ref: item.ref, ok: true, outcome: 'attested', text: `${item.ref}: confirmed. Next asked ${cadence.slice(0, 10)}.` });
        break;
      case 'update': {
        const changes: Record<string, readonly [string | null, string]> = {};
        for (const [field, value] of Object.entries(action.changes)) {
          const before = shown(attestation.facts, field as (typeof editableFacts)[number]);
          if (before !== value.trim()) changes[field] = [before, value.trim()];
        }
        // Scopes change only with an approver's yes: the corrected scopes become a scope change request.
        const scopes = changes['scopes'];
        const plan = scopes === undefined ? null : raise(attestation.id, { kind: 'scope_change', scopes: scopes[1], justification: action.reason ?? null }, standingFor);
        if (plan !== null && !plan.result.ok && plan.result.code !== 'duplicate') {
          results.push({ attestationId: attestation.id, ref: item.ref, ok: false, code: 'bad_request', text: `${item.ref}: the new scopes need an approver, and the request was refused: ${plan.result.text} Nothing was recorded.` });
          decisions.splice(decidedSoFar);
          continue;
        }
        decisions.push({ ...base, type: 'close', outcome: 'attested', changes, note: action.reason ?? note, nextAttestationAt: cadence, resolvedText: `Confirmed with changes (${Object.keys(changes).join(', ') || 'none'}) ${when}` });
        if (plan !== null) decisions.push({ type: 'request', itemId: item.id, ref: item.ref, plan });
        const others = Object.keys(changes).filter((field) => field !== 'scopes').length;
        const scopeWords = plan === null ? '' : plan.result.ok ? ` The scope change goes to an approver: ${plan.result.text}` : ` ${plan.result.text}`;
        results.push({
          attestationId: attestation.id,
          ref: item.ref,
          ok: true,
          outcome: 'attested',
          text: `${item.ref}: confirmed with ${others} change(s) recorded. Update the source too, or the next import will show the old facts.${scopeWords}`,
        });
        break;
      }
      case 'dispute': {
        // A suggested owner Steward knows is offered the item (a transfer they accept); until then it stays with
        // the one who answered. Anyone else's "not mine" goes to the security queue, as does an offer that cannot be made.
        const offer = action.suggestedOwner === null ? null : raise(attestation.id, { kind: 'ownership_transfer', to: action.suggestedOwner, team: null, justification: action.reason ?? note }, standingFor);
        if (offer !== null && offer.result.ok) {
          decisions.push({ ...base, type: 'close', outcome: 'disputed', suggestedOwner: action.suggestedOwner, note: action.reason ?? note, nextAttestationAt: cadence, resolvedText: `Marked not theirs ${when}; offered to ${action.suggestedOwner}` });
          decisions.push({ type: 'request', itemId: item.id, ref: item.ref, plan: offer });
          const stays = item.owner.accountable?.id === actor.id ? 'you stay accountable' : `${item.owner.accountable?.email ?? 'its accountable person'} stays accountable`;
          results.push({ attestationId: attestation.id, ref: item.ref, ok: true, outcome: 'disputed', text: `${item.ref}: noted as not yours. ${offer.result.text} Until they accept, ${stays}.` });
          break;
        }
        const notOffered = offer !== null && !offer.result.ok ? ` (it could not be offered to ${action.suggestedOwner}: ${offer.result.text})` : '';
        decisions.push({ ...base, type: 'close', outcome: 'disputed', suggestedOwner: action.suggestedOwner, note: action.reason ?? note, nextAttestationAt: null, resolvedText: `Marked not theirs ${when}` });
        decisions.push({ type: 'queue', itemId: item.id, ref: item.ref, reason: 'disputed', detail: action.suggestedOwner ? `suggested owner: ${action.suggestedOwner}` : null });
        disputedIds.push(attestation.id);
        disputed.push({
          item: { id: item.id, kind: item.kind, ref: item.ref, name: item.name, facts: attestation.facts },
          why: `${actor.email} says it is not theirs${action.suggestedOwner ? ` (suggested owner: ${action.suggestedOwner})` : ''}`,
        });
        results.push({ attestationId: attestation.id, ref: item.ref, ok: true, outcome: 'disputed', text: `${item.ref}: noted as not yours; it is in the security queue${action.suggestedOwner ? ` with ${action.suggestedOwner} suggested` : ''}${notOffered}.` });
        break;
      }
      case 'decommission': {
        const plan = raise(attestation.id, { kind: 'decommission', justification: action.reason ?? note, attestationId: attestation.id }, standingFor);
        // A decommission is a request for an approver: one that cannot be made is refused, not closed with nobody to pick it up.
        if (plan !== null && !plan.result.ok && plan.result.code !== 'duplicate') {
          results.push({ attestationId: attestation.id, ref: item.ref, ok: false, code: 'bad_request', text: `${item.ref}: a decommission goes to an approver, and the request was refused: ${plan.result.text} Nothing was recorded.` });
          decisions.splice(decidedSoFar);
          continue;
        }
        decisions.push({ ...base, type: 'close', outcome: 'decommission_requested', note: action.reason ?? note, nextAttestationAt: cadence, resolvedText: `Decommission requested ${when}` });
        if (plan !== null) decisions.push({ type: 'request', itemId: item.id, ref: item.ref, plan });
        const requested = plan === null ? 'it goes to the approver.' : plan.result.ok ? plan.result.text : `but no request could be made: ${plan.result.text}`;
        results.push({ attestationId: attestation.id, ref: item.ref, ok: true, outcome: 'decommission_requested', text: `${item.ref}: decommission requested; ${requested}` });
        break;
      }
      case 'snooze': {
        const until = addDays(now, action.days);
        decisions.push({ ...base, type: 'close', outcome: 'snoozed', note: action.reason, snoozedUntil: until, nextAttestationAt: until, resolvedText: `Snoozed until ${until.slice(0, 10)} ${when}` });
        results.push({ attestationId: attestation.id, ref: item.ref, ok: true, outcome: 'snoozed', text: `${item.ref}: snoozed until ${until.slice(0, 10)}.` });
        break;
      }
    }
  }
  // Keyed by the disputed attestations, which no tick's queue post can share.
  const key = `disputed:${disputedIds.join(',')}`;
  return { results, decisions, messages: disputed.length > 0 ? unownedQueueMessages(policy.securityChannel, key, disputed) : [] };
}

function alreadyClosed(attestation: AnsweredAttestation): string {
  const on = attestation.closedAt ? ` on ${attestation.closedAt.slice(0, 10)}` : '';
  if (attestation.outcome === 'superseded' || attestation.outcome === null)
    return `${attestation.item.ref}: this request was withdrawn${on} (the item changed hands, left the inventory or was retired), so it is no longer asked of you; nothing changed.`;
  return `${attestation.item.ref} was already ${outcomeWords[attestation.outcome]}${attestation.answeredBy ? ` by ${attestation.answeredBy}` : ''}${on}; nothing changed.`;
}

/**
 * One sentence for an answer its fields refuse (a form shows each on its field): a secret or broken text first,
 * as it must be revoked or typed again; a snooze's shape as one rule.
 */
function refusalText(action: AnswerAction, problems: readonly [FieldError, ...FieldError[]], policy: Policy): string {
  const urgent = problems.find((p) => p.code === 'secret' || p.code === 'half_character');
  if (urgent !== undefined) return urgent.message;
  if (action.type === 'snooze' && problems.some((p) => p.field === 'days' || (p.field === 'reason' && p.code === 'required')))
    return `A snooze needs a reason and lasts 1 to ${policy.attestation.snoozeMaxDays} days.`;
  return problems[0].message;
}

function refuseAll(state: AnswerState, results: AnswerResult[], code: RefusalCode, text: string): AnswerPlan {
  return { results: [...results, ...state.attestations.map((a) => ({ attestationId: a.id, ref: a.item.ref, ok: false as const, code, text }))], decisions: [], messages: [] };
}
