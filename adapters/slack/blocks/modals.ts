import type { InputBlock, KnownBlock, ModalView, PlainTextInput } from '@slack/types';
import type { AnswerAction } from '../../../src/attestation/decide-answer.js';
import { editableFacts } from '../../../src/attestation/decide-answer.js';
import type { AttestedFacts } from '../../../src/attestation/tick-state.js';
import { normaliseIsoTime } from '../../../src/inventory/iso-time.js';
import { detectSecret, secretKindDescriptions } from '../../../src/secrets/detect-secret.js';
import type { ViewCallbackId } from '../slack-registry.js';
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

export type EditableFact = (typeof editableFacts)[number];

/** The input blocks' ids: `response_action: 'errors'` names them, and the parsers read them. */
export const modalBlockIds = {
  fact: (field: EditableFact) => `fact.${field}`,
  disputeReason: 'dispute.reason',
  suggestedOwner: 'dispute.suggested_owner',
  snoozeDays: 'snooze.days',
  snoozeReason: 'snooze.reason',
} as const;

/** Every input holds one element, with this action id. */
export const inputActionId = 'value';

/** The parts of a submitted view the parsers read: Bolt's `ViewOutput` has this shape. */
export interface SubmittedView {
  readonly private_metadata: string;
  readonly state: { readonly values: Readonly<Record<string, Readonly<Record<string, { readonly type: string; readonly value?: string | null }>>>> };
}

/** A parsed submission: the answer and what it is about, or errors by block id for `response_action: 'errors'`. */
export type ParsedSubmission<A extends AnswerAction> =
  | { readonly action: A; readonly attestationId: number; readonly source: MessageSource | null }
  | { readonly errors: Readonly<Record<string, string>> };

const factLabels: Record<EditableFact, string> = {
  purpose: 'Purpose',
  scopes: 'Scopes',
  expiresAt: 'Expires',
  recoveryProcedure: 'Recovery procedure',
  revocationPath: 'Revocation path',
};

const factHints: Record<EditableFact, string> = {
  purpose: 'What it is for, in a sentence a newcomer would understand.',
  scopes: 'Separated by spaces.',
  expiresAt: 'A date, like 2027-01-31.',
  recoveryProcedure: 'How to rotate or replace it: runbook text or a link.',
  revocationPath: 'How to revoke access: runbook text or a link.',
};

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

