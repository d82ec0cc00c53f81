import { describe, expect, it } from 'vitest';
import type { ApprovalPayload, ApprovalVote, StoredApproval } from '../../../src/approvals/approval-request.js';
import { decideDecision, type DecisionPlan, type DecisionState } from '../../../src/approvals/decide-decision.js';
import type { DecisionInput } from '../../../src/approvals/decision-input.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, ben, ciDeployer, cy, lena, person, storedApproval, transferTo, voteBy, yan, zed } from '../../support/approval-fixtures.js';

/* The pure decision on a press of Approve, Reject, Accept or Decline, over hand-built requests: no database. */

const policy = Policy.parse({ securityChannel: '#sec', admins: [zed.email, yan.email] });
const requestedAt = '2026-11-02T09:00:00.000Z';
const now = '2026-11-03T10:30:00.000Z';

// ana is the accountable owner, the usual requester; ben the backup; lena the team lead, the approver of record; zed
// and yan security admins; cy the proposed owner.
const item = ciDeployer();

const scopes: ApprovalPayload = { kind: 'scope_change', scopes: ['read', 'write'], previous: ['read'] };
const transfer = transferTo(cy);

const request = (overrides: Partial<StoredApproval> = {}): StoredApproval =>
  storedApproval({ item, requester: ana, requestedAt, justification: 'deploys write artefacts', payload: scopes, approvers: [lena], needed: 1, ...overrides });

/** Two approvals needed (restricted data): the lead is the approver of record, the admins may be second. */
const restricted = (votes: ApprovalVote[] = []) => request({ item: { ...item, sensitivity: 'restricted' }, approvers: [lena, zed, yan], needed: 2, votes });

/** A transfer the backup offered to cy: the lead approves, cy accepts. */
const offered = (overrides: Partial<StoredApproval> = {}) => request({ kind: 'ownership_transfer', requester: ben, payload: transfer, justification: 'cy runs CI now', offer: 'offered', ...overrides });

const vote = (by: TickPerson, at = '2026-11-02T15:00:00.000Z', onBehalfOf: TickPerson | null = null): ApprovalVote => voteBy(by, at, { onBehalfOf });

function decide(actor: TickPerson | null, req: StoredApproval | null, input: DecisionInput, standsFor: TickPerson[] = []): DecisionPlan {
  const state: DecisionState = { now, policyVersion: 'v-test', actor, standsFor, request: req, admins: [zed, yan] };
  return decideDecision(state, input, policy);
}

const approve = (reason: string | null = null, confirmRef: string | null = null): DecisionInput => ({ action: 'approve', reason, confirmRef });
const reject = (reason = 'too broad'): DecisionInput => ({ action: 'reject', reason });
const accept: DecisionInput = { action: 'accept', reason: null };
const decline = (reason = 'not my team'): DecisionInput => ({ action: 'decline', reason });

/** A refusal changes nothing: no vote, no answer to an offer, no close, no change, no message. */
function expectNothingChanged(plan: DecisionPlan): void {
  expect(plan).toMatchObject({ vote: null, offer: null, close: null, change: null, resolve: [], progress: null, messages: [] });
}

const webhookEvents = (plan: DecisionPlan) => plan.messages.filter((m) => m.message.kind === 'approval_decision');

