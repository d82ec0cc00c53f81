import { earliest } from '../attestation/days.js';
import { escalationRungs, ladderStep, nextActionAt, type LadderSpec } from '../attestation/ladder.js';
import type { TickPerson } from '../attestation/tick-state.js';
import { personAddressee, securityAddressee, teamChannelAddressee } from '../messages/attestation-messages.js';
import type { Addressee, PlannedMessage } from '../messages/outgoing-message.js';
import type { Policy } from '../policy/policy.js';
import { approvalReminder, blastRadiusNotices, decisionEvent, offerMessage, outcomeWords, receiptMessage, requestCard, requestChannel } from './approval-messages.js';
import { staleness, type Dependent, type StoredApproval } from './approval-request.js';
import { approvalsComplete, approvedBy, approversFor } from './approvers.js';
import { viewOfStored } from './decide-decision.js';

/** A pending request the tick looks at: its ladders are due, or it waits to be posted (carried over by a migration). */
export interface DueApproval {
  readonly request: StoredApproval;
  readonly teamHasChannel: boolean;
  readonly dependents: readonly Dependent[];
}

export interface ApprovalTickState {
  readonly now: string;
  readonly policyVersion: string;
  readonly due: readonly DueApproval[];
  readonly admins: readonly TickPerson[];
}

export type ApprovalTickDecision =
  /** A request carried over from before approvals existed, posted now with the policy in force. */
  | {
      readonly type: 'approval_post';
      readonly requestId: number;
      readonly ref: string;
      /** Who asked (a decommission recorded before approvals existed: who answered Decommission). */
      readonly requestedBy: string;
      readonly approverIds: readonly number[];
      readonly needed: number;
      readonly where: 'team' | 'security';
      readonly nextActionAt: string | null;
    }
  | { readonly type: 'approval_remind'; readonly requestId: number; readonly ref: string; readonly remindersSent: number; readonly to: string }
  | { readonly type: 'approval_escalate'; readonly requestId: number; readonly ref: string; readonly level: number; readonly to: string }
  | { readonly type: 'offer_remind'; readonly requestId: number; readonly ref: string; readonly remindersSent: number; readonly to: string }
  | { readonly type: 'offer_escalate'; readonly requestId: number; readonly ref: string; readonly level: number; readonly to: string }
  | { readonly type: 'approval_expire'; readonly requestId: number; readonly ref: string; readonly resolve: ReadonlyArray<{ readonly subject: string; readonly text: string }> }
  /** A request that no longer stands (`staleness`): cancelled, nothing changes, the requester is told. */
  | { readonly type: 'approval_cancel'; readonly requestId: number; readonly ref: string; readonly why: string; readonly resolve: ReadonlyArray<{ readonly subject: string; readonly text: string }> }
  /** When the tick next looks at the request (both ladders' next step); null: never (it ended). */
  | { readonly type: 'approval_schedule'; readonly requestId: number; readonly ref: string; readonly nextActionAt: string | null };

export interface ApprovalTickPlan {
  readonly decisions: readonly ApprovalTickDecision[];
  readonly messages: readonly PlannedMessage[];
}

interface Position {
  readonly openedAt: string;
  readonly remindersSent: number;
  readonly escalationLevel: number;
}

/**
 * Who hears of a pending request at a rung: `owner` is whoever it waits for (its approvers, or for an offer the
 * proposed owner), `backup` the item's backup, `team_lead` the owning team's lead, then the channels. A rung with
 * nobody (no backup, someone who is the requester) passes to the next one up; the security channel at the top.
 */
function rungTarget(rungTo: string, asked: readonly TickPerson[], request: StoredApproval, teamHasChannel: boolean, securityChannel: string | null): Addressee[] {
  const { owner } = request.item;
  const people = (list: ReadonlyArray<TickPerson | null>) => list.filter((p): p is TickPerson => p !== null && p.active && p.id !== request.requester.id).map(personAddressee);
  switch (rungTo) {
    case 'owner':
      return people(asked);
    case 'backup':
      return people([owner.backup]);
    case 'team_lead':
      return people([owner.team?.lead ?? null]);
    case 'team_channel':
      return owner.team !== null && teamHasChannel ? [teamChannelAddressee(owner.team)] : [];
    default:
      return [securityAddressee(securityChannel)];
  }
}

function addresseeWords(to: readonly Addressee[]): string {
  return to.map((a) => (a.kind === 'person' ? a.email : a.kind === 'team_channel' ? `team ${a.team}'s channel` : 'the security channel')).join(', ');
}

