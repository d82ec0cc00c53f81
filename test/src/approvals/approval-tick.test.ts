import { describe, expect, it } from 'vitest';
import type { ApprovalVote, Dependent, StoredApproval } from '../../../src/approvals/approval-request.js';
import { decideApprovalTick, type ApprovalTickPlan, type DueApproval } from '../../../src/approvals/approval-tick.js';
import { addDays } from '../../../src/attestation/days.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import type { Addressee, PlannedMessage } from '../../../src/messages/outgoing-message.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, ben, cy, lena, lia, nina, paymentsApi, storedApproval, transferTo, voteBy, yan, zed } from '../../support/approval-fixtures.js';

/*
 * The approvals' part of the tick on hand-built requests, with a fixed clock. The policy's approvals ladder: a
 * reminder on day 2, the team lead on day 4, the security channel on day 7, expiry on day 14. A transfer's offer
 * climbs the attestation ladder: reminders on days 2 and 5, backup 7, lead 10, team channel 12, security 14, expiry 21.
 */

// ana is the accountable owner, ben the backup, nina the named approver, lena the team lead, zed and yan security
// admins, cy the proposed owner, lia owns something that depends on the item.
const policy = Policy.parse({ securityChannel: '#sec-ownership', admins: [zed.email, yan.email] });
const opened = '2026-11-02T09:00:00.000Z';
const day = (n: number) => addDays(opened, n);

const item = paymentsApi({ revocationPath: 'runbook://payments/revoke', approver: nina });

const transfer = transferTo(cy);

const request = (overrides: Partial<StoredApproval> = {}): StoredApproval =>
  storedApproval({ kind: 'rotation', item, requester: ana, requestedAt: opened, justification: 'leaked in a log', payload: { kind: 'rotation', trigger: 'owner' }, approvers: [nina], needed: 1, ...overrides });

/** A transfer ana offered to cy: no approver, only cy's Accept (the attestation ladder). */
const offer = (overrides: Partial<StoredApproval> = {}) => request({ kind: 'ownership_transfer', payload: transfer, approvers: [], needed: 0, offer: 'offered', ...overrides });

const vote = (by: TickPerson): ApprovalVote => voteBy(by, day(1));

function tick(now: string, due: ReadonlyArray<StoredApproval | DueApproval>, admins: TickPerson[] = [zed, yan]): ApprovalTickPlan {
  const rows = due.map((d): DueApproval => ('request' in d ? d : { request: d, teamHasChannel: true, dependents: [] }));
  return decideApprovalTick({ now, policyVersion: 'v-test', due: rows, admins }, policy);
}

const to = (a: Addressee) => (a.kind === 'person' ? a.email.split('@')[0] : a.kind === 'team_channel' ? `team:${a.team}` : a.kind === 'webhook' ? 'webhook' : 'security');
/** Each message as one line: `approval_reminder → nina [approval:7]`. */
const lines = (messages: readonly PlannedMessage[]) => messages.map((m) => `${m.message.kind} → ${to(m.addressee)} [${m.subjects.join(', ')}]`);
/** Each decision as one line, without the request id and ref every decision carries. */
const steps = (plan: ApprovalTickPlan) => plan.decisions.map(({ requestId: _id, ref: _ref, ...rest }) => rest);

