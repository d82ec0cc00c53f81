import { describe, expect, test } from 'vitest';
import { readCardAction } from '../../../adapters/teams/card-action.js';
import { cardsFor } from '../../../adapters/teams/cards/cards-for.js';
import { inputId } from '../../../adapters/teams/cards/input-ids.js';
import { readAnswerForm } from '../../../src/attestation/read-answer-form.js';
import { promptMessages } from '../../../src/messages/attestation-messages.js';
import { actionIds } from '../../../src/messages/outgoing-message.js';
import { ana, prompts } from '../slack/blocks/core-messages.js';
import { inputsIn, objectsIn } from './cards/card-schema.js';

const execute = (verb: string, data: unknown) => ({ type: 'Action.Execute', verb, data });

describe('readCardAction: what a Steward card sends', () => {
  test.each(actionIds)('when %s is clicked, then the verb and value come back as the core gave them', (verb) => {
    expect(readCardAction(execute(verb, { value: '17,18' }))).toEqual({ ok: true, actionId: verb, value: '17,18', fields: {} });
  });

  test('when Snooze is sent, then its fields come back by the core’s names, and the other items’ and forms’ inputs are left out', () => {
    const data = {
      value: '17',
      [inputId('attest.snooze', 'days', '17')]: '14',
      [inputId('attest.snooze', 'reason', '17')]: 'Waiting for the vendor',
      [inputId('attest.snooze', 'reason', '18')]: 'another item',
      [inputId('attest.dispute', 'reason', '17')]: 'another form',
      [inputId('attest.update', 'purpose', '17')]: 'another form',
      unrelated: { nested: true },
    };
    expect(readCardAction(execute('attest.snooze', data))).toEqual({ ok: true, actionId: 'attest.snooze', value: '17', fields: { days: '14', reason: 'Waiting for the vendor' } });
  });

  test('when Approve is sent from an approval card, then its reason and typed ref come back by the core’s names, and Reject’s reason is left out', () => {
    const data = {
      value: '4',
      [inputId('approval.approve', 'reason', '4')]: 'Checked with the team',
      [inputId('approval.approve', 'confirmRef', '4')]: 'payments-api',
      [inputId('approval.reject', 'reason', '4')]: 'the other form',
      [inputId('approval.approve', 'reason', '5')]: 'another request',
    };
    expect(readCardAction(execute('approval.approve', data))).toEqual({ ok: true, actionId: 'approval.approve', value: '4', fields: { reason: 'Checked with the team', confirmRef: 'payments-api' } });
    expect(readCardAction(execute('transfer.decline', { value: '4', [inputId('transfer.decline', 'reason', '4')]: 'not mine' }))).toEqual({ ok: true, actionId: 'transfer.decline', value: '4', fields: { reason: 'not mine' } });
  });

  test('when a number input comes back as a number, then it reaches the core as text, which judges it', () => {
    const read = readCardAction(execute('attest.snooze', { value: '17', [inputId('attest.snooze', 'days', '17')]: 2.5 }));
    expect(read).toEqual({ ok: true, actionId: 'attest.snooze', value: '17', fields: { days: '2.5' } });
    if (!read.ok) throw new Error('refused');
    expect(readAnswerForm('attest.snooze', read.fields, { snoozeMaxDays: 30 })).toMatchObject({ ok: false, errors: [{ field: 'days', code: 'out_of_range' }, { field: 'reason', code: 'required' }] });
  });

  test('when an input was left empty or cleared, then it is absent or empty, as the core expects', () => {
    const data = { value: '17', [inputId('attest.dispute', 'reason', '17')]: '', [inputId('attest.dispute', 'suggestedOwner', '17')]: null };
    expect(readCardAction(execute('attest.dispute', data))).toEqual({ ok: true, actionId: 'attest.dispute', value: '17', fields: { reason: '' } });
  });

  test('when Teams sends every input of a rendered card, then only the clicked item’s form for that answer is read', () => {
    const [card] = cardsFor(promptMessages(ana, prompts(3))[0]?.message ?? { kind: 'reminder', title: '', text: '', sections: [], actions: [] }, { snoozeMaxDays: 30 });
    // What Action.Execute sends: the button's data merged with every input on the card, each typed with its own id.
    const everything = Object.fromEntries(inputsIn(card).map((i) => [String(i.id), i.type === 'Input.Number' ? 7 : `typed in ${String(i.id)}`]));
    const submit = objectsIn(card).find((o) => o.type === 'Action.Execute' && o.verb === 'attest.update' && (o.data as { value: string }).value === '101');

    const read = readCardAction({ ...submit, data: { ...(submit?.data as object), ...everything } });

    expect(read).toEqual({
      ok: true,
      actionId: 'attest.update',
      value: '101',
      fields: {
        purpose: 'typed in attest.update.purpose@101',
        scopes: 'typed in attest.update.scopes@101',
        expiresAt: 'typed in attest.update.expiresAt@101',
        recoveryProcedure: 'typed in attest.update.recoveryProcedure@101',
        reason: 'typed in attest.update.reason@101',
      },
    });
  });
});

