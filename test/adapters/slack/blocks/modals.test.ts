import type { InputBlock, ModalView } from '@slack/types';
import { describe, expect, test } from 'vitest';
import {
  disputeModal,
  inputActionId,
  modalBlockIds,
  readSubmission,
  snoozeModal,
  updateModal,
  type SubmittedView,
} from '../../../../adapters/slack/blocks/modals.js';
import { decisionModal } from '../../../../adapters/slack/blocks/decision-modals.js';
import { decisionModalIds, viewCallbackIds } from '../../../../adapters/slack/slack-registry.js';
import { checkViewLimits } from '../../../support/block-kit-limits.js';
import { secretShapes } from '../../../support/secret-shapes.js';
import { apiFacts, aStoredApproval, identityFacts } from './core-messages.js';

const source = { channel: 'D024BE91L', ts: '1700000000.000100' };
const subject = { attestationId: 42, ref: 'ci-token', source };

/*
 * Submissions are read by the core's answer rules (src/attestation/read-answer-form.ts, whose table tests hold
 * every rule); these tests hold the modals to them end to end: what Slack sends back in, errors on the right block.
 */
const rules = { snoozeMaxDays: 30 };
const parseUpdate = (view: SubmittedView) => readSubmission('attest.update', view, rules);
const parseDispute = (view: SubmittedView) => readSubmission('attest.dispute', view, rules);
const parseSnooze = (view: SubmittedView, snoozeMaxDays: number) => readSubmission('attest.snooze', view, { snoozeMaxDays });
const secretRefusal = (kind: string) => `That looks like ${kind}; Steward never stores secrets, so nothing was recorded. Remove it, and revoke it if it was real.`;

const inputs = (view: ModalView) => view.blocks.filter((b): b is InputBlock => b.type === 'input');

/**
 * The view as Slack sends it back on submit: each input's value under its block id and action id. Inputs not
 * given keep their initial value, as in Slack; `null` clears one.
 */
function submitted(view: ModalView, typed: Record<string, string | null> = {}): SubmittedView {
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of inputs(view)) {
    const element = block.element as { type: string; initial_value?: string };
    const id = block.block_id as string;
    values[id] = { [inputActionId]: { type: element.type, value: id in typed ? (typed[id] ?? null) : (element.initial_value ?? null) } };
  }
  return { private_metadata: view.private_metadata ?? '', state: { values } };
}

describe('updateModal', () => {
  test('when an identity is updated, then its editable facts are prefilled as the core compares them, and Slack’s limits hold', () => {
    const view = updateModal({ ...subject, facts: identityFacts() });

    checkViewLimits(view);
    expect(view.callback_id).toBe('attest.update');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ attestationId: 42, source });
    expect(inputs(view).map((b) => [b.block_id, b.label.text, (b.element as { initial_value?: string }).initial_value])).toEqual([
      ['fact.purpose', 'Purpose', 'Deploys the checkout service'],
      ['fact.scopes', 'Scopes', 'contents:read deployments:write'],
      ['fact.expiresAt', 'Expires', '2027-01-31T00:00:00.000Z'],
      ['fact.recoveryProcedure', 'Recovery procedure', 'https://runbooks.acme.example/rotate?key=ci&env=prod'],
      ['update.reason', 'Why? (needed when the scopes change)', undefined],
    ]);
    expect(inputs(view).every((b) => b.optional === true)).toBe(true);
  });

  test('when an API is updated, then only its purpose and revocation path are offered', () => {
    expect(inputs(updateModal({ ...subject, facts: apiFacts() })).map((b) => b.block_id)).toEqual(['fact.purpose', 'fact.revocationPath', 'update.reason']);
  });

  test('when a fact is not recorded, then its input starts empty', () => {
    const view = updateModal({ ...subject, facts: identityFacts({ recoveryProcedure: null, expiresAt: null }) });
    const initial = Object.fromEntries(inputs(view).map((b) => [b.block_id, (b.element as { initial_value?: string }).initial_value]));
    expect(initial['fact.recoveryProcedure']).toBeUndefined();
    expect(initial['fact.expiresAt']).toBeUndefined();
  });

  test('when a fact is longer than an input holds, then it is not prefilled (a cut would record a change), and the hint says why', () => {
    const view = updateModal({ ...subject, ref: 'r'.repeat(300), facts: identityFacts({ purpose: 'p'.repeat(5000) }) });
    checkViewLimits(view);
    const purpose = inputs(view)[0];
    expect((purpose?.element as { initial_value?: string }).initial_value).toBeUndefined();
    expect(purpose?.hint?.text).toBe('It is 5,000 characters, too long to edit here; leave it empty to keep it.');
  });

  test('when opened from the Home tab, then there is no message to update', () => {
    expect(JSON.parse(updateModal({ ...subject, source: null, facts: apiFacts() }).private_metadata ?? '')).toEqual({ attestationId: 42, source: null });
  });
});