describe('decideDecision: who may not decide', () => {
  it('when Steward does not know the person pressing, then it is refused and nothing changes', () => {
    const plan = decide(null, request(), approve());
    expect(plan.result).toEqual({ ok: false, code: 'unknown_person', text: 'Steward does not know you: ask your security team to add you to the inventory.' });
    expectNothingChanged(plan);
  });

  it('when the approver has left, then they cannot decide', () => {
    const plan = decide(person(4, 'lena', false), request(), approve());
    expect(plan.result).toEqual({ ok: false, code: 'unknown_person', text: 'Your account is marked as having left, so you cannot decide requests.' });
    expectNothingChanged(plan);
  });

  it('when there is no such request, then it is not found', () => {
    const plan = decide(lena, null, approve());
    expect(plan.result).toMatchObject({ ok: false, code: 'not_found' });
    expect(plan.requestId).toBe(0);
    expectNothingChanged(plan);
  });

  it.each<['approved' | 'rejected' | 'expired', TickPerson | null, string]>([
    ['approved', lena, '#7 scope change of identity ci-deployer was already approved by lena@acme.example on 2026-11-02; nothing changed.'],
    ['rejected', zed, '#7 scope change of identity ci-deployer was already rejected by zed@acme.example on 2026-11-02; nothing changed.'],
    ['expired', null, '#7 scope change of identity ci-deployer was already expired on 2026-11-02; nothing changed.'],
  ])('when the request was already %s, then the words say by whom and when, and nothing changes', (status, by, text) => {
    const plan = decide(lena, request({ status, decidedBy: by, decidedAt: '2026-11-02T16:00:00.000Z' }), approve());
    expect(plan.result).toEqual({ ok: false, code: 'already_decided', text });
    expectNothingChanged(plan);
  });

  it('when the requester presses Approve on their own request, then it is refused (separation of duties)', () => {
    const plan = decide(ana, request(), approve());
    expect(plan.result).toEqual({ ok: false, code: 'own_request', text: 'You asked for #7 scope change of identity ci-deployer, so someone else must decide it (separation of duties); nothing changed.' });
    expectNothingChanged(plan);
  });

  it('when someone who is not an approver presses Approve or Reject, then it is refused naming who can decide', () => {
    for (const input of [approve(), reject()]) {
      const plan = decide(ben, request(), input);
      expect(plan.result).toEqual({ ok: false, code: 'not_approver', text: 'Only lena@acme.example can decide #7 scope change of identity ci-deployer; nothing changed.' });
      expectNothingChanged(plan);
    }
  });

  it('when an approver presses Approve again after their vote, then it is refused with the day they voted', () => {
    const plan = decide(lena, restricted([vote(lena)]), approve());
    expect(plan.result).toEqual({ ok: false, code: 'already_voted', text: 'You already approved #7 scope change of identity ci-deployer on 2026-11-02; nothing changed.' });
    expectNothingChanged(plan);
  });

  it('when a security admin presses Approve before the request has climbed to the security channel, then they are not an approver', () => {
    for (const escalationLevel of [0, 1]) {
      const plan = decide(zed, request({ escalationLevel }), approve());
      expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
    }
  });

  it('when a decision is malformed (a reject without a reason), then it is refused with the field errors', () => {
    const plan = decide(lena, request(), { action: 'reject', reason: null });
    expect(plan.result).toMatchObject({ ok: false, code: 'bad_request', text: 'Say why: the requester is told.', errors: [{ field: 'reason', code: 'required' }] });
    expectNothingChanged(plan);
  });
});

