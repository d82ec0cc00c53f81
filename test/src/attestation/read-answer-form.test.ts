import { describe, expect, it } from 'vitest';
import type { AnswerFormInput } from '../../../src/attestation/read-answer-form.js';
import { readAnswerForm } from '../../../src/attestation/read-answer-form.js';
import type { AnswerActionId } from '../../../src/attestation/answer-forms.js';
import { secretShapes } from '../../support/secret-shapes.js';

const rules = { snoozeMaxDays: 30 };
const read = (id: AnswerActionId, input: AnswerFormInput) => readAnswerForm(id, input, rules);
/** The errors as `field code`, the way a table reads them. */
const refused = (id: AnswerActionId, input: AnswerFormInput) => {
  const result = read(id, input);
  return result.ok ? result : result.errors.map((e) => `${e.field} ${e.code}`);
};

const secret = secretShapes.slackBotToken();
const awsKey = secretShapes.awsSecretAccessKey();
const halfCharacter = 'still needed \ud800';

describe('readAnswerForm: which action means which answer', () => {
  it.each<[AnswerActionId, AnswerFormInput, object]>([
    ['attest.confirm', {}, { type: 'confirm' }],
    ['attest.confirm_all', {}, { type: 'confirm' }],
    ['attest.decommission', {}, { type: 'decommission', reason: null }],
    ['attest.dispute', {}, { type: 'dispute', reason: null, suggestedOwner: null }],
    ['attest.update', { purpose: 'Nightly exports' }, { type: 'update', changes: { purpose: 'Nightly exports' }, reason: null }],
    ['attest.snooze', { days: '14', reason: 'Vendor migration' }, { type: 'snooze', days: 14, reason: 'Vendor migration' }],
  ])('when %s is answered with %j, then the answer is %j', (id, input, action) => {
    expect(read(id, input)).toEqual({ ok: true, action, note: null });
  });

  it.each<AnswerActionId>(['attest.confirm', 'attest.confirm_all'])('when %s carries a note, then the note comes with the answer, trimmed', (id) => {
    expect(read(id, { note: '  still the ledger ' })).toEqual({ ok: true, action: { type: 'confirm' }, note: 'still the ledger' });
  });
});

describe('readAnswerForm: what each form takes', () => {
  it.each<[AnswerActionId, AnswerFormInput, string[]]>([
    ['attest.confirm', { reason: 'x' }, ['reason not_taken']],
    ['attest.confirm_all', { days: '3' }, ['days not_taken']],
    ['attest.snooze', { days: '3', reason: 'x', note: 'y' }, ['note not_taken']],
    ['attest.dispute', { note: 'y', purpose: 'z' }, ['note not_taken', 'purpose not_taken']],
    ['attest.decommission', { suggestedOwner: 'a@b.example' }, ['suggestedOwner not_taken']],
    ['attest.update', { purpose: 'x', days: '3' }, ['days not_taken']],
  ])('when %s is given %j, then the fields it does not take are refused', (id, input, errors) => {
    expect(refused(id, input)).toEqual(errors);
  });

  it('when a field it does not take is left empty, then it is no error (a surface may send every field it has)', () => {
    expect(read('attest.confirm', { reason: '  ', days: null })).toEqual({ ok: true, action: { type: 'confirm' }, note: null });
  });
});

