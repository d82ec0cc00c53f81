import type { InputBlock, KnownBlock, ModalView, PlainTextInput } from '@slack/types';
import { editableFacts, type AnswerAction, type EditableFact } from '../../../src/attestation/answer-action.js';
import type { AnswerRules } from '../../../src/attestation/answer-field-errors.js';
import { answerFieldLimits, type AnswerField } from '../../../src/attestation/answer-fields.js';
import { answerForms } from '../../../src/attestation/answer-forms.js';
import { factHints, factLabels } from '../../../src/attestation/fact-labels.js';
import { readAnswerForm, type AnswerFormInput } from '../../../src/attestation/read-answer-form.js';
import type { AttestedFacts } from '../../../src/attestation/tick-state.js';
import type { AnswerModalId } from '../slack-registry.js';
import { composeMrkdwn, mrkdwn, plain } from './elements.js';
import { slackLimits } from './limits.js';

/** The message a modal was opened from, to update once answered; null when it was opened from the Home tab. */
export interface MessageSource {
  readonly channel: string;
  readonly ts: string;
}

/** What a modal answers: one attestation, shown by its item's ref. */
export interface ModalSubject {
  readonly attestationId: number;
  readonly ref: string;
  readonly source: MessageSource | null;
}

export type { EditableFact };

/** The input blocks' ids: `response_action: 'errors'` names them, and the parsers read them. */
export const modalBlockIds = {
  fact: (field: EditableFact) => `fact.${field}`,
  updateReason: 'update.reason',
  disputeReason: 'dispute.reason',
  suggestedOwner: 'dispute.suggested_owner',
  snoozeDays: 'snooze.days',
  snoozeReason: 'snooze.reason',
} as const;

/** The block each modal shows a core answer field in: a field error goes on it with `response_action: 'errors'`. */
export function fieldBlockId(kind: AnswerModalId, field: AnswerField): string {
  if (kind === 'attest.update') return field === 'reason' ? modalBlockIds.updateReason : modalBlockIds.fact(field as EditableFact);
  if (kind === 'attest.dispute') return field === 'suggestedOwner' ? modalBlockIds.suggestedOwner : modalBlockIds.disputeReason;
  return field === 'days' ? modalBlockIds.snoozeDays : modalBlockIds.snoozeReason;
}

/** Every input holds one element, with this action id. */
export const inputActionId = 'value';

/** The parts of a submitted view the parsers read: Bolt's `ViewOutput` has this shape. */
export interface SubmittedView {
  readonly private_metadata: string;
  readonly state: { readonly values: Readonly<Record<string, Readonly<Record<string, { readonly type: string; readonly value?: string | null }>>>> };
}

/**
 * A submission read by the core's answer rules: the answer (and the note, which no modal asks for) with what it
 * is about, or the core's errors by block id for `response_action: 'errors'`.
 */
export type ParsedSubmission =
  | { readonly ok: true; readonly action: AnswerAction; readonly note: string | null; readonly attestationId: number; readonly source: MessageSource | null }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

const multiline: ReadonlySet<EditableFact> = new Set(['purpose', 'recoveryProcedure', 'revocationPath']);

/** A fact as the core compares it (`shown` in decide-answer): lists joined by spaces; null when not recorded. */
function shownFact(facts: AttestedFacts, field: EditableFact): string | null {
  const value = facts[field];
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(' ') : String(value);
}

function metadata(subject: ModalSubject): string {
  return JSON.stringify({ attestationId: subject.attestationId, source: subject.source });
}

/** The most a field's input takes: the core's limit for it, within what Slack's input holds. */
function maxLengthOf(field: Exclude<AnswerField, 'days'>): number {
  return field === 'expiresAt' ? slackLimits.plainTextInput : Math.min(answerFieldLimits[field], slackLimits.plainTextInput);
}

/** Whether the core's form for this modal needs the field (so Slack marks it, and asks for it before submitting). */
function optional(kind: AnswerModalId, field: AnswerField): boolean {
  return !(answerForms[kind].required as readonly AnswerField[]).includes(field);
}

function textInput(field: Exclude<AnswerField, 'days'>, options: { multiline?: boolean; initial?: string | null; placeholder?: string }): PlainTextInput {
  return {
    type: 'plain_text_input',
    action_id: inputActionId,
    multiline: options.multiline ?? false,
    max_length: maxLengthOf(field),
    ...(options.initial ? { initial_value: options.initial } : {}),
    ...(options.placeholder ? { placeholder: plain(options.placeholder, slackLimits.placeholder) } : {}),
  };
}

function input(blockId: string, label: string, element: InputBlock['element'], options: { optional: boolean; hint?: string }): InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label, slackLimits.inputLabel),
    element,
    optional: options.optional,
    ...(options.hint ? { hint: plain(options.hint, slackLimits.inputHint) } : {}),
  };
}

function modal(callbackId: AnswerModalId, title: string, submit: string, subject: ModalSubject, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: plain(title, slackLimits.modalTitle),
    submit: plain(submit, slackLimits.modalButton),
    close: plain('Cancel', slackLimits.modalButton),
    private_metadata: metadata(subject),
    blocks,
  };
}