describe('decideDecision: an approver decides', () => {
  it('when the approver of record approves a request needing one approval, then it is approved, changed, and everyone told once', () => {
    const plan = decide(lena, request(), approve('fine'));
    expect(plan.result).toEqual({
      ok: true,
      status: 'approved',
      text: 'You approved #7 scope change of identity ci-deployer: Approved and applied: scopes read → read write. Update the source too, or the next import reports the difference.',
    });
    expect(plan.vote).toEqual({ personId: lena.id, onBehalfOf: null, vote: 'approve', reason: 'fine' });
    expect(plan.close).toEqual({ status: 'approved', byPersonId: lena.id, reason: 'fine' });
    expect(plan.change).toEqual({ type: 'scopes', scopes: ['read', 'write'] });
    expect(plan.resolve).toEqual([{ subject: 'approval:7', text: 'Approved by lena@acme.example on 2026-11-03: fine' }]);
    expect(plan.messages.map((m) => `${m.message.kind} → ${m.addressee.kind === 'person' ? m.addressee.email : m.addressee.kind}`)).toEqual([
      'approval_receipt → ana@acme.example',
      'approval_decision → webhook',
    ]);
  });

  it('when the approver rejects, then it closes rejected with the reason, nothing changes on the item, and the requester is told why', () => {
    const plan = decide(lena, request(), reject('too broad'));
    expect(plan.result).toEqual({ ok: true, status: 'rejected', text: 'You rejected #7 scope change of identity ci-deployer; nothing changes, and ana@acme.example is told why.' });
    expect(plan.close).toEqual({ status: 'rejected', byPersonId: lena.id, reason: 'too broad' });
    expect(plan.change).toBeNull();
    const receipt = plan.messages.find((m) => m.message.kind === 'approval_receipt');
    expect(receipt?.message.text).toBe('Rejected by lena@acme.example on 2026-11-03: too broad. Nothing changed.');
  });

  it('when two approvals are needed, then the first gives progress and the second approves', () => {
    const first = decide(zed, restricted(), approve());
    expect(first.result).toEqual({ ok: true, status: 'pending', text: 'You approved #7 scope change of identity ci-deployer; 1 of 2 approvals; lena@acme.example must approve too.' });
    expect(first.progress).toBe('Approved so far by zed@acme.example (1 of 2 approvals; lena@acme.example must approve too)');
    expect(first).toMatchObject({ close: null, change: null, resolve: [], messages: [] });
    expect(first.vote).toEqual({ personId: zed.id, onBehalfOf: null, vote: 'approve', reason: null });

    const second = decide(lena, restricted([vote(zed)]), approve());
    expect(second.result).toMatchObject({ ok: true, status: 'approved' });
    expect(second.close).toEqual({ status: 'approved', byPersonId: lena.id, reason: null });
    expect(webhookEvents(second)[0]?.message.event).toMatchObject({ request: { decidedBy: ['zed@acme.example', 'lena@acme.example'] } });
  });

  it('when two admins approve but the approver of record has not, then it is not yet approved', () => {
    const plan = decide(yan, restricted([vote(zed)]), approve());
    expect(plan.result).toMatchObject({ ok: true, status: 'pending' });
    expect(plan.progress).toBe('Approved so far by zed@acme.example, yan@acme.example (2 of 2 approvals; lena@acme.example must approve too)');
    expect(plan.close).toBeNull();
  });

  it('when one of two approvers rejects, then the request ends rejected at once', () => {
    const plan = decide(lena, restricted([vote(zed)]), reject('not now'));
    expect(plan.result).toMatchObject({ ok: true, status: 'rejected' });
    expect(plan.close).toMatchObject({ status: 'rejected', reason: 'not now' });
  });

  it('when a decommission is approved without the typed ref, then it is refused; with the ref in capitals, it is retired', () => {
    const decommission = request({ kind: 'decommission', payload: { kind: 'decommission' } });
    const untyped = decide(lena, decommission, approve());
    expect(untyped.result).toMatchObject({ ok: false, code: 'bad_request', errors: [{ field: 'confirmRef', code: 'required' }] });
    const wrong = decide(lena, decommission, approve(null, 'ci-deploy'));
    expect(wrong.result).toMatchObject({ ok: false, code: 'bad_request', errors: [{ field: 'confirmRef', code: 'mismatch' }] });
    const typed = decide(lena, decommission, approve(null, 'CI-DEPLOYER'));
    expect(typed.result).toMatchObject({ ok: true, status: 'approved' });
    expect(typed.change).toEqual({ type: 'retire' });
  });

  it.each<[string, ApprovalPayload, string, unknown]>([
    ['a rotation', { kind: 'rotation', trigger: 'expiry_warning' }, 'rotation', { type: 'record_only' }],
    ['an exception extending the due date', { kind: 'exception', until: '2026-12-01T00:00:00.000Z', what: 'extend_due' }, 'exception', { type: 'extend_due', until: '2026-12-01T00:00:00.000Z' }],
    ['an exception waiving a gate rule', { kind: 'exception', until: '2026-12-01T00:00:00.000Z', what: 'waive_gate', rule: 'expires' }, 'exception', { type: 'record_only' }],
  ])('when %s is approved, then the change is %j', (_, payload, kind, change) => {
    const plan = decide(lena, request({ kind: kind as StoredApproval['kind'], payload }), approve());
    expect(plan.change).toEqual(change);
  });
});

describe('decideDecision: a delegate decides for an approver who is away', () => {
  it('when the approver’s delegate approves, then the vote is theirs on behalf of the approver, and both are named', () => {
    const plan = decide(ben, request(), approve(), [lena]);
    expect(plan.result).toEqual({
      ok: true,
      status: 'approved',
      text: 'You approved #7 scope change of identity ci-deployer for lena@acme.example: Approved and applied: scopes read → read write. Update the source too, or the next import reports the difference.',
    });
    expect(plan.vote).toEqual({ personId: ben.id, onBehalfOf: lena.id, vote: 'approve', reason: null });
    expect(webhookEvents(plan)[0]?.message.event).toMatchObject({ request: { decidedBy: ['ben@acme.example for lena@acme.example'] } });
  });

  it('when the delegate made the request themselves, then they cannot decide it for the approver', () => {
    const plan = decide(ana, request(), approve(), [lena]);
    expect(plan.result).toMatchObject({ ok: false, code: 'own_request' });
    expectNothingChanged(plan);
  });

  it('when the person they stand for is not an approver, then the delegate cannot decide', () => {
    const plan = decide(cy, request(), approve(), [ben]);
    expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
  });

  it('when the approver they stand for has already voted, then the delegate cannot vote again for them', () => {
    const plan = decide(ben, restricted([vote(lena)]), approve(), [lena]);
    expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
  });

  it('when the delegate rejects for the approver, then the card names both', () => {
    const plan = decide(ben, request(), reject('wait for the audit'), [lena]);
    expect(plan.result).toMatchObject({ ok: true, status: 'rejected' });
    expect(plan.resolve[0]?.text).toBe('Rejected by ben@acme.example for lena@acme.example on 2026-11-03: wait for the audit');
  });
});