describe('parseUpdate', () => {
  const view = updateModal({ ...subject, facts: identityFacts() });

  test('when submitted unchanged, then every fact comes back as shown, so the core records no change', () => {
    expect(parseUpdate(submitted(view))).toEqual({
      ok: true,
      note: null,
      attestationId: 42,
      source,
      action: {
        type: 'update',
        changes: {
          purpose: 'Deploys the checkout service',
          scopes: 'contents:read deployments:write',
          expiresAt: '2027-01-31T00:00:00.000Z',
          recoveryProcedure: 'https://runbooks.acme.example/rotate?key=ci&env=prod',
        },
        reason: null,
      },
    });
  });

  test('when the scopes change with a reason, then the reason comes with the answer (the core makes it a scope change for an approver)', () => {
    expect(parseUpdate(submitted(view, { 'fact.scopes': 'contents:read deployments:write packages:write', 'update.reason': '  Publishes packages now ' }))).toMatchObject({
      ok: true,
      action: { type: 'update', changes: { scopes: 'contents:read deployments:write packages:write' }, reason: 'Publishes packages now' },
    });
  });

  test('when the reason holds a pasted secret, then it shows on the reason’s field and nothing is answered', () => {
    const result = parseUpdate(submitted(view, { 'fact.scopes': 'contents:read packages:write', 'update.reason': `token ${secretShapes.slackBotToken()}` }));
    expect(result).toEqual({ ok: false, errors: { 'update.reason': secretRefusal('a Slack token') } });
  });

  test('when facts are edited, then they are trimmed and normalised; an emptied one is left as it was', () => {
    const result = parseUpdate(submitted(view, { 'fact.purpose': '  Nightly exports  ', 'fact.scopes': 'a, b  c', 'fact.expiresAt': '2027-06-30', 'fact.recoveryProcedure': null }));
    expect(result).toMatchObject({ action: { type: 'update', changes: { purpose: 'Nightly exports', scopes: 'a b c', expiresAt: '2027-06-30T00:00:00.000Z' } } });
    expect(result.ok && result.action.type === 'update' && 'recoveryProcedure' in result.action.changes).toBe(false);
  });

  test.each([
    ['an impossible date', { 'fact.expiresAt': '2027-02-30' }, { 'fact.expiresAt': 'Give a date like 2027-01-31.' }],
    ['a date in words', { 'fact.expiresAt': 'next spring' }, { 'fact.expiresAt': 'Give a date like 2027-01-31.' }],
    [
      'a secret pasted as a procedure',
      { 'fact.recoveryProcedure': `rotate with ${secretShapes.githubClassicToken()}` },
      { 'fact.recoveryProcedure': secretRefusal('a GitHub token') },
    ],
  ])('when the modal holds %s, then the field shows an error and nothing is answered', (_, typed, errors) => {
    expect(parseUpdate(submitted(view, typed))).toEqual({ ok: false, errors });
  });
});

