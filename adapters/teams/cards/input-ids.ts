import type { AnswerField } from '../../../src/attestation/answer-fields.js';
import type { AnswerActionId } from '../../../src/attestation/answer-forms.js';

/** The answers a card asks something for before sending: their inputs are revealed on the card, under the item. */
export const revealedForms = ['attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze'] as const satisfies readonly AnswerActionId[];
export type RevealedForm = (typeof revealedForms)[number];

export function isRevealedForm(id: string): id is RevealedForm {
  return (revealedForms as readonly string[]).includes(id);
}

/**
 * The container holding one item's form for one answer: `attest.snooze@17`. Action.ToggleVisibility names it.
 * `value` is the action's value (the attestation id): unique per item on a card.
 */
export function formId(actionId: RevealedForm, value: string): string {
  return `${actionId}@${value}`;
}

/**
 * The id of one input of one item's form, which is also the key its value comes back under in the invoke's `data`:
 * `attest.snooze.reason@17`. Action.Execute sends every input on the card, and Snooze, Not mine and Decommission
 * all take a `reason`, so the id names the answer, the core's field and the item.
 */
export function inputId(actionId: AnswerActionId, field: AnswerField, value: string): string {
  return `${actionId}.${field}@${value}`;
}

/** The fields a card shows as number inputs: Teams may send their value as a JSON number rather than text. */
export const numberFields: ReadonlySet<AnswerField> = new Set<AnswerField>(['days']);
