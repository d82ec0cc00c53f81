import type { ApprovalTickPlan, ApprovalTickState } from '../approvals/approval-tick.js';
import type { StoredApproval } from '../approvals/approval-request.js';
import type { DecisionPlan, DecisionState } from '../approvals/decide-decision.js';
import type { RequestPlan, RequestState } from '../approvals/decide-request.js';
import type { DelegationPlan, DelegationState } from '../approvals/decide-delegation.js';
import type { GateWaiver } from '../gate/check-release.js';
import type { ActorKey } from './attestation-store.js';

/*
 * The approvals' part of the store port. As for answers, each method is one transaction: the store reads what the
 * core's pure `decide` needs, calls it synchronously inside the transaction, and writes the request or decision, the
 * item's change, their audit events and their messages together.
 */

export interface ApprovalRequestCall {
  readonly now: string;
  readonly policyVersion: string;
  readonly actor: ActorKey;
  /** The item asked about (`resolveItem` found it); null when none was found. */
  readonly itemId: number | null;
  /** A transfer's proposed owner, by email. */
  readonly proposedEmail: string | null;
  /** The policy's admins, by email: they stand in for approvers who cannot decide. */
  readonly adminEmails: readonly string[];
  decide(state: RequestState): RequestPlan;
}

export interface ApprovalDecisionCall {
  readonly now: string;
  readonly policyVersion: string;
  readonly actor: ActorKey;
  readonly requestId: number;
  readonly adminEmails: readonly string[];
  decide(state: DecisionState): DecisionPlan;
}

export interface ApprovalFilter {
  /** Only those still waiting for a decision. */
  readonly pending: boolean;
  /** Only those about this item. */
  readonly itemId?: number;
  readonly limit: number;
}

export interface ApprovalList {
  /** Newest first. */
  readonly requests: readonly StoredApproval[];
  readonly total: number;
}

export interface ApprovalTickCall {
  readonly now: string;
  readonly policyVersion: string;
  readonly limit: number;
  readonly apply: boolean;
  readonly adminEmails: readonly string[];
  decide(state: ApprovalTickState): ApprovalTickPlan;
}

export interface DelegationCall {
  readonly now: string;
  readonly actor: ActorKey;
  /** Whose prompts and approvals are delegated: the actor's own when null (an admin may name someone else). */
  readonly forEmail: string | null;
  readonly toEmail: string | null;
  readonly adminEmails: readonly string[];
  decide(state: DelegationState): DelegationPlan;
}

export interface ApprovalStore {
  requestApproval(call: ApprovalRequestCall): Promise<RequestPlan>;
  decideApproval(call: ApprovalDecisionCall): Promise<DecisionPlan>;
  listApprovals(filter: ApprovalFilter): Promise<ApprovalList>;
  getApproval(id: number): Promise<StoredApproval | null>;
  /** Pending requests' ladders (reminders, escalations, expiry) and requests waiting to be posted, in one transaction. */
  runApprovalTick(call: ApprovalTickCall): Promise<{ readonly plan: ApprovalTickPlan; readonly queued: number; readonly more: boolean }>;
  delegate(call: DelegationCall): Promise<DelegationPlan>;
  /** Gate rules waived by approved exceptions still in force at `now` (the release gate reads them). */
  activeWaivers(now: string): Promise<readonly GateWaiver[]>;
}