describe('readAnswerForm: every field rule', () => {
  it.each<[string, AnswerActionId, AnswerFormInput, string[]]>([
    // Secrets, on every text field: refused on the field, before any other rule reads it.
    ['a secret as a note', 'attest.confirm', { note: `token ${secret}` }, ['note secret']],
    ['a secret as a dispute reason', 'attest.dispute', { reason: secret }, ['reason secret']],
    ['a secret as the suggested owner (mixed case, before it is lower-cased)', 'attest.dispute', { suggestedOwner: awsKey }, ['suggestedOwner secret']],
    ['a secret as a decommission reason', 'attest.decommission', { reason: secret }, ['reason secret']],
    ['a secret as a snooze reason', 'attest.snooze', { days: '3', reason: secret }, ['reason secret']],
    ['a secret as the days', 'attest.snooze', { days: awsKey, reason: 'x' }, ['days secret']],
    ['a secret as a purpose', 'attest.update', { purpose: secret }, ['purpose secret']],
    ['a secret as scopes', 'attest.update', { scopes: `repo ${secret}` }, ['scopes secret']],
    ['a secret as the expiry', 'attest.update', { expiresAt: awsKey }, ['expiresAt secret']],
    ['a secret as a recovery procedure', 'attest.update', { recoveryProcedure: `rotate with ${secretShapes.githubClassicToken()}` }, ['recoveryProcedure secret']],
    ['a secret as a revocation path', 'attest.update', { revocationPath: secretShapes.slackWebhookUrl() }, ['revocationPath secret']],
    // Half a character, which cannot be stored as it was hashed.
    ['half a character in a note', 'attest.confirm', { note: halfCharacter }, ['note half_character']],
    ['half a character in a reason', 'attest.snooze', { days: '3', reason: halfCharacter }, ['reason half_character']],
    ['half a character in a fact', 'attest.update', { purpose: halfCharacter }, ['purpose half_character']],
    // Emails.
    ['a name for an owner', 'attest.dispute', { suggestedOwner: 'lena' }, ['suggestedOwner not_email']],
    ['an owner without a domain', 'attest.dispute', { suggestedOwner: 'lena@acme' }, ['suggestedOwner not_email']],
    ['two owners', 'attest.dispute', { suggestedOwner: 'a@b.example, c@d.example' }, ['suggestedOwner not_email']],
    ['an owner in words', 'attest.dispute', { suggestedOwner: 'lena at acme.example' }, ['suggestedOwner not_email']],
    ['an owner with two @', 'attest.dispute', { suggestedOwner: 'a@b@c.d' }, ['suggestedOwner not_email']],
    ['an owner address past 254 characters', 'attest.dispute', { suggestedOwner: `${'a'.repeat(250)}@b.example` }, ['suggestedOwner too_long']],
    // Dates.
    ['an impossible date', 'attest.update', { expiresAt: '2027-02-30' }, ['expiresAt not_date']],
    ['a date in words', 'attest.update', { expiresAt: 'next spring' }, ['expiresAt not_date']],
    ['a date the other way round', 'attest.update', { expiresAt: '30/06/2027' }, ['expiresAt not_date']],
    // Scopes.
    ['scopes that are only separators', 'attest.update', { scopes: ' , ,, ' }, ['scopes no_scopes']],
    // Days.
    ['no days', 'attest.snooze', { reason: 'x' }, ['days required']],
    ['zero days', 'attest.snooze', { days: '0', reason: 'x' }, ['days out_of_range']],
    ['a day over the cap', 'attest.snooze', { days: '31', reason: 'x' }, ['days out_of_range']],
    ['a fraction of a day', 'attest.snooze', { days: '2.5', reason: 'x' }, ['days out_of_range']],
    ['negative days', 'attest.snooze', { days: '-3', reason: 'x' }, ['days out_of_range']],
    ['days in hex', 'attest.snooze', { days: '0x10', reason: 'x' }, ['days out_of_range']],
    ['days in words', 'attest.snooze', { days: 'two weeks', reason: 'x' }, ['days out_of_range']],
    // Required.
    ['no reason for a snooze', 'attest.snooze', { days: '3' }, ['reason required']],
    ['a blank reason for a snooze', 'attest.snooze', { days: '3', reason: '   ' }, ['reason required']],
    ['neither days nor reason', 'attest.snooze', {}, ['days required', 'reason required']],
    ['no fact to correct', 'attest.update', {}, ['purpose required']],
    ['only emptied facts', 'attest.update', { purpose: ' ', scopes: '' }, ['purpose required']],
    // Length.
    ['a purpose past 500 characters', 'attest.update', { purpose: 'p'.repeat(501) }, ['purpose too_long']],
    ['a recovery procedure past 2,000 characters', 'attest.update', { recoveryProcedure: 'r'.repeat(2001) }, ['recoveryProcedure too_long']],
    ['a revocation path past 2,000 characters', 'attest.update', { revocationPath: 'r'.repeat(2001) }, ['revocationPath too_long']],
    ['scopes past 2,000 characters', 'attest.update', { scopes: 'repo:read '.repeat(201) }, ['scopes too_long']],
    ['a note past 2,000 characters', 'attest.confirm', { note: 'n'.repeat(2001) }, ['note too_long']],
    ['a dispute reason past 2,000 characters', 'attest.dispute', { reason: 'r'.repeat(2001) }, ['reason too_long']],
    ['a decommission reason past 2,000 characters', 'attest.decommission', { reason: 'r'.repeat(2001) }, ['reason too_long']],
    ['a snooze reason past 2,000 characters', 'attest.snooze', { days: '3', reason: 'r'.repeat(2001) }, ['reason too_long']],
    // Several at once: one error per field, in the form's order.
    ['a bad date and a secret purpose', 'attest.update', { expiresAt: 'soon', purpose: secret }, ['purpose secret', 'expiresAt not_date']],
    ['a bad owner and a secret reason', 'attest.dispute', { suggestedOwner: 'lena', reason: secret }, ['reason secret', 'suggestedOwner not_email']],
  ])('when the form holds %s, then it is refused on its field', (_, id, input, errors) => {
    expect(refused(id, input)).toEqual(errors);
  });

  it.each<[string, AnswerActionId, AnswerFormInput]>([
    ['a purpose of exactly 500 characters', 'attest.update', { purpose: 'p'.repeat(500) }],
    ['a note of exactly 2,000 characters', 'attest.confirm', { note: 'n'.repeat(2000) }],
    ['the cap exactly', 'attest.snooze', { days: '30', reason: 'x' }],
    ['one day', 'attest.snooze', { days: '1', reason: 'x' }],
    ['an owner with a subdomain and a plus', 'attest.dispute', { suggestedOwner: 'lena+steward@mail.acme.example' }],
    ['a date-time with an offset', 'attest.update', { expiresAt: '2027-06-30T09:00+02:00' }],
    ['a runbook link with a query', 'attest.update', { recoveryProcedure: 'https://runbooks.acme.example/rotate?key=ci&env=prod' }],
  ])('when the form holds %s, then it is accepted', (_, id, input) => {
    expect(read(id, input)).toMatchObject({ ok: true });
  });

  it('when the cap is lower now than when the form was shown, then the cap as it is now applies', () => {
    expect(readAnswerForm('attest.snooze', { days: '20', reason: 'x' }, { snoozeMaxDays: 14 })).toEqual({
      ok: false,
      errors: [{ field: 'days', code: 'out_of_range', message: 'Snooze for 1 to 14 days (the policy’s limit).' }],
    });
  });
});

