import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { askedChange, describeRequest, isDestructive, type StoredApproval } from '../../../src/approvals/approval-request.js';
import { decisionFieldErrors, decisionForms, readDecisionForm, type DecisionInput } from '../../../src/approvals/decision-input.js';
import { answerFieldLimits } from '../../../src/attestation/answer-fields.js';
import type { DecisionModalId } from '../slack-registry.js';
import { composeMrkdwn, mrkdwn, plain } from './elements.js';
import { slackLimits } from './limits.js';
import type { MessageSource } from './modals.js';

/** What a decision modal is about: the request, its item's ref, and the card it was opened from. */
export interface DecisionSubject {
  readonly requestId: number;
  /** The item's ref, to check a typed one on the modal; null when too long to keep in the metadata (the core then checks it alone). */
  readonly ref: string | null;
  /** Approving it destroys something: the ref must be typed (the core's rule, checked again when applied). */
  readonly destructive: boolean;
  readonly source: MessageSource | null;
}

/** The input blocks' ids: `response_action: 'errors'` names them. */
export const decisionBlockIds = { reason: 'decision.reason', confirmRef: 'decision.confirm_ref' } as const;
const inputActionId = 'value';

const titles: Readonly<Record<DecisionModalId, { readonly title: string; readonly submit: string }>> = {
  'approval.approve': { title: 'Approve request', submit: 'Approve' },
  'approval.reject': { title: 'Reject request', submit: 'Reject' },
  'transfer.decline': { title: 'Decline transfer', submit: 'Decline' },
};

function reasonInput(id: DecisionModalId): InputBlock {
  const required = id !== 'approval.approve';
  return {
    type: 'input',
    block_id: decisionBlockIds.reason,
    label: plain(required ? 'Why?' : 'Why? (optional)', slackLimits.inputLabel),
    optional: !required,
    hint: plain(id === 'transfer.decline' ? 'Whoever offered it is told.' : 'The requester is told, and it is kept in the audit trail.', slackLimits.inputHint),
    element: { type: 'plain_text_input', action_id: inputActionId, multiline: true, max_length: Math.min(answerFieldLimits.reason, slackLimits.plainTextInput) },
  };
}

function confirmRefInput(ref: string): InputBlock {
  return {
    type: 'input',
    block_id: decisionBlockIds.confirmRef,
    label: plain(`Type ${ref} to confirm`, slackLimits.inputLabel),
    optional: false,
    hint: plain('Approving retires it: type the item’s ref exactly.', slackLimits.inputHint),
    element: { type: 'plain_text_input', action_id: inputActionId, max_length: Math.min(answerFieldLimits.confirmRef, slackLimits.plainTextInput) },
  };
}

/**
 * Approve (an optional reason; the item's ref typed when approving destroys something), Reject and Decline (a
 * reason, which the requester is told). The modal shows what is asked, so the decision is made on what it changes.
 */
export function decisionModal(id: DecisionModalId, request: StoredApproval, source: MessageSource | null): ModalView {
  const whole: DecisionSubject = { requestId: request.id, ref: request.item.ref, destructive: isDestructive(request.kind), source };
  const subject = JSON.stringify(whole).length <= slackLimits.privateMetadata ? whole : { ...whole, ref: null };
  const intro: KnownBlock = {
    type: 'section',
    text: mrkdwn(composeMrkdwn([['*', { text: describeRequest(request) }, '*'], ['Change: ', { text: askedChange(request.payload, request.item) }], ['Why: ', { text: request.justification ?? 'no reason given' }]], slackLimits.sectionText)),
  };
  const blocks: KnownBlock[] = [intro, reasonInput(id), ...(id === 'approval.approve' && subject.destructive ? [confirmRefInput(request.item.ref)] : [])];
  return {
    type: 'modal',
    callback_id: id,
    title: plain(titles[id].title, slackLimits.modalTitle),
    submit: plain(titles[id].submit, slackLimits.modalButton),
    close: plain('Cancel', slackLimits.modalButton),
    private_metadata: JSON.stringify(subject),
    blocks,
  };
}

/** The parts of a submitted view read here (Bolt's `ViewOutput` has this shape). */
export interface SubmittedDecisionView {
  readonly private_metadata: string;
  readonly state: { readonly values: Readonly<Record<string, Readonly<Record<string, { readonly value?: string | null }>>>> };
}

export type ParsedDecision =
  | { readonly ok: true; readonly decision: DecisionInput; readonly subject: DecisionSubject }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function subjectOf(view: SubmittedDecisionView): DecisionSubject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(view.private_metadata);
  } catch (error) {
    throw new Error('A Steward decision modal came back without its private_metadata', { cause: error });
  }
  const { requestId, ref, destructive, source } = (parsed ?? {}) as Partial<Record<keyof DecisionSubject, unknown>>;
  const okSource = source === null || (typeof source === 'object' && typeof (source as MessageSource).channel === 'string' && typeof (source as MessageSource).ts === 'string');
  if (!Number.isSafeInteger(requestId) || (typeof ref !== 'string' && ref !== null) || typeof destructive !== 'boolean' || !okSource)
    throw new Error('A Steward decision modal came back with private_metadata Steward did not write');
  const from = source as MessageSource | null;
  return { requestId: requestId as number, ref, destructive, source: from === null ? null : { channel: from.channel, ts: from.ts } };
}

/**
 * A submitted decision modal, read by the core's decision rules (`readDecisionForm`, `decisionFieldErrors`): the
 * decision to apply, or the core's words on the fields they concern. The metadata is read first: a view Steward
 * did not write is a bug, whatever was typed.
 */
export function readDecisionSubmission(id: DecisionModalId, view: SubmittedDecisionView): ParsedDecision {
  const subject = subjectOf(view);
  const typed = (blockId: string) => view.state.values[blockId]?.[inputActionId]?.value ?? null;
  const decision = readDecisionForm(id, { reason: typed(decisionBlockIds.reason), confirmRef: decisionForms[id].fields.includes('confirmRef') ? typed(decisionBlockIds.confirmRef) : null });
  // With no ref kept, the typed one is checked by the core when the decision is applied.
  const errors = decisionFieldErrors(decision, subject.ref === null ? { destructive: false, ref: '' } : { destructive: subject.destructive, ref: subject.ref });
  if (errors.length > 0) return { ok: false, errors: Object.fromEntries(errors.map((e) => [e.field === 'confirmRef' ? decisionBlockIds.confirmRef : decisionBlockIds.reason, e.message])) };
  return { ok: true, decision, subject };
}