describe('decideDecision: escalated to the security channel, an admin may decide', () => {
  it('when the request has climbed to the security rung, then an admin who is not an approver decides it', () => {
    const plan = decide(zed, request({ escalationLevel: 2 }), approve());
    expect(plan.result).toMatchObject({ ok: true, status: 'approved' });
    expect(plan.vote).toMatchObject({ personId: zed.id, onBehalfOf: null });
  });

  it('when it has climbed but someone is neither an approver nor an admin, then they are still refused, told admins may decide', () => {
    const plan = decide(ben, request({ escalationLevel: 2 }), approve());
    expect(plan.result).toEqual({ ok: false, code: 'not_approver', text: 'Only lena@acme.example or a security admin can decide #7 scope change of identity ci-deployer; nothing changed.' });
  });

  it('when an admin asked for it, then climbing does not let them decide it', () => {
    const plan = decide(zed, request({ requester: zed, escalationLevel: 2 }), approve());
    expect(plan.result).toMatchObject({ ok: false, code: 'own_request' });
  });
});

describe('decideDecision: a transfer is a handshake', () => {
  it('when someone other than the proposed owner presses Accept or Decline, then it is refused', () => {
    for (const actor of [ben, lena, ana])
      for (const input of [accept, decline()]) {
        const plan = decide(actor, offered(), input);
        expect(plan.result).toEqual({ ok: false, code: 'not_offered_to_you', text: '#7 ownership transfer of identity ci-deployer was offered to cy@acme.example; only they can accept or decline it.' });
        expectNothingChanged(plan);
      }
  });

  it('when the proposed owner presses Approve, then they are not an approver of their own transfer', () => {
    const plan = decide(cy, offered(), approve());
    expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
  });

  it('when Accept is pressed on a request that is no transfer, then there is nothing to accept', () => {
    const plan = decide(cy, request(), accept);
    expect(plan.result).toEqual({ ok: false, code: 'not_offered_to_you', text: '#7 scope change of identity ci-deployer is not a transfer: there is nothing to accept.' });
  });

  it('when the proposed owner accepts before the approver approves, then it waits for the approver and the current owner stays accountable', () => {
    const plan = decide(cy, offered(), accept);
    expect(plan.result).toEqual({ ok: true, status: 'pending', text: 'You accepted #7 ownership transfer of identity ci-deployer; it changes hands once lena@acme.example approves.' });
    expect(plan).toMatchObject({ offer: 'accepted', close: null, change: null, messages: [] });
    expect(plan.resolve).toEqual([{ subject: 'offer:7', text: 'Accepted by cy@acme.example on 2026-11-03; waiting for an approver' }]);
  });

  it('when the approver approves before the proposed owner accepts, then it waits for the Accept', () => {
    const plan = decide(lena, offered(), approve());
    expect(plan.result).toEqual({ ok: true, status: 'pending', text: 'You approved #7 ownership transfer of identity ci-deployer; waiting for cy@acme.example to accept.' });
    expect(plan).toMatchObject({ close: null, change: null, messages: [] });
  });

  it('when the proposed owner accepts after the approval, then it is approved and the item changes hands', () => {
    const plan = decide(cy, offered({ votes: [vote(lena)] }), accept);
    expect(plan.result).toEqual({ ok: true, status: 'approved', text: 'You accepted #7 ownership transfer of identity ci-deployer: ci-deployer is yours now, and you will be asked to confirm it.' });
    expect(plan.offer).toBe('accepted');
    expect(plan.close).toEqual({ status: 'approved', byPersonId: cy.id, reason: null });
    expect(plan.change).toEqual({ type: 'owner', teamId: 20, personId: cy.id });
    expect(plan.resolve.map((r) => r.subject)).toEqual(['approval:7', 'offer:7']);
  });

  it('when the approver approves after the Accept, then it is approved', () => {
    const plan = decide(lena, offered({ offer: 'accepted' }), approve());
    expect(plan.result).toMatchObject({ ok: true, status: 'approved' });
    expect(plan.change).toEqual({ type: 'owner', teamId: 20, personId: cy.id });
  });

  it('when the owner offered it (no approver needed), then Accept alone completes it and nobody can approve it', () => {
    const own = offered({ requester: ana, approvers: [], needed: 0 });
    expect(decide(lena, own, approve()).result).toEqual({ ok: false, code: 'not_approver', text: '#7 ownership transfer of identity ci-deployer needs no approver: cy@acme.example accepts or declines it.' });
    const plan = decide(cy, own, accept);
    expect(plan.result).toMatchObject({ ok: true, status: 'approved' });
    expect(plan.change).toEqual({ type: 'owner', teamId: 20, personId: cy.id });
  });

  it('when the proposed owner declines, then it closes rejected, the item stays as it was, and the reason is in the receipt', () => {
    const plan = decide(cy, offered(), decline('not my team'));
    expect(plan.result).toEqual({ ok: true, status: 'rejected', text: 'You declined #7 ownership transfer of identity ci-deployer; ci-deployer stays with ana@acme.example, and ben@acme.example is told why.' });
    expect(plan).toMatchObject({ offer: 'declined', change: null, close: { status: 'rejected', byPersonId: cy.id, reason: 'not my team' } });
    const receipt = plan.messages.find((m) => m.message.kind === 'approval_receipt');
    expect(receipt?.addressee).toMatchObject({ kind: 'person', email: ben.email });
    expect(receipt?.message.text).toBe('Rejected by cy@acme.example on 2026-11-03: not my team. ci-deployer stays with ana@acme.example.');
  });

  it('when the proposed owner has already accepted, then a second Accept or a Decline is refused', () => {
    for (const input of [accept, decline()]) {
      const plan = decide(cy, offered({ offer: 'accepted' }), input);
      expect(plan.result).toEqual({ ok: false, code: 'already_decided', text: 'You already accepted #7 ownership transfer of identity ci-deployer; nothing changed.' });
      expectNothingChanged(plan);
    }
  });
});

