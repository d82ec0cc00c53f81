import type { ApprovalItem, ApprovalPayload, ApprovalVote, StoredApproval } from '../../src/approvals/approval-request.js';
import type { TickPerson } from '../../src/attestation/tick-state.js';

/*
 * Hand-built approvals for the pure core's tests (approvers, decideDecision, the approvals' tick): one cast of people,
 * payments' two items, a stored request and a vote. Each builder takes overrides, so a test still says what matters to it.
 */

export const person = (id: number, name: string, active = true): TickPerson => ({ id, email: `${name}@acme.example`, displayName: null, active });
export const ana = person(1, 'ana'); // accountable owner of payments' items, the usual requester
export const ben = person(2, 'ben'); // backup
export const nina = person(3, 'nina'); // named approver, when an item names one
export const lena = person(4, 'lena'); // payments' team lead, the approver of record by default
export const tom = person(5, 'tom'); // payments team member
export const zed = person(6, 'zed'); // security admin
export const yan = person(7, 'yan'); // security admin
export const cy = person(8, 'cy'); // in ledger: the proposed owner of a transfer
export const lia = person(9, 'lia'); // in ledger: owns something that depends on the item

export const paymentsTeam = { id: 10, slug: 'payments', channel: '#payments', lead: lena };

/** What payments' items share here: id 100, ana accountable, ben backup, no named approver, no runbook. */
const ofPayments = () => ({ id: 100, revocationPath: null, recoveryProcedure: null, owner: { team: paymentsTeam, accountable: ana, backup: ben }, approver: null, vanished: false });

/** payments-api: an internal production API of payments'. */
export function paymentsApi(overrides: Partial<ApprovalItem> = {}): ApprovalItem {
  return { ...ofPayments(), kind: 'api', ref: 'payments-api', name: 'Payments API', sensitivity: 'internal', exposure: 'internal', identityKind: null, status: null, lifecycle: 'production', scopes: [], ...overrides };
}

/** ci-deployer: an internal, active service account of payments' with the scope `read`. */
export function ciDeployer(overrides: Partial<ApprovalItem> = {}): ApprovalItem {
  return { ...ofPayments(), kind: 'identity', ref: 'ci-deployer', name: 'CI deployer', sensitivity: 'internal', exposure: null, identityKind: 'service_account', status: 'active', lifecycle: null, scopes: ['read'], ...overrides };
}

/** A transfer of one of ana's payments items to `to` in ledger. */
export const transferTo = (to: TickPerson): ApprovalPayload => ({ kind: 'ownership_transfer', toPersonId: to.id, to: to.email, toTeamId: 20, toTeam: 'ledger', fromPersonId: ana.id, from: ana.email, fromTeam: 'payments' });

/**
 * A pending request as the store holds it, posted to the team, nobody having voted yet: by default ana asks on
 * 2026-11-02 at 09:00 to widen ci-deployer's scopes to `read write`, for lena to approve alone.
 */
export function storedApproval(overrides: Partial<StoredApproval> = {}): StoredApproval {
  return {
    id: 7,
    kind: 'scope_change',
    item: ciDeployer(),
    requester: ana,
    onBehalfOf: null,
    requestedAt: '2026-11-02T09:00:00.000Z',
    justification: 'needed',
    payload: { kind: 'scope_change', scopes: ['read', 'write'], previous: ['read'] },
    status: 'pending',
    approvers: [lena],
    needed: 1,
    offer: null,
    wherePosted: 'team',
    policyVersion: 'v-test',
    votes: [],
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
    remindersSent: 0,
    escalationLevel: 0,
    offerRemindersSent: 0,
    offerEscalationLevel: 0,
    ...overrides,
  };
}

/** `by`'s vote on a request: by default an approval for themselves, with no reason, given at `at`. */
export const voteBy = (by: TickPerson, at: string, overrides: Partial<ApprovalVote> = {}): ApprovalVote => ({ person: by, onBehalfOf: null, vote: 'approve', at, reason: null, ...overrides });
