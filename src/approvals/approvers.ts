import { escalationRungs } from '../attestation/ladder.js';
import type { TickPerson } from '../attestation/tick-state.js';
import type { Policy } from '../policy/policy.js';
import type { ApprovalItem, ApprovalKind, StoredApproval } from './approval-request.js';

/** Who decides a request, and where it is posted. */
export type Approvers =
  | {
      readonly ok: true;
      /**
       * Who may approve or reject. When posted to the team (`where: 'team'`), the first is the item's approver of
       * record, whose approval is always one of those needed; the others (the team lead, the security admins) can
       * only make up a second approval.
       */
      readonly approvers: readonly TickPerson[];
      /** Approvals needed: 1, 2 for restricted data or public exposure (policy), 0 for a transfer its owner offers. */
      readonly needed: number;
      readonly where: 'team' | 'security';
      /** Why these people, in a sentence the card shows. */
      readonly why: string;
    }
  | { readonly ok: false; readonly text: string };

export interface ApproverQuestion {
  readonly kind: ApprovalKind;
  readonly item: ApprovalItem;
  readonly requester: TickPerson;
  /** The person the requester asked for, standing in while they are away: they do not approve it either. */
  readonly onBehalfOf?: TickPerson | null;
  /** For a transfer: who would take the item (they agree with Accept, so they do not also approve). */
  readonly proposed?: TickPerson | null;
  /** The policy's admins (security leads) Steward knows, active or not. */
  readonly admins: readonly TickPerson[];
}

const active = (person: TickPerson | null | undefined): person is TickPerson => person !== null && person !== undefined && person.active;

/** The approver of record: the one named on the item, else (by policy) the owning team's lead. */
export function approverOfRecord(item: Pick<ApprovalItem, 'approver' | 'owner'>, policy: Policy): TickPerson | null {
  if (item.approver) return item.approver;
  return policy.approvals.defaultApprover === 'team_lead' ? (item.owner.team?.lead ?? null) : null;
}

/** Whether the policy asks a second approver for this item: restricted data, public exposure (by default). */
export function needsSecondApprover(item: Pick<ApprovalItem, 'sensitivity' | 'exposure'>, policy: Policy): boolean {
  const { secondApproverFor, secondApproverForExposure } = policy.approvals;
  return (item.sensitivity !== null && secondApproverFor.includes(item.sensitivity)) || (item.exposure !== null && secondApproverForExposure.includes(item.exposure));
}

/**
 * Who approves a request (separation of duties: the requester never does). The item's approver of record decides,
 * with the team lead as the second approver the policy asks for restricted data or public exposure; a security
 * admin stands in for whichever of them is missing, has left, or is the requester. When the approver of record
 * cannot decide, the request goes to the security channel and the admins decide it. A transfer offered by the
 * item's accountable person needs no approver: both sides agreeing (their offer, the proposed owner's Accept) is
 * the rule. With nobody else able to decide, the request is refused rather than left for nobody.
 */
export function approversFor(question: ApproverQuestion, policy: Policy): Approvers {
  const { kind, item, requester } = question;
  // A stand-in asks as the person they stand in for: that person's offer is the owner's own.
  const principal = question.onBehalfOf ?? requester;
  if (kind === 'ownership_transfer' && item.owner.accountable?.id === principal.id)
    return { ok: true, approvers: [], needed: 0, where: 'team', why: `${principal.email} offers it and the proposed owner accepts: both sides agree, so no approver is needed.` };
  const excluded = new Set([requester.id, principal.id, ...(question.proposed ? [question.proposed.id] : [])]);
  const eligible = (person: TickPerson | null | undefined): boolean => active(person) && !excluded.has(person.id);
  const second = needsSecondApprover(item, policy);
  const needed = second ? 2 : 1;
  const admins = question.admins.filter(eligible);
  const record = approverOfRecord(item, policy);
  const lead = item.owner.team?.lead ?? null;
  const bySensitivity = item.sensitivity !== null && policy.approvals.secondApproverFor.includes(item.sensitivity);
  const secondWhy = second ? ` A second approval is needed for ${bySensitivity ? `${item.sensitivity} data` : `${item.exposure} exposure`}.` : '';

  if (record !== null && eligible(record)) {
    const pool = [record];
    if (second && lead !== null && eligible(lead) && lead.id !== record.id) pool.push(lead);
    for (const admin of admins) if (pool.length < needed || second) if (!pool.some((p) => p.id === admin.id)) pool.push(admin);
    const named = item.approver ? 'the item’s named approver' : 'the owning team’s lead (the policy’s default approver)';
    // No second person to give the second approval (the lead is the approver, and no security admin is named or
    // free): the approver of record alone decides, and the card says why, rather than nobody ever deciding.
    if (pool.length < needed)
      return { ok: true, approvers: pool, needed: pool.length, where: 'team', why: `${record.email} decides as ${named}.${secondWhy} Nobody else can give it (name a security admin in the policy's admins), so one approval is enough.` };
    return { ok: true, approvers: pool, needed, where: 'team', why: `${record.email} decides as ${named}.${secondWhy}` };
  }
  if (admins.length === 0) return refuse(item, requester);
  const whyNot: string =
    record === null
      ? 'the item has no approver of record'
      : !record.active
        ? `its approver ${record.email} has left`
        : excluded.has(record.id) && record.id === requester.id
          ? `its approver ${record.email} asked for it`
          : `its approver ${record.email} is the proposed owner`;
  // Two approvals when there are two admins to give them; with one, the one admin decides and the card says so.
  const fromAdmins = Math.min(needed, admins.length);
  const short = fromAdmins < needed ? ` Only one security admin can decide, so one approval is enough.` : secondWhy;
  return { ok: true, approvers: admins, needed: fromAdmins, where: 'security', why: `It goes to the security channel because ${whyNot}; the security admins decide.${short}` };
}

function refuse(item: ApprovalItem, requester: TickPerson): Approvers {
  return {
    ok: false,
    text: `Nobody but you could approve this for ${item.ref}: name an approver for it in the inventory, or ask Steward's admins (the policy's \`admins\`) to add a security lead who is not ${requester.email}.`,
  };
}

/**
 * Whether a request has climbed its approvals ladder to the security channel: from then on the security admins
 * may decide it too, and the approver of record's approval is no longer required.
 */
export function climbedToSecurity(escalationLevel: number, policy: Policy): boolean {
  return escalationRungs(policy.approvals)
    .slice(0, escalationLevel)
    .some((rung) => rung.to === 'security_channel');
}

/** Whose approval the request's approvals count as: each approver's, or (voted by a stand-in) the person stood in for. */
export function approvedBy(votes: StoredApproval['votes']): number[] {
  return votes.filter((v) => v.vote === 'approve').map((v) => (v.onBehalfOf ?? v.person).id);
}

/** Whether these approvals complete the request: enough of them, and (when posted to the team) the approver of record's among them. */
export function approvalsComplete(approvers: readonly TickPerson[], needed: number, where: 'team' | 'security' | null, approvedBy: readonly number[]): boolean {
  if (approvedBy.length < needed) return false;
  if (where !== 'team' || needed === 0) return true;
  const record = approvers[0];
  return record === undefined || approvedBy.includes(record.id);
}