describe('decideApprovalTick: the approvers’ ladder', () => {
  it('when a day has passed, then nothing is done and the tick comes back for the reminder on day 2', () => {
    const plan = tick(day(1), [request()]);
    expect(steps(plan)).toEqual([{ type: 'approval_schedule', nextActionAt: day(2) }]);
    expect(plan.messages).toEqual([]);
  });

  it('when the reminder offset is reached, then the approvers who have not voted are reminded, with the buttons', () => {
    const restricted = request({ item: { ...item, sensitivity: 'restricted' }, approvers: [nina, lena, zed], needed: 2, votes: [vote(zed)] });
    const plan = tick(day(2), [restricted]);
    expect(steps(plan)).toEqual([
      { type: 'approval_remind', remindersSent: 1, to: 'nina@acme.example, lena@acme.example' },
      { type: 'approval_schedule', nextActionAt: day(4) },
    ]);
    expect(lines(plan.messages)).toEqual(['approval_reminder → nina [approval:7]', 'approval_reminder → lena [approval:7]']);
    expect(plan.messages.map((m) => m.dedupeKey)).toEqual(['approval_reminder:7:remind:1', 'approval_reminder:7:remind:1']);
  });

  it('when the tick runs again after the reminder, then nobody is reminded twice', () => {
    const plan = tick(day(3), [request({ remindersSent: 1 })]);
    expect(steps(plan)).toEqual([{ type: 'approval_schedule', nextActionAt: day(4) }]);
    expect(plan.messages).toEqual([]);
  });

  it('when the team-lead rung is reached, then the lead is told, without buttons when they are not an approver', () => {
    const plan = tick(day(4), [request({ remindersSent: 1 })]);
    expect(steps(plan)).toEqual([
      { type: 'approval_escalate', level: 1, to: 'lena@acme.example' },
      { type: 'approval_schedule', nextActionAt: day(7) },
    ]);
    expect(lines(plan.messages)).toEqual(['approval_reminder → lena []']);
    expect(plan.messages[0]?.message.sections[0]?.actions).toEqual([]);
  });

  it('when the lead is an approver, then the lead’s escalation carries the buttons', () => {
    const plan = tick(day(4), [request({ approvers: [lena], item: { ...item, approver: null }, remindersSent: 1 })]);
    expect(lines(plan.messages)).toEqual(['approval_reminder → lena [approval:7]']);
    expect(plan.messages[0]?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['approval.approve', 'approval.reject']);
  });

  it('when the lead asked for it, then the team-lead rung passes to the security channel', () => {
    const plan = tick(day(4), [request({ requester: lena, remindersSent: 1 })]);
    expect(steps(plan)[0]).toEqual({ type: 'approval_escalate', level: 2, to: 'the security channel' });
    expect(lines(plan.messages)).toEqual(['approval_request → security [approval:7]']);
  });

  it('when the security rung is reached, then the security channel gets the card with Approve and Reject, saying an admin may decide', () => {
    const plan = tick(day(7), [request({ remindersSent: 1, escalationLevel: 1 })]);
    expect(steps(plan)).toEqual([
      { type: 'approval_escalate', level: 2, to: 'the security channel' },
      { type: 'approval_schedule', nextActionAt: day(14) },
    ]);
    const [card] = plan.messages;
    expect(card?.addressee).toEqual({ kind: 'security_channel', channel: '#sec-ownership' });
    expect(card?.dedupeKey).toBe('approval_request:7:escalated:2');
    expect(card?.message.kind).toBe('approval_request');
    expect(card?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['approval.approve', 'approval.reject']);
    expect(card?.message.sections[0]?.facts.find((f) => f.label === 'Approvers')?.value).toMatch(/a security admin may decide it now/);
  });

  it('when expireAfterDays pass undecided, then it expires: the card rewritten, the requester told, the webhook told once', () => {
    const plan = tick(day(14), [request({ remindersSent: 1, escalationLevel: 2 })]);
    expect(steps(plan)).toEqual([
      {
        type: 'approval_expire',
        resolve: [{ subject: 'approval:7', text: 'Expired undecided on 2026-11-16; nothing changed' }],
      },
    ]);
    expect(lines(plan.messages)).toEqual(['approval_receipt → ana []', 'approval_decision → webhook []']);
    expect(plan.messages[0]?.message.text).toBe('Expired undecided on 2026-11-16; nothing changed: its approvers did not decide it in time. Ask again if it is still needed.');
    expect(plan.messages[1]?.message.event).toMatchObject({
      type: 'approval.decided',
      request: { id: 7, status: 'expired', decidedBy: [], reason: 'its approvers did not decide it in time', payload: { kind: 'rotation', trigger: 'owner' } },
      policyVersion: 'v-test',
    });
  });

  it('when the tick runs 20 days late, then it takes one step, the latest: the request expires, with no reminder or escalation first', () => {
    const plan = tick(day(20), [request()]);
    expect(steps(plan).map((d) => d.type)).toEqual(['approval_expire']);
    expect(lines(plan.messages)).toEqual(['approval_receipt → ana []', 'approval_decision → webhook []']);
  });

  it('when a tick runs 5 days late, then it escalates once to the lead and does not also remind', () => {
    const plan = tick(day(5), [request()]);
    expect(steps(plan)).toEqual([
      { type: 'approval_escalate', level: 1, to: 'lena@acme.example' },
      { type: 'approval_schedule', nextActionAt: day(7) },
    ]);
  });

  it('when the policy’s ladder is different, then its offsets are followed', () => {
    const quick = Policy.parse({ securityChannel: '#sec', approvals: { reminderOffsetsDays: [1], escalation: [{ afterDays: 2, to: 'security_channel' }], expireAfterDays: 3 } });
    const at = (now: string) => decideApprovalTick({ now, policyVersion: 'v', due: [{ request: request(), teamHasChannel: true, dependents: [] }], admins: [] }, quick).decisions.map((d) => d.type);
    expect(at(day(1))).toEqual(['approval_remind', 'approval_schedule']);
    expect(at(day(2))).toEqual(['approval_escalate', 'approval_schedule']);
    expect(at(day(3))).toEqual(['approval_expire']);
  });
});