describe('readCardAction: anything else', () => {
  test.each([
    ['nothing', undefined, 'not_execute'],
    ['a string', 'attest.confirm', 'not_execute'],
    ['an array', [execute('attest.confirm', { value: '1' })], 'not_execute'],
    ['an Action.Submit', { type: 'Action.Submit', verb: 'attest.confirm', data: { value: '1' } }, 'not_execute'],
    ['no verb', { type: 'Action.Execute', data: { value: '1' } }, 'unknown_verb'],
    ['an unknown verb', execute('attest.approve', { value: '1' }), 'unknown_verb'],
    ['a verb from the prototype', execute('__proto__', { value: '1' }), 'unknown_verb'],
    ['a verb that is not text', execute(['attest.confirm'] as unknown as string, { value: '1' }), 'unknown_verb'],
    ['no data', { type: 'Action.Execute', verb: 'attest.confirm' }, 'no_value'],
    ['data as a string', execute('attest.confirm', '1'), 'no_value'],
    ['no value', execute('attest.confirm', {}), 'no_value'],
    ['an empty value', execute('attest.confirm', { value: '' }), 'no_value'],
    ['a number value', execute('attest.confirm', { value: 17 }), 'no_value'],
    ['a huge value', execute('attest.confirm', { value: '1,'.repeat(10_000) }), 'no_value'],
    ['an input that is an object', execute('attest.snooze', { value: '1', [inputId('attest.snooze', 'reason', '1')]: { toString: 'x' } }), 'bad_input'],
    ['an input that is a list', execute('attest.dispute', { value: '1', [inputId('attest.dispute', 'reason', '1')]: ['a'] }), 'bad_input'],
    ['an input that is true', execute('attest.decommission', { value: '1', [inputId('attest.decommission', 'reason', '1')]: true }), 'bad_input'],
    ['a number in a text input', execute('attest.dispute', { value: '1', [inputId('attest.dispute', 'reason', '1')]: 5 }), 'bad_input'],
    ['a huge input', execute('attest.update', { value: '1', [inputId('attest.update', 'purpose', '1')]: 'x'.repeat(200_000) }), 'bad_input'],
  ])('when the invoke carries %s, then it is refused with words, without throwing', (_, action, code) => {
    const read = readCardAction(action);
    expect(read).toMatchObject({ ok: false, code });
    expect(read.ok ? '' : read.text).not.toBe('');
  });

  test('when data carries a __proto__ key from JSON, then nothing is polluted and the click reads as usual', () => {
    const action = JSON.parse('{"type":"Action.Execute","verb":"attest.confirm","data":{"value":"3","__proto__":{"polluted":true}}}') as unknown;
    expect(readCardAction(action)).toEqual({ ok: true, actionId: 'attest.confirm', value: '3', fields: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