describe('the core’s rules on the update modal', () => {
  const view = updateModal({ ...subject, facts: identityFacts() });

  test('when every input is emptied, then the purpose says to correct one fact or Confirm, and nothing is answered', () => {
    const cleared = Object.fromEntries(inputs(view).map((b) => [b.block_id as string, null]));
    expect(parseUpdate(submitted(view, cleared))).toEqual({ ok: false, errors: { 'fact.purpose': 'Correct at least one fact, or use Confirm if they are all still right.' } });
  });

  test('when several inputs are wrong, then each shows its own error, and a secret is never repeated', () => {
    const token = secretShapes.slackBotToken();
    const result = parseUpdate(submitted(view, { 'fact.purpose': token, 'fact.expiresAt': 'soon' }));
    expect(result).toEqual({ ok: false, errors: { 'fact.purpose': secretRefusal('a Slack token'), 'fact.expiresAt': 'Give a date like 2027-01-31.' } });
    expect(JSON.stringify(result)).not.toContain(token.slice(5));
  });

  test('when text is longer than the core takes, then its input says so (Slack’s max_length is the core’s limit)', () => {
    expect(parseUpdate(submitted(view, { 'fact.purpose': 'p'.repeat(501) }))).toEqual({ ok: false, errors: { 'fact.purpose': 'Keep it to 500 characters (this is 501).' } });
    expect(inputs(view).map((b) => [b.block_id, (b.element as { max_length?: number }).max_length])).toEqual([
      ['fact.purpose', 500],
      ['fact.scopes', 2000],
      ['fact.expiresAt', 3000],
      ['fact.recoveryProcedure', 2000],
      ['update.reason', 2000],
    ]);
  });

  test('when a recorded purpose is longer than the core takes, then it is not prefilled, so an unchanged submit records no cut', () => {
    const long = updateModal({ ...subject, facts: identityFacts({ purpose: 'p'.repeat(501) }) });
    const purpose = inputs(long)[0];
    expect((purpose?.element as { initial_value?: string }).initial_value).toBeUndefined();
    expect(purpose?.hint?.text).toBe('It is 501 characters, too long to edit here; leave it empty to keep it.');
    expect(parseUpdate(submitted(long))).toMatchObject({ ok: true, action: { type: 'update', changes: { scopes: 'contents:read deployments:write' } } });
  });
});

describe('disputeModal and parseDispute', () => {
  const view = disputeModal(subject);

  test('when opened, then it asks why and who, both optional, within Slack’s limits', () => {
    checkViewLimits(view);
    expect(view.callback_id).toBe('attest.dispute');
    expect(inputs(view).map((b) => [b.block_id, b.element.type, b.optional])).toEqual([
      [modalBlockIds.disputeReason, 'plain_text_input', true],
      [modalBlockIds.suggestedOwner, 'email_text_input', true],
    ]);
  });

  test('when both are given, then the answer carries them', () => {
    expect(parseDispute(submitted(view, { [modalBlockIds.disputeReason]: ' Handed to platform ', [modalBlockIds.suggestedOwner]: 'Lena@Acme.example ' }))).toEqual({
      ok: true,
      note: null,
      attestationId: 42,
      source,
      action: { type: 'dispute', reason: 'Handed to platform', suggestedOwner: 'lena@acme.example' },
    });
  });

  test('when a secret is pasted as the reason, then the field refuses it', () => {
    expect(parseDispute(submitted(view, { [modalBlockIds.disputeReason]: secretShapes.slackBotToken() }))).toEqual({
      ok: false,
      errors: { [modalBlockIds.disputeReason]: secretRefusal('a Slack token') },
    });
  });

  test('when the reason is longer than the core takes, then it shows on the reason, whose input stops at the same limit', () => {
    expect(parseDispute(submitted(view, { [modalBlockIds.disputeReason]: 'r'.repeat(2001) }))).toEqual({ ok: false, errors: { [modalBlockIds.disputeReason]: 'Keep it to 2,000 characters (this is 2,001).' } });
    expect(inputs(view)[0]?.element).toMatchObject({ max_length: 2000 });
  });

  test('when both are left empty, then the answer is a bare "not mine"', () => {
    expect(parseDispute(submitted(view))).toMatchObject({ action: { type: 'dispute', reason: null, suggestedOwner: null } });
  });

  test.each(['lena', 'lena@', '@acme.example', 'lena at acme.example', 'a@b@c.d', 'lena@acme'])('when the suggested owner is "%s", then the field says an email is needed', (typed) => {
    expect(parseDispute(submitted(view, { [modalBlockIds.suggestedOwner]: typed }))).toEqual({
      ok: false,
      errors: { [modalBlockIds.suggestedOwner]: 'Give an email address, like ana@example.com, or leave it empty.' },
    });
  });
});