describe('readAnswerForm: what is recorded is normalised as the core compares it', () => {
  it('when facts are typed loosely, then they are trimmed, scopes joined by one space, and the date written as toISOString() does', () => {
    expect(read('attest.update', { purpose: '  Nightly exports ', scopes: 'a, b\n c,,', expiresAt: ' 2027-06-30 ', recoveryProcedure: null })).toEqual({
      ok: true,
      action: { type: 'update', changes: { purpose: 'Nightly exports', scopes: 'a b c', expiresAt: '2027-06-30T00:00:00.000Z' }, reason: null },
      note: null,
    });
  });

  it('when a suggested owner is typed in capitals, then it is recorded lower-cased, as people are keyed', () => {
    expect(read('attest.dispute', { reason: ' Handed over ', suggestedOwner: ' Lena@Acme.example ' })).toEqual({
      ok: true,
      action: { type: 'dispute', reason: 'Handed over', suggestedOwner: 'lena@acme.example' },
      note: null,
    });
  });
});

describe('readAnswerForm: errors never repeat what was typed', () => {
  it.each<[AnswerActionId, AnswerFormInput, string]>([
    ['attest.update', { expiresAt: awsKey }, awsKey],
    ['attest.update', { purpose: `${secret} ${'p'.repeat(600)}` }, secret],
    ['attest.dispute', { suggestedOwner: awsKey }, awsKey],
    ['attest.snooze', { days: awsKey, reason: secret }, secret],
    ['attest.confirm', { note: secret }, secret],
  ])('when %s holds a secret, then no error message holds any of it', (id, input, typed) => {
    const result = read(id, input);
    expect(result.ok).toBe(false);
    const said = JSON.stringify(result);
    expect(said).not.toContain(typed.slice(0, 12));
    expect(said).not.toContain(typed.slice(-12));
  });

  it('when a secret is refused, then the message names its kind and says to revoke it', () => {
    expect(read('attest.update', { expiresAt: awsKey })).toEqual({
      ok: false,
      errors: [
        {
          field: 'expiresAt',
          code: 'secret',
          message: 'That looks like an AWS secret access key; Steward never stores secrets, so nothing was recorded. Remove it, and revoke it if it was real.',
        },
      ],
    });
  });
});