function textInput(options: { multiline?: boolean; initial?: string | null; placeholder?: string; maxLength?: number }): PlainTextInput {
  return {
    type: 'plain_text_input',
    action_id: inputActionId,
    multiline: options.multiline ?? false,
    max_length: options.maxLength ?? slackLimits.plainTextInput,
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

function modal(callbackId: ViewCallbackId, title: string, submit: string, subject: ModalSubject, blocks: KnownBlock[]): ModalView {
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
 * the item with the facts as they are now. A fact longer than an input holds is not prefilled (cutting it would
 * record a change nobody made); an input left empty keeps the fact as it is.
 */
export function updateModal(subject: ModalSubject & { readonly facts: AttestedFacts }): ModalView {
  const fields = editableFacts.filter((field) => field === 'purpose' || field in subject.facts);
  const inputs = fields.map((field) => {
    const current = shownFact(subject.facts, field);
    const fits = current === null || current.length <= slackLimits.plainTextInput;
    const hint = fits ? `${factHints[field]} Leave it empty to keep it as it is.` : `It is ${current.length.toLocaleString('en')} characters, too long to edit here; leave it empty to keep it.`;
    return input(modalBlockIds.fact(field), factLabels[field], textInput({ multiline: multiline.has(field), initial: fits ? current : null }), { optional: true, hint });
  });
  return modal('attest.update', 'Update facts', 'Confirm', subject, [intro(subject.ref, 'correct what is wrong, then Confirm: Steward records what changed.'), ...inputs]);
}

/** "Not mine": why, and who it might belong to; the item goes to the security queue. */
export function disputeModal(subject: ModalSubject): ModalView {
  return modal('attest.dispute', 'Not mine', 'Send', subject, [
    intro(subject.ref, 'the security team will find its owner. Anything you know helps.'),
    input(modalBlockIds.disputeReason, 'Why is it not yours?', textInput({ multiline: true, placeholder: 'We handed it to the platform team in March' }), { optional: true }),
    input(modalBlockIds.suggestedOwner, 'Who might own it?', { type: 'email_text_input', action_id: inputActionId, placeholder: plain('name@example.com', slackLimits.placeholder) }, { optional: true, hint: 'Their email address.' }),
  ]);
}

/** "Snooze…": for how many days (1 to the policy's cap) and why; both are required and audited. */
export function snoozeModal(subject: ModalSubject, maxDays: number): ModalView {
  return modal('attest.snooze', 'Snooze', 'Snooze', subject, [
    intro(subject.ref, `ask again in up to ${maxDays} days.`),
    input(
      modalBlockIds.snoozeDays,
      'For how many days?',
      { type: 'number_input', action_id: inputActionId, is_decimal_allowed: false, min_value: '1', max_value: String(maxDays), placeholder: plain(`1 to ${maxDays}`, slackLimits.placeholder) },
      { optional: false },
    ),
    input(modalBlockIds.snoozeReason, 'Why?', textInput({ multiline: true, placeholder: 'Waiting for the vendor to confirm the new key' }), { optional: false, hint: 'Recorded with the snooze, for the audit.' }),
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

/** The trimmed text of an input, or null when it was left empty. */
function valueOf(view: SubmittedView, blockId: string): string | null {
  const value = view.state.values[blockId]?.[inputActionId]?.value?.trim();
  return value ? value : null;
}

/** A refusal for text that looks like a secret (NHI2): shown on the field, so nothing is recorded or logged. */
function secretError(field: string, value: string | null): string | null {
  const kind = value === null ? null : detectSecret(field, value);
  return kind === null ? null : `That looks like ${secretKindDescriptions[kind]}. Steward never stores secrets: remove it (and revoke it if it was real).`;
}

/** Reads the metadata first: a view Steward did not write is a bug, whatever the user typed. */
function result<A extends AnswerAction>(view: SubmittedView, errors: Record<string, string>, action: A): ParsedSubmission<A> {
  const subject = subjectOf(view);
  return Object.keys(errors).length > 0 ? { errors } : { action, ...subject };
}

/** The Update… modal's answer: each fact given (normalised as the core compares it), empty ones left out. */
export function parseUpdate(view: SubmittedView): ParsedSubmission<Extract<AnswerAction, { type: 'update' }>> {
  const changes: Record<string, string> = {};
  const errors: Record<string, string> = {};
  for (const field of editableFacts) {
    const blockId = modalBlockIds.fact(field);
    const value = valueOf(view, blockId);
    if (value === null) continue;
    const secret = secretError(field, value);
    if (secret !== null) errors[blockId] = secret;
    else if (field === 'expiresAt') {
      const iso = normaliseIsoTime(value);
      if (iso === null) errors[blockId] = 'Give a date like 2027-01-31.';
      else changes[field] = iso;
    } else changes[field] = field === 'scopes' ? value.split(/[\s,]+/).filter(Boolean).join(' ') : value;
  }
  return result(view, errors, { type: 'update', changes });
}

const email = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** The Not mine modal's answer: an optional reason and an optional suggested owner, who must be an email. */
export function parseDispute(view: SubmittedView): ParsedSubmission<Extract<AnswerAction, { type: 'dispute' }>> {
  const reason = valueOf(view, modalBlockIds.disputeReason);
  const suggestedOwner = valueOf(view, modalBlockIds.suggestedOwner);
  const errors: Record<string, string> = {};
  const secret = secretError('reason', reason);
  if (secret !== null) errors[modalBlockIds.disputeReason] = secret;
  if (suggestedOwner !== null && !email.test(suggestedOwner)) errors[modalBlockIds.suggestedOwner] = 'Give an email address, like ana@example.com, or leave it empty.';
  return result(view, errors, { type: 'dispute', reason, suggestedOwner: suggestedOwner?.toLowerCase() ?? null });
}

/** The Snooze… modal's answer: whole days from 1 to `maxDays` (the policy's cap, as it is now) and a reason. */
export function parseSnooze(view: SubmittedView, maxDays: number): ParsedSubmission<Extract<AnswerAction, { type: 'snooze' }>> {
  const daysText = valueOf(view, modalBlockIds.snoozeDays);
  const reason = valueOf(view, modalBlockIds.snoozeReason);
  const days = daysText !== null && /^\d+$/.test(daysText) ? Number(daysText) : Number.NaN;
  const errors: Record<string, string> = {};
  if (!(days >= 1 && days <= maxDays)) errors[modalBlockIds.snoozeDays] = `Snooze for 1 to ${maxDays} days (the policy’s limit).`;
  const secret = secretError('reason', reason);
  if (reason === null) errors[modalBlockIds.snoozeReason] = 'Say why: the reason is recorded with the snooze.';
  else if (secret !== null) errors[modalBlockIds.snoozeReason] = secret;
  return result(view, errors, { type: 'snooze', days, reason: reason ?? '' });
}