/**
 * The approvals' part of the tick, a pure decision like the attestations': each pending request climbs two ladders
 * — its approvers' (`policy.approvals`: reminders, escalation, expiry) and, for a transfer, the proposed owner's
 * (the attestation ladder, `policy.attestation`, as an offer is asked of a person like an attestation). A request
 * expires when either runs out: nothing changes, the requester is told, the webhook hears of it. Catch-up safe:
 * only the latest step due is taken, once.
 */
export function decideApprovalTick(state: ApprovalTickState, policy: Policy): ApprovalTickPlan {
  const { now } = state;
  const decisions: ApprovalTickDecision[] = [];
  const messages: PlannedMessage[] = [];

  for (const { request, teamHasChannel, dependents } of state.due) {
    const view = { ...viewOfStored(request), dependents };
    const stale = staleness(request);
    if (stale !== null) {
      const words = outcomeWords('cancelled', null, now, stale);
      decisions.push({ type: 'approval_cancel', requestId: request.id, ref: request.item.ref, why: stale, resolve: [{ subject: `approval:${request.id}`, text: words }, { subject: `offer:${request.id}`, text: words }] });
      messages.push(receiptMessage(view, 'cancelled', `${words}. Nothing changed; ask again if it is still needed.`));
      messages.push(decisionEvent(view, { status: 'cancelled', at: now, decidedBy: [], reason: stale, policyVersion: state.policyVersion }));
      continue;
    }
    if (request.wherePosted === null) {
      const chosen = approversFor({ kind: request.kind, item: request.item, requester: request.requester, proposed: null, admins: state.admins }, policy);
      const approvers = chosen.ok ? chosen.approvers : state.admins.filter((a) => a.active);
      const where = chosen.ok ? chosen.where : 'security';
      // Nobody the rules allow: it waits for one approval all the same, climbs to the security channel (where adding an
      // admin lets it be decided) and expires, rather than being posted as needing nobody.
      const needed = chosen.ok ? chosen.needed : 1;
      const posted = { ...view, approvers, needed, why: chosen.ok ? chosen.why : chosen.text };
      const next = nextActionAt({ openedAt: now, remindersSent: 0, escalationLevel: 0 }, now, policy.approvals);
      decisions.push({ type: 'approval_post', requestId: request.id, ref: request.item.ref, requestedBy: request.requester.email, approverIds: approvers.map((p) => p.id), needed, where, nextActionAt: next });
      messages.push(requestCard(posted, requestChannel(posted, where, teamHasChannel, policy.securityChannel)));
      if (request.kind === 'decommission') messages.push(...blastRadiusNotices(posted));
      continue;
    }
    const approvalsLadder: Position | null = request.needed > 0 ? { openedAt: request.requestedAt, remindersSent: request.remindersSent, escalationLevel: request.escalationLevel } : null;
    const offerLadder: Position | null = request.offer === 'offered' ? { openedAt: request.requestedAt, remindersSent: request.offerRemindersSent, escalationLevel: request.offerEscalationLevel } : null;
    const approvalStep = approvalsLadder && !approvalsDone(request) ? ladderStep(approvalsLadder, now, policy.approvals) : null;
    const offerStep = offerLadder ? ladderStep(offerLadder, now, policy.attestation) : null;

    if (approvalStep?.type === 'expire' || offerStep?.type === 'expire') {
      const words = outcomeWords('expired', null, now, null);
      const resolve = [{ subject: `approval:${request.id}`, text: words }, ...(request.offer !== null ? [{ subject: `offer:${request.id}`, text: words }] : [])];
      decisions.push({ type: 'approval_expire', requestId: request.id, ref: request.item.ref, resolve });
      const why = offerStep?.type === 'expire' ? `${proposedOf(request)} did not accept it in time` : 'its approvers did not decide it in time';
      messages.push(receiptMessage(view, 'expired', `${words}: ${why}. Ask again if it is still needed.`));
      messages.push(decisionEvent(view, { status: 'expired', at: now, decidedBy: [], reason: why, policyVersion: state.policyVersion }));
      continue;
    }

    let approvalPosition = approvalsLadder;
    if (approvalStep !== null && approvalsLadder !== null) {
      const waitingOn = request.approvers.filter((p) => !request.votes.some((v) => (v.onBehalfOf ?? v.person).id === p.id));
      if (approvalStep.type === 'remind') {
        const to = rungTarget('owner', waitingOn, request, teamHasChannel, policy.securityChannel);
        decisions.push({ type: 'approval_remind', requestId: request.id, ref: request.item.ref, remindersSent: approvalStep.remindersSent, to: addresseeWords(to) });
        for (const addressee of to) messages.push(approvalReminder(view, addressee, `remind:${approvalStep.remindersSent}`, request.requestedAt, true));
        approvalPosition = { ...approvalsLadder, remindersSent: approvalStep.remindersSent };
      } else if (approvalStep.type === 'escalate') {
        const { to, level } = climb(policy.approvals, approvalStep.level, waitingOn, request, teamHasChannel, policy.securityChannel);
        decisions.push({ type: 'approval_escalate', requestId: request.id, ref: request.item.ref, level, to: addresseeWords(to) });
        for (const addressee of to) {
          const canDecide = addressee.kind === 'person' ? request.approvers.some((p) => p.id === addressee.personId) : addressee.kind === 'security_channel';
          messages.push(
            addressee.kind === 'security_channel'
              ? requestCard({ ...view, why: 'Escalated: its approvers have not decided; a security admin may decide it now.' }, addressee, `escalated:${level}`)
              : approvalReminder(view, addressee, `escalate:${level}`, request.requestedAt, canDecide),
          );
        }
        approvalPosition = { ...approvalsLadder, escalationLevel: level };
      }
    }
    let offerPosition = offerLadder;
    if (offerStep !== null && offerLadder !== null) {
      const proposed = proposedPerson(request);
      if (offerStep.type === 'remind' && proposed !== null) {
        decisions.push({ type: 'offer_remind', requestId: request.id, ref: request.item.ref, remindersSent: offerStep.remindersSent, to: proposed.email });
        messages.push(offerMessage(view, proposed, `remind:${offerStep.remindersSent}`, 'Reminder: '));
        offerPosition = { ...offerLadder, remindersSent: offerStep.remindersSent };
      } else if (offerStep.type === 'escalate') {
        const { to, level } = climb(policy.attestation, offerStep.level, proposed ? [proposed] : [], request, teamHasChannel, policy.securityChannel);
        decisions.push({ type: 'offer_escalate', requestId: request.id, ref: request.item.ref, level, to: addresseeWords(to) });
        for (const addressee of to)
          messages.push(
            addressee.kind === 'person' && addressee.personId === proposed?.id
              ? offerMessage(view, proposed, `escalate:${level}`, 'Still waiting: ')
              : approvalReminder(view, addressee, `offer:${level}`, request.requestedAt, false, proposedOf(request)),
          );
        offerPosition = { ...offerLadder, escalationLevel: level };
      }
    }
    const next = earliest(
      approvalPosition !== null && !approvalsDone(request) ? nextActionAt(approvalPosition, now, policy.approvals) : null,
      offerPosition !== null ? nextActionAt(offerPosition, now, policy.attestation) : null,
    );
    decisions.push({ type: 'approval_schedule', requestId: request.id, ref: request.item.ref, nextActionAt: next });
  }
  return { decisions, messages };
}