function intro(ref: string, after: string): KnownBlock {
  return { type: 'section', text: mrkdwn(composeMrkdwn([['*', { text: ref }, `*: ${after}`]], slackLimits.sectionText)) };
}

/**
 * "Update…": an input for each fact the owner may correct, prefilled with what Steward has. Submitting attests
 * the item with the facts as they are now. A fact longer than the core takes is not prefilled (cutting it would
 * record a change nobody made); an input left empty keeps the fact as it is.
 */
export function updateModal(subject: ModalSubject & { readonly facts: AttestedFacts }): ModalView {
  const fields = editableFacts.filter((field) => field === 'purpose' || field in subject.facts);
  const inputs = fields.map((field) => {
    const current = shownFact(subject.facts, field);
    const fits = current === null || current.length <= maxLengthOf(field);
    const hint = fits ? `${factHints[field]} Leave it empty to keep it as it is.` : `It is ${current.length.toLocaleString('en')} characters, too long to edit here; leave it empty to keep it.`;
    return input(modalBlockIds.fact(field), factLabels[field], textInput(field, { multiline: multiline.has(field), initial: fits ? current : null }), { optional: optional('attest.update', field), hint });
  });
  // New scopes are not set here: they become a scope change for an approver, who reads why.
  const reason = input(modalBlockIds.updateReason, 'Why? (needed when the scopes change)', textInput('reason', { multiline: true, placeholder: 'Deploys now publish artefacts' }), {
    optional: optional('attest.update', 'reason'),
    hint: 'A scope change goes to the item’s approver with this reason; other corrections are recorded at once.',
  });
  return modal('attest.update', 'Update facts', 'Confirm', subject, [intro(subject.ref, 'correct what is wrong, then Confirm: Steward records what changed.'), ...inputs, reason]);
}

/** "Not mine": why, and who it might belong to; the item goes to the security queue. */
export function disputeModal(subject: ModalSubject): ModalView {
  const kind = 'attest.dispute';
  return modal(kind, 'Not mine', 'Send', subject, [
    intro(subject.ref, 'the security team will find its owner. Anything you know helps.'),
    input(modalBlockIds.disputeReason, 'Why is it not yours?', textInput('reason', { multiline: true, placeholder: 'We handed it to the platform team in March' }), { optional: optional(kind, 'reason') }),
    input(
      modalBlockIds.suggestedOwner,
      'Who might own it?',
      { type: 'email_text_input', action_id: inputActionId, placeholder: plain('name@example.com', slackLimits.placeholder) },
      { optional: optional(kind, 'suggestedOwner'), hint: 'Their email address.' },
    ),
  ]);
}

/** "Snooze…": for how many days (1 to the policy's cap) and why; both are required and audited. */
export function snoozeModal(subject: ModalSubject, maxDays: number): ModalView {
  const kind = 'attest.snooze';
  return modal(kind, 'Snooze', 'Snooze', subject, [
    intro(subject.ref, `ask again in up to ${maxDays} days.`),
    input(
      modalBlockIds.snoozeDays,
      'For how many days?',
      { type: 'number_input', action_id: inputActionId, is_decimal_allowed: false, min_value: '1', max_value: String(maxDays), placeholder: plain(`1 to ${maxDays}`, slackLimits.placeholder) },
      { optional: optional(kind, 'days') },
    ),
    input(modalBlockIds.snoozeReason, 'Why?', textInput('reason', { multiline: true, placeholder: 'Waiting for the vendor to confirm the new key' }), {
      optional: optional(kind, 'reason'),
      hint: 'Recorded with the snooze, for the audit.',
    }),
  ]);
}

function subjectOf(view: SubmittedView): { attestationId: number; source: MessageSource | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(view.private_metadata);
  } catch (error) {
    throw new Error('A Steward modal came back without its private_metadata', { cause: error });
  }
  const { attestationId, source } = (parsed ?? {}) as { attestationId?: unknown; source?: unknown };
  const okSource = source === null || (typeof source === 'object' && typeof (source as MessageSource).channel === 'string' && typeof (source as MessageSource).ts === 'string');
  if (!Number.isSafeInteger(attestationId) || !okSource) throw new Error('A Steward modal came back with private_metadata Steward did not write');
  return { attestationId: attestationId as number, source: source === null ? null : { channel: (source as MessageSource).channel, ts: (source as MessageSource).ts } };
}

/**
 * A submitted modal, read by the core's answer rules: what was typed in each of the form's inputs goes to the
 * core as it is, and the core's field errors come back on the inputs they concern. The metadata is read first:
 * a view Steward did not write is a bug, whatever the user typed.
 */
export function readSubmission(kind: AnswerModalId, view: SubmittedView, rules: AnswerRules): ParsedSubmission {
  const subject = subjectOf(view);
  const typed: Partial<Record<AnswerField, string | null>> = {};
  for (const field of answerForms[kind].fields) {
    const value = view.state.values[fieldBlockId(kind, field)]?.[inputActionId]?.value;
    if (value !== undefined) typed[field] = value;
  }
  const read = readAnswerForm(kind, typed satisfies AnswerFormInput, rules);
  if (!read.ok) return { ok: false, errors: Object.fromEntries(read.errors.map((e) => [fieldBlockId(kind, e.field), e.message])) };
  return { ok: true, action: read.action, note: read.note, ...subject };
}