describe('decideDecision: each decision leaves Steward once, as a webhook event', () => {
  it.each<[string, () => DecisionPlan, 'approved' | 'rejected', string[], ApprovalPayload]>([
    ['one approval', () => decide(lena, request(), approve()), 'approved', ['lena@acme.example'], scopes],
    ['a rejection', () => decide(lena, request(), reject('too broad')), 'rejected', ['lena@acme.example'], scopes],
    ['the second of two approvals', () => decide(lena, restricted([vote(yan)]), approve()), 'approved', ['yan@acme.example', 'lena@acme.example'], scopes],
    ['a delegate’s approval', () => decide(ben, request(), approve(), [lena]), 'approved', ['ben@acme.example for lena@acme.example'], scopes],
    ['an admin’s approval after escalation', () => decide(yan, request({ escalationLevel: 2 }), approve()), 'approved', ['yan@acme.example'], scopes],
    ['an Accept completing a transfer', () => decide(cy, offered({ votes: [vote(lena)] }), accept), 'approved', ['lena@acme.example', 'cy@acme.example'], transfer],
    ['a Decline', () => decide(cy, offered(), decline()), 'rejected', ['cy@acme.example'], transfer],
  ])('when %s closes the request, then exactly one approval_decision goes to the webhook with status, deciders and payload', (_, run, status, decidedBy, payload) => {
    const events = webhookEvents(run());
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.addressee).toEqual({ kind: 'webhook' });
    expect(event?.dedupeKey).toBe(`approval_decision:7:${status}`);
    expect(event?.message.event).toMatchObject({
      type: 'approval.decided',
      id: `approval-7-${status}`,
      request: { id: 7, status, decidedBy, decidedAt: now, payload, item: { kind: 'identity', ref: 'ci-deployer' } },
      policyVersion: 'v-test',
    });
  });

  it.each<[string, () => DecisionPlan]>([
    ['the first of two approvals', () => decide(zed, restricted(), approve())],
    ['an Accept still waiting for its approver', () => decide(cy, offered(), accept)],
    ['an approval still waiting for the Accept', () => decide(lena, offered(), approve())],
    ['a refusal', () => decide(ben, request(), approve())],
  ])('when %s leaves the request pending, then nothing goes to the webhook', (_, run) => {
    expect(webhookEvents(run())).toEqual([]);
  });
});