describe('decideApprovalTick: a transfer’s offer climbs the attestation ladder', () => {
  it.each<[number, Partial<StoredApproval>, object, string[]]>([
    [2, {}, { type: 'offer_remind', remindersSent: 1, to: 'cy@acme.example' }, ['transfer_offer → cy [offer:7]']],
    [5, { offerRemindersSent: 1 }, { type: 'offer_remind', remindersSent: 2, to: 'cy@acme.example' }, ['transfer_offer → cy [offer:7]']],
    [7, { offerRemindersSent: 2 }, { type: 'offer_escalate', level: 1, to: 'ben@acme.example' }, ['approval_reminder → ben []']],
    [10, { offerRemindersSent: 2, offerEscalationLevel: 1 }, { type: 'offer_escalate', level: 2, to: 'lena@acme.example' }, ['approval_reminder → lena []']],
    [12, { offerRemindersSent: 2, offerEscalationLevel: 2 }, { type: 'offer_escalate', level: 3, to: "team payments's channel" }, ['approval_reminder → team:payments []']],
    [14, { offerRemindersSent: 2, offerEscalationLevel: 3 }, { type: 'offer_escalate', level: 4, to: 'the security channel' }, ['approval_reminder → security []']],
  ])('when the offer is unanswered on day %i, then %j', (n, position, decision, messages) => {
    const plan = tick(day(n), [offer(position)]);
    expect(steps(plan)[0]).toEqual(decision);
    expect(lines(plan.messages)).toEqual(messages);
  });

  it('when the proposed owner is reminded, then the offer keeps its Accept and Decline and says it is a reminder', () => {
    const [message] = tick(day(2), [offer()]).messages;
    expect(message?.message.title).toBe('Reminder: ana@acme.example offers you API payments-api');
    expect(message?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['transfer.accept', 'transfer.decline']);
    expect(message?.dedupeKey).toBe('transfer_offer:7:remind:1');
  });

  it('when the offer is escalated, then the rung is told who has not answered, with no buttons to press', () => {
    const [message] = tick(day(7), [offer({ offerRemindersSent: 2 })]).messages;
    expect(message?.message.text).toBe('cy@acme.example has not answered the offer. Please chase them; until they accept, the item stays with its owner.');
    expect(message?.message.sections[0]?.actions).toEqual([]);
  });

  it('when a transfer needs no approver, then the approvals’ expiry on day 14 does not end it; the offer’s on day 21 does', () => {
    const waiting = tick(day(14), [offer({ offerRemindersSent: 2, offerEscalationLevel: 4 })]);
    expect(steps(waiting)).toEqual([{ type: 'approval_schedule', nextActionAt: day(21) }]);
    const expired = tick(day(21), [offer({ offerRemindersSent: 2, offerEscalationLevel: 4 })]);
    expect(steps(expired)).toEqual([
      {
        type: 'approval_expire',
        resolve: [
          { subject: 'approval:7', text: 'Expired undecided on 2026-11-23; nothing changed' },
          { subject: 'offer:7', text: 'Expired undecided on 2026-11-23; nothing changed' },
        ],
      },
    ]);
    expect(expired.messages[0]?.message.text).toMatch(/: cy@acme\.example did not accept it in time\./);
    expect(expired.messages[1]?.message.event).toMatchObject({ request: { status: 'expired', reason: 'cy@acme.example did not accept it in time' } });
  });

  it('when a transfer needs an approver too, then both ladders climb on the same tick and the next look is the earlier of the two', () => {
    const both = offer({ requester: ben, approvers: [nina], needed: 1 });
    const plan = tick(day(2), [both]);
    expect(steps(plan)).toEqual([
      { type: 'approval_remind', remindersSent: 1, to: 'nina@acme.example' },
      { type: 'offer_remind', remindersSent: 1, to: 'cy@acme.example' },
      { type: 'approval_schedule', nextActionAt: day(4) },
    ]);
  });

  it('when the approver approved and only the Accept is awaited, then only the offer is chased', () => {
    const approved = offer({ requester: ben, approvers: [nina], needed: 1, votes: [vote(nina)] });
    const plan = tick(day(2), [approved]);
    expect(steps(plan)).toEqual([
      { type: 'offer_remind', remindersSent: 1, to: 'cy@acme.example' },
      { type: 'approval_schedule', nextActionAt: day(5) },
    ]);
  });

  it('when the proposed owner accepted and the approver has not decided, then only the approver is chased', () => {
    const accepted = offer({ requester: ben, approvers: [nina], needed: 1, offer: 'accepted' });
    const plan = tick(day(2), [accepted]);
    expect(steps(plan).map((d) => d.type)).toEqual(['approval_remind', 'approval_schedule']);
    expect(lines(plan.messages)).toEqual(['approval_reminder → nina [approval:7]']);
  });
});

