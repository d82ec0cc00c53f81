import { describe, expect, it } from 'vitest';
import type { ApprovalVote, StoredApproval } from '../../../src/approvals/approval-request.js';
import { decideApprovalTick, type ApprovalTickPlan } from '../../../src/approvals/approval-tick.js';
import { addDays } from '../../../src/attestation/days.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, lena, nina, paymentsApi, paymentsTeam, storedApproval, voteBy, yan, zed } from '../../support/approval-fixtures.js';

/*
 * The approvals' tick at its edges, each case once a bug: approvals without the approver of record's do not stop the
 * ladder, and a carried-over request nobody can approve still waits for one approval and ends.
 */

const policy = Policy.parse({ securityChannel: '#sec-ownership', admins: [zed.email, yan.email] });
const opened = '2026-11-02T09:00:00.000Z';
const day = (n: number) => addDays(opened, n);

// Restricted, so two approvals: nina, its named approver, is the approver of record; lena leads payments; zed and yan are admins.
const item = paymentsApi({ sensitivity: 'restricted', owner: { team: paymentsTeam, accountable: ana, backup: null }, approver: nina });

const request = (overrides: Partial<StoredApproval> = {}): StoredApproval =>
  storedApproval({ kind: 'decommission', item, requester: ana, requestedAt: opened, justification: 'replaced', payload: { kind: 'decommission' }, approvers: [nina, lena, zed, yan], needed: 2, ...overrides });

const vote = (by: TickPerson): ApprovalVote => voteBy(by, day(1));
const tick = (now: string, req: StoredApproval, admins: TickPerson[] = [zed, yan]): ApprovalTickPlan =>
  decideApprovalTick({ now, policyVersion: 'v-test', due: [{ request: req, teamHasChannel: true, dependents: [] }], admins }, policy);

describe('decideApprovalTick (pending fixes)', () => {
  // Once a bug: `approvalsDone` counts approvals (>= needed) instead of asking `approvalsComplete`, which also wants the
  // approver of record's approval when the request was posted to the team. Two admins approving a restricted
  // request leave it pending (decideDecision: "lena must approve too" — here nina), but the tick then thinks the
  // approvers are done: nobody is reminded, nothing escalates, it never expires (approval_schedule: null).
  it('when two admins approved but the approver of record has not, then the approver of record is still chased and the request still expires', () => {
    const twoAdmins = request({ votes: [vote(zed), vote(yan)] });
    const reminded = tick(day(2), twoAdmins);
    expect(reminded.decisions).toContainEqual({ type: 'approval_remind', requestId: 7, ref: 'payments-api', remindersSent: 1, to: 'nina@acme.example, lena@acme.example' });
    const expired = tick(day(14), { ...twoAdmins, remindersSent: 1, escalationLevel: 2 });
    expect(expired.decisions.map((d) => d.type)).toEqual(['approval_expire']);
  });

  // Once a bug: a carried-over request nobody can approve (its requester is the approver of record and the policy names
  // no admin Steward knows) is posted with approvers [] and needed 0 (`Math.min(1, approvers.length)`). A
  // decommission needing 0 approvals can then be neither approved (decideDecision: "needs no approver") nor
  // expired (the approvals ladder is skipped when needed is 0): it stays pending for ever, and blocks any new
  // decommission request for the item as a duplicate.
  it('when a carried-over request has nobody who could approve it, then it is not posted as needing no approval, and it still ends', () => {
    const carried = request({ requester: nina, wherePosted: null, approvers: [], needed: 1, item: { ...item, sensitivity: 'internal' } });
    const posted = tick(day(1), carried, []);
    const post = posted.decisions[0];
    expect(post?.type).toBe('approval_post');
    expect(post?.type === 'approval_post' && post.needed).toBeGreaterThan(0);
    const afterPost = { ...carried, requestedAt: day(1), wherePosted: 'security' as const, needed: post?.type === 'approval_post' ? post.needed : 0 };
    expect(tick(day(15), afterPost, []).decisions.map((d) => d.type)).toEqual(['approval_expire']);
  });
});