/**
 * Whether the approvers are done (enough approvals, the approver of record's among them): a transfer then waits only
 * for its Accept. Judged as posted: an approval given once the request climbed to the security channel may complete
 * it without the approver of record (`decideDecision`), but approvals given before do not, and the ladder goes on.
 */
function approvalsDone(request: StoredApproval): boolean {
  return approvalsComplete(request.approvers, request.needed, request.wherePosted, approvedBy(request.votes));
}

function proposedPerson(request: StoredApproval): TickPerson | null {
  const { payload } = request;
  if (payload.kind !== 'ownership_transfer') return null;
  return { id: payload.toPersonId, email: payload.to, displayName: null, active: true };
}

const proposedOf = (request: StoredApproval) => (request.payload.kind === 'ownership_transfer' ? request.payload.to : 'the proposed owner');

/** The rung reached at `level`, or the next one up with somebody on it; the security channel at the top. */
function climb(spec: LadderSpec, level: number, asked: readonly TickPerson[], request: StoredApproval, teamHasChannel: boolean, securityChannel: string | null): { to: Addressee[]; level: number } {
  const rungs = escalationRungs(spec);
  for (const [i, rung] of rungs.entries()) {
    if (i < level - 1) continue;
    const to = rungTarget(rung.to, asked, request, teamHasChannel, securityChannel);
    if (to.length > 0) return { to, level: i + 1 };
  }
  return { to: [securityAddressee(securityChannel)], level: rungs.length };
}

