import { describe, expect, it } from 'vitest';
import { decisionFieldErrors, decisionForms, isDecisionActionId, readDecisionForm, type DecisionInput } from '../../../src/approvals/decision-input.js';
import { secretShapes } from '../../support/secret-shapes.js';

/* Every field rule of a decision, whoever decides: a button's form, `decide <id> approve|reject`, `press` on the console. */

const plain = { destructive: false, ref: 'ci-deployer' };
const destructive = { destructive: true, ref: 'payments-api' };
const codes = (input: DecisionInput, rules = plain) => decisionFieldErrors(input, rules).map((e) => `${e.field} ${e.code}`);

const approve = (reason: string | null = null, confirmRef: string | null = null): DecisionInput => ({ action: 'approve', reason, confirmRef });

describe('decisionFieldErrors: the reason', () => {
  it.each<[string, DecisionInput, string[]]>([
    ['an approval with no reason', approve(), []],
    ['an accept with no reason', { action: 'accept', reason: null }, []],
    ['a reject with no reason', { action: 'reject', reason: null }, ['reason required']],
    ['a reject with a blank reason', { action: 'reject', reason: '  \n ' }, ['reason required']],
    ['a decline with no reason', { action: 'decline', reason: null }, ['reason required']],
    ['a reject that says why', { action: 'reject', reason: 'too broad' }, []],
    ['a decline that says why', { action: 'decline', reason: 'not my team' }, []],
  ])('when %s is given, then the errors are %j', (_, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it('when a reject says nothing, then the words say the requester is told; a decline, whoever offered it', () => {
    expect(decisionFieldErrors({ action: 'reject', reason: null }, plain)[0]?.message).toBe('Say why: the requester is told.');
    expect(decisionFieldErrors({ action: 'decline', reason: null }, plain)[0]?.message).toBe('Say why: whoever offered it is told.');
  });

  it.each<[string, DecisionInput]>([
    ['approve', approve('y'.repeat(2001))],
    ['reject', { action: 'reject', reason: 'y'.repeat(2001) }],
    ['decline', { action: 'decline', reason: 'y'.repeat(2001) }],
  ])('when the reason to %s is 2,001 characters, then it is refused naming the limit', (_, input) => {
    expect(decisionFieldErrors(input, plain)).toEqual([{ field: 'reason', code: 'too_long', message: 'Keep it to 2,000 characters (this is 2,001).' }]);
  });

  it('when the reason is exactly 2,000 characters, then it is taken', () => {
    expect(codes({ action: 'reject', reason: 'y'.repeat(2000) })).toEqual([]);
  });

  it.each<[string, string]>([
    ['a Slack user token', secretShapes.slackUserToken()],
    ['a GitLab token', secretShapes.gitlabPersonalAccessToken()],
    ['a private key', secretShapes.pemPrivateKey('EC ')],
  ])('when %s is pasted into the reason, then it is refused and never repeated', (_, secret) => {
    const errors = decisionFieldErrors({ action: 'reject', reason: `use this instead: ${secret}` }, plain);
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual(['reason secret']);
    expect(errors[0]?.message).toMatch(/Steward never stores secrets, so nothing was recorded/);
    expect(errors[0]?.message).not.toContain(secret);
  });
});

describe('decisionFieldErrors: approving something destructive asks for the item’s ref', () => {
  it.each<[string, string | null, string[]]>([
    ['the ref as written', 'payments-api', []],
    ['the ref in capitals', 'PAYMENTS-API', []],
    ['the ref with spaces around it', '  payments-api ', []],
    ['nothing', null, ['confirmRef required']],
    ['only spaces', '   ', ['confirmRef required']],
    ['part of the ref', 'payments', ['confirmRef mismatch']],
    ['another item’s ref', 'orders-api', ['confirmRef mismatch']],
  ])('when the approver types %s, then the errors are %j', (_, confirmRef, expected) => {
    expect(codes(approve(null, confirmRef), destructive)).toEqual(expected);
  });

  it('when the ref is missing or wrong, then the words name the ref to type', () => {
    expect(decisionFieldErrors(approve(), destructive)[0]?.message).toBe('Type payments-api to confirm: approving retires it.');
    expect(decisionFieldErrors(approve(null, 'orders-api'), destructive)[0]?.message).toBe('That is not payments-api: type the item’s ref exactly to confirm.');
  });

  it('when a destructive request is rejected, then no ref is asked for', () => {
    expect(codes({ action: 'reject', reason: 'still used' }, destructive)).toEqual([]);
  });

  it('when the request destroys nothing, then a typed ref is not checked', () => {
    expect(codes(approve(null, 'something else'), plain)).toEqual([]);
  });

  it('when the reason is too long and the ref is wrong, then both are named, the reason first', () => {
    expect(codes(approve('y'.repeat(2001), 'orders-api'), destructive)).toEqual(['reason too_long', 'confirmRef mismatch']);
  });
});

describe('readDecisionForm: a button and its form read into a decision', () => {
  it.each<[Parameters<typeof readDecisionForm>[0], Parameters<typeof readDecisionForm>[1], DecisionInput]>([
    ['approval.approve', { reason: '  fine ', confirmRef: ' payments-api ' }, { action: 'approve', reason: 'fine', confirmRef: 'payments-api' }],
    ['approval.approve', {}, { action: 'approve', reason: null, confirmRef: null }],
    ['approval.reject', { reason: 'too broad', confirmRef: 'ignored' }, { action: 'reject', reason: 'too broad' }],
    ['transfer.accept', { reason: '' }, { action: 'accept', reason: null }],
    ['transfer.decline', { reason: ' not mine ' }, { action: 'decline', reason: 'not mine' }],
  ])('when %s is pressed with %j, then the decision is %j', (actionId, form, expected) => {
    expect(readDecisionForm(actionId, form)).toEqual(expected);
  });

  it('when a name is no decision button (not even an Object property), then it is not taken for one', () => {
    expect(['approval.approve', 'transfer.decline', 'attest.confirm', 'toString', 'constructor'].filter(isDecisionActionId)).toEqual(['approval.approve', 'transfer.decline']);
  });

  it('when Approve is pressed, then its form asks a reason and the ref; the others only a reason', () => {
    expect(decisionForms['approval.approve'].fields).toEqual(['reason', 'confirmRef']);
    expect([decisionForms['approval.reject'], decisionForms['transfer.accept'], decisionForms['transfer.decline']].map((f) => f.fields)).toEqual([['reason'], ['reason'], ['reason']]);
  });
});
