import type { AnswerField } from '../../../src/attestation/answer-fields.js';
import { answerForms, isAnswerActionId, type AnswerActionId } from '../../../src/attestation/answer-forms.js';
import { decisionForms, isDecisionActionId, type DecisionActionId } from '../../../src/approvals/decision-input.js';

/**
 * The buttons a card asks something for before sending: their inputs are revealed on the card, under the item. An
 * attestation's Update…, Not mine, Decommission and Snooze…; an approval's Approve (a reason, and the item's ref
 * typed when approving retires it) and Reject; a transfer's Decline (both say why).
 */
export const revealedForms = ['attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze', 'approval.approve', 'approval.reject', 'transfer.decline'] as const satisfies readonly (AnswerActionId | DecisionActionId)[];
export type RevealedForm = (typeof revealedForms)[number];

/** An action whose inputs a card collects: an answer's or a decision's (the core's forms say which fields). */
export type FormActionId = AnswerActionId | DecisionActionId;

export function isRevealedForm(id: string): id is RevealedForm {
  return (revealedForms as readonly string[]).includes(id);
}

/** The fields the core's form for `actionId` takes, in its order; none for a button that takes nothing (Claim). */
export function formFields(actionId: string): readonly AnswerField[] {
  if (isAnswerActionId(actionId)) return answerForms[actionId].fields;
  if (isDecisionActionId(actionId)) return decisionForms[actionId].fields;
  return [];
}

/**
 * The container holding one item's form for one answer: `attest.snooze@17`. Action.ToggleVisibility names it.
 * `value` is the action's value (the attestation id, the request id): unique per item on a card.
 */
export function formId(actionId: RevealedForm, value: string): string {
  return `${actionId}@${value}`;
}

/**
 * The id of one input of one item's form, which is also the key its value comes back under in the invoke's `data`:
 * `attest.snooze.reason@17`. Action.Execute sends every input on the card, and Snooze, Not mine, Decommission,
 * Approve and Reject all take a `reason`, so the id names the action, the core's field and the item.
 */
export function inputId(actionId: FormActionId, field: AnswerField, value: string): string {
  return `${actionId}.${field}@${value}`;
}

/** The fields a card shows as number inputs: Teams may send their value as a JSON number rather than text. */
export const numberFields: ReadonlySet<AnswerField> = new Set<AnswerField>(['days']);