describe('snoozeModal and parseSnooze', () => {
  const view = snoozeModal(subject, 30);

  test('when opened, then days (whole, 1 to the cap) and a reason are both required', () => {
    checkViewLimits(view);
    expect(view.callback_id).toBe('attest.snooze');
    const [days, reason] = inputs(view);
    expect(days).toMatchObject({ block_id: modalBlockIds.snoozeDays, optional: false, element: { type: 'number_input', is_decimal_allowed: false, min_value: '1', max_value: '30' } });
    expect(reason).toMatchObject({ block_id: modalBlockIds.snoozeReason, optional: false, element: { type: 'plain_text_input', multiline: true } });
  });

  test('when days and a reason are given, then the answer is a snooze', () => {
    expect(parseSnooze(submitted(view, { [modalBlockIds.snoozeDays]: '14', [modalBlockIds.snoozeReason]: 'Vendor migration' }), 30)).toEqual({
      ok: true,
      note: null,
      attestationId: 42,
      source,
      action: { type: 'snooze', days: 14, reason: 'Vendor migration' },
    });
  });

  test.each([
    ['over the cap', '31', 'why', { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 30 days (the policy’s limit).' }],
    ['zero days', '0', 'why', { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 30 days (the policy’s limit).' }],
    ['a fraction', '2.5', 'why', { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 30 days (the policy’s limit).' }],
    ['no days', null, 'why', { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 30 days (the policy’s limit).' }],
    ['no reason', '3', null, { [modalBlockIds.snoozeReason]: 'Say why: the reason is recorded with the snooze.' }],
    ['a blank reason', '3', '   ', { [modalBlockIds.snoozeReason]: 'Say why: the reason is recorded with the snooze.' }],
    [
      'neither',
      null,
      null,
      { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 30 days (the policy’s limit).', [modalBlockIds.snoozeReason]: 'Say why: the reason is recorded with the snooze.' },
    ],
  ])('when the snooze has %s, then each wrong field shows an error and nothing is answered', (_, days, reason, errors) => {
    expect(parseSnooze(submitted(view, { [modalBlockIds.snoozeDays]: days, [modalBlockIds.snoozeReason]: reason }), 30)).toEqual({ ok: false, errors });
  });

  test('when the policy’s cap fell after the modal opened, then the cap as it is now applies', () => {
    expect(parseSnooze(submitted(view, { [modalBlockIds.snoozeDays]: '20', [modalBlockIds.snoozeReason]: 'why' }), 14)).toEqual({
      ok: false,
      errors: { [modalBlockIds.snoozeDays]: 'Snooze for 1 to 14 days (the policy’s limit).' },
    });
  });
});

describe('the modals together', () => {
  test('when every modal is built, then their callback ids are exactly the registry’s', () => {
    const decisions = decisionModalIds.map((id) => decisionModal(id, aStoredApproval(), null));
    expect([updateModal({ ...subject, facts: apiFacts() }), disputeModal(subject), snoozeModal(subject, 30), ...decisions].map((v) => v.callback_id)).toEqual([...viewCallbackIds]);
  });

  test('when a view comes back with metadata Steward did not write, then parsing fails loudly (a bug, not a user mistake)', () => {
    const view = submitted(disputeModal(subject));
    expect(() => parseDispute({ ...view, private_metadata: 'not json' })).toThrow('A Steward modal came back without its private_metadata');
    expect(() => parseDispute({ ...view, private_metadata: '{"attestationId":"42"}' })).toThrow('private_metadata Steward did not write');
  });
});
