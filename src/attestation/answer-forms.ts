import type { ActionId } from '../messages/outgoing-message.js';
import { editableFacts, type AnswerAction } from './answer-action.js';
import type { AnswerField } from './answer-fields.js';

/** What one answer button asks: the answer it gives, the fields it takes (in the order shown), and those it needs. */
export interface AnswerForm {
  readonly answer: AnswerAction['type'];
  readonly fields: readonly AnswerField[];
  readonly required: readonly AnswerField[];
}

type AttestActionId = Extract<ActionId, `attest.${string}`>;

/**
 * Which action means which answer, and what it asks, for every surface: a button in Slack, a card in Teams,
 * `press` on the console. Confirm all is Confirm over several attestations; Update's facts are all optional,
 * but it corrects at least one (see `answerFieldErrors`).
 */
export const answerForms = {
  'attest.confirm': { answer: 'confirm', fields: ['note'], required: [] },
  'attest.update': { answer: 'update', fields: [...editableFacts, 'reason'], required: [] },
  'attest.dispute': { answer: 'dispute', fields: ['reason', 'suggestedOwner'], required: [] },
  'attest.decommission': { answer: 'decommission', fields: ['reason'], required: [] },
  'attest.snooze': { answer: 'snooze', fields: ['days', 'reason'], required: ['days', 'reason'] },
  'attest.confirm_all': { answer: 'confirm', fields: ['note'], required: [] },
} as const satisfies Record<AttestActionId, AnswerForm>;

export type AnswerActionId = keyof typeof answerForms;

/** True for the actions that answer an attestation (not a queue's Claim or Take). */
export function isAnswerActionId(id: string): id is AnswerActionId {
  return Object.hasOwn(answerForms, id);
}