describe('decideApprovalTick: a request carried over from before approvals existed', () => {
  const dependents: Dependent[] = [{ kind: 'api', ref: 'orders-api', name: 'orders-api', how: 'depends on it', accountable: lia, team: 'ledger' }];
  const carried = (overrides: Partial<StoredApproval> = {}) =>
    request({ kind: 'decommission', payload: { kind: 'decommission' }, wherePosted: null, approvers: [], needed: 1, justification: 'replaced by payments-v2', ...overrides });

  it('when it waits to be posted, then it is posted to the team with the approvers the policy names now, and the dependents’ owners are told', () => {
    const plan = tick(day(1), [{ request: carried(), teamHasChannel: true, dependents }]);
    expect(steps(plan)).toEqual([{ type: 'approval_post', requestedBy: ana.email, approverIds: [nina.id], needed: 1, where: 'team', nextActionAt: day(3) }]);
    expect(lines(plan.messages)).toEqual(['approval_request → team:payments [approval:7]', 'approval_notice → lia []']);
    const card = plan.messages[0];
    expect(card?.message.mentions?.map((m) => m.email)).toEqual([nina.email]);
    expect(card?.message.sections[0]?.facts.find((f) => f.label === 'Depends on it')?.value).toBe('API orders-api (depends on it; owner lia@acme.example, team ledger)');
  });

  it('when its item now has restricted data, then it is posted needing two approvals', () => {
    const plan = tick(day(1), [carried({ item: { ...item, sensitivity: 'restricted' } })]);
    expect(steps(plan)[0]).toMatchObject({ type: 'approval_post', approverIds: [nina.id, lena.id, zed.id, yan.id], needed: 2, where: 'team' });
  });

  it('when the owning team has no channel, then the card goes to the security channel', () => {
    const plan = tick(day(1), [{ request: carried(), teamHasChannel: false, dependents: [] }]);
    expect(lines(plan.messages)).toEqual(['approval_request → security [approval:7]']);
  });

  it('when its requester is the only approver of record, then it goes to the security admins', () => {
    const plan = tick(day(1), [carried({ requester: nina })]);
    expect(steps(plan)[0]).toMatchObject({ type: 'approval_post', approverIds: [zed.id, yan.id], needed: 1, where: 'security' });
  });

  it('when its requester is the approver of record and also an admin, then the other admins decide it', () => {
    const plan = tick(day(1), [carried({ requester: nina })], [nina, zed]);
    expect(steps(plan)[0]).toMatchObject({ type: 'approval_post', approverIds: [zed.id], needed: 1, where: 'security' });
  });
});
