import { describe, expect, it } from 'vitest';
import type { AnswerAction } from '../../../src/attestation/answer-action.js';
import { answerFieldErrors } from '../../../src/attestation/answer-field-errors.js';
import { answerForms, isAnswerActionId } from '../../../src/attestation/answer-forms.js';
import { actionIds } from '../../../src/messages/outgoing-message.js';
import { secretShapes } from '../../support/secret-shapes.js';

const rules = { snoozeMaxDays: 30 };
const codes = (action: AnswerAction, note: string | null = null) => answerFieldErrors(action, note, rules).map((e) => `${e.field} ${e.code}`);

describe('answerFieldErrors: the same rules for an answer no form read (steward attest --note, a test, a future surface)', () => {
  it.each<[string, AnswerAction, string | null, string[]]>([
    ['a bare confirm', { type: 'confirm' }, null, []],
    ['a secret note', { type: 'confirm' }, `see ${secretShapes.githubClassicToken()}`, ['note secret']],
    ['a note past 2,000 characters', { type: 'confirm' }, 'n'.repeat(2001), ['note too_long']],
    ['an update with no fact', { type: 'update', changes: {} }, null, ['purpose required']],
    ['an update with a date that is none', { type: 'update', changes: { expiresAt: 'soon' } }, null, ['expiresAt not_date']],
    ['an update with empty scopes', { type: 'update', changes: { scopes: ',' } }, null, ['scopes no_scopes']],
    ['a dispute naming no email', { type: 'dispute', reason: null, suggestedOwner: 'lena' }, null, ['suggestedOwner not_email']],
    ['a decommission with half a character', { type: 'decommission', reason: 'old \udc00' }, null, ['reason half_character']],
    ['a snooze of NaN days', { type: 'snooze', days: Number.NaN, reason: 'x' }, null, ['days out_of_range']],
    ['a snooze of 1.5 days and no reason', { type: 'snooze', days: 1.5, reason: ' ' }, null, ['days out_of_range', 'reason required']],
    ['a well-formed snooze', { type: 'snooze', days: 30, reason: 'Freeze' }, null, []],
  ])('when the answer is %s, then the errors are %j', (_, action, note, expected) => {
    expect(codes(action, note)).toEqual(expected);
  });
});

describe('answerForms: the action map', () => {
  it('when the core offers its actions, then each attest.* action has a form and no other does', () => {
    expect(actionIds.filter(isAnswerActionId)).toEqual(Object.keys(answerForms));
    expect(actionIds.filter((id) => !isAnswerActionId(id))).toEqual(['queue.claim', 'queue.take', 'approval.approve', 'approval.reject', 'transfer.accept', 'transfer.decline', 'request.rotation']);
  });

  it('when a name is no action, then it is no answer either (not even an Object property)', () => {
    expect(['toString', 'constructor', 'attest.nothing'].filter(isAnswerActionId)).toEqual([]);
  });

  it('when a form needs a field, then it also takes it', () => {
    for (const form of Object.values(answerForms)) expect(form.fields).toEqual(expect.arrayContaining([...form.required]));
  });
});
