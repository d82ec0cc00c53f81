import { describe, expect, it } from 'vitest';
import type { ApprovalVote, StoredApproval } from '../../../src/approvals/approval-request.js';
import { decideDecision, type DecisionPlan } from '../../../src/approvals/decide-decision.js';
import type { DecisionInput } from '../../../src/approvals/decision-input.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, ben, ciDeployer, cy, lena, storedApproval, transferTo, voteBy, yan, zed } from '../../support/approval-fixtures.js';

/*
 * decideDecision at its edges, each case once a bug: a request climbed to the security channel, a transfer whose
 * proposed owner is an admin, and one person standing in for another approver after approving themselves.
 */

const policy = Policy.parse({ securityChannel: '#sec', admins: [zed.email, yan.email] });
const now = '2026-11-12T10:30:00.000Z';

// ana owns ci-deployer, ben is its backup, lena payments' lead and its approver of record; zed and yan are the admins.
const item = ciDeployer();
const request = (overrides: Partial<StoredApproval> = {}): StoredApproval => storedApproval({ item, requester: ana, approvers: [lena], needed: 1, ...overrides });

const vote = (by: TickPerson, onBehalfOf: TickPerson | null = null): ApprovalVote => voteBy(by, '2026-11-10T09:00:00.000Z', { onBehalfOf });
const approve: DecisionInput = { action: 'approve', reason: null, confirmRef: null };
const accept: DecisionInput = { action: 'accept', reason: null };

function decide(actor: TickPerson, req: StoredApproval, input: DecisionInput, standsFor: TickPerson[] = []): DecisionPlan {
  return decideDecision({ now, policyVersion: 'v-test', actor, standsFor, request: req, admins: [zed, yan] }, input, policy);
}

describe('decideDecision (pending fixes)', () => {
  // Once a bug: decideOffer checks approvalsComplete with request.wherePosted ('team'), ignoring that the request climbed
  // to the security channel where an admin's approval is enough (decideVote passes 'security' once climbed). The
  // admin's approval left the request waiting only for the Accept; the Accept then leaves it pending for ever (the
  // approvals ladder thinks the approvers are done, the offer ladder stops once accepted).
  it('when an admin approved a transfer after it climbed to the security channel, then the proposed owner’s Accept completes it', () => {
    const escalated = request({ kind: 'ownership_transfer', requester: ben, payload: transferTo(cy), offer: 'offered', escalationLevel: 2 });
    const approved = decide(zed, escalated, approve);
    expect(approved.result).toMatchObject({ ok: true, status: 'pending', text: expect.stringMatching(/waiting for cy@acme\.example to accept/) });

    const accepted = decide(cy, { ...escalated, votes: [vote(zed)] }, accept);
    expect(accepted.result).toMatchObject({ ok: true, status: 'approved' });
    expect(accepted.change).toEqual({ type: 'owner', teamId: 20, personId: cy.id });
  });

  // Once a bug: once a request has climbed, decideVote adds every admin to the pool except the requester, but not except
  // a transfer's proposed owner, whom approversFor always excludes ("the proposed owner never among approvers").
  it('when a transfer to a security admin has climbed to the security channel, then that admin still cannot approve it', () => {
    const toZed = request({ kind: 'ownership_transfer', requester: ben, payload: transferTo(zed), offer: 'offered', escalationLevel: 2 });
    const plan = decide(zed, toZed, approve);
    expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
    expect(plan.vote).toBeNull();
  });

  // Once a bug: a person who is an approver and also stands in for another approver can approve as themselves and then,
  // on a second press, as the other: one person gives both approvals of a request that needs two (the second
  // approver is there for four eyes). In the store the second vote's row has the same (request_id, person_id) as the
  // first, so the INSERT fails the primary key and the press throws instead of being refused.
  it('when an approver who stands in for another has already approved as themselves, then they cannot give the second approval for the other', () => {
    const restricted = request({ item: { ...item, sensitivity: 'restricted' }, approvers: [lena, zed, yan], needed: 2, votes: [vote(zed)] });
    const plan = decide(zed, restricted, approve, [lena]);
    expect(plan.result).toMatchObject({ ok: false, code: 'already_voted' });
    expect(plan.vote).toBeNull();
  });
});
