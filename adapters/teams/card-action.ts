import { z } from 'zod';
import type { AnswerField } from '../../src/attestation/answer-fields.js';
import { isAnswerActionId } from '../../src/attestation/answer-forms.js';
import { isDecisionActionId } from '../../src/approvals/decision-input.js';
import { actionIds, type ActionId } from '../../src/messages/outgoing-message.js';
import { formFields, inputId, numberFields } from './cards/input-ids.js';

/**
 * A click on a Steward card, read: the core's action id (the Action.Execute's verb), the value the card carried for
 * it, and what was typed in that item's form for that answer, by the core's field names. Inputs of the card's
 * other items and other forms (Action.Execute sends them all) are left out. Nothing typed is judged here: the
 * core's answer form does that.
 */
export type CardActionRead =
  | { readonly ok: true; readonly actionId: ActionId; readonly value: string; readonly fields: CardActionFields }
  | { readonly ok: false; readonly code: CardActionRefusal; readonly text: string };

/** What was typed in the clicked item's form, by the core's field names. */
export type CardActionFields = Readonly<Partial<Record<AnswerField, string>>>;

/** Why an invoke is not a Steward click: each is a card Steward did not write, or one it no longer understands. */
export type CardActionRefusal = 'not_execute' | 'unknown_verb' | 'no_value' | 'bad_input';

const refusals: Record<CardActionRefusal, string> = {
  not_execute: 'That is not a button Steward knows.',
  unknown_verb: 'That button is not one Steward has (any more): ask for a fresh prompt.',
  no_value: 'That button does not say which item it is about, so nothing was done.',
  bad_input: 'Something in that form came back in a shape Steward cannot read, so nothing was recorded.',
};

/**
 * Bounds on what an invoke may carry, against a forged one, far above anything a Steward card sends (a value is an
 * id or ten; an input holds at most 2,000 characters): the core's own limits on fields say the words.
 */
const maxValueLength = 8_000;
const maxInputLength = 100_000;

const envelope = z.object({
  type: z.literal('Action.Execute'),
  verb: z.string(),
  data: z.object({ value: z.string().min(1).max(maxValueLength) }),
});

const textInput = z.string().max(maxInputLength);
// Input.Number's value may come back as a number; anything the core's rule would refuse still reaches it as text.
const numberInput = z.union([textInput, z.number().transform((n) => String(n))]);

function refuse(code: CardActionRefusal): CardActionRead {
  return { ok: false, code, text: refusals[code] };
}

/**
 * Reads an `adaptiveCard/action` invoke's `action` (`{ type: 'Action.Execute', verb, data }`; `data` holds the
 * button's `value` and the card's inputs by id, input-ids.ts): an answer's or a decision's fields, by the core's
 * forms. Never throws: anything else is a refusal with words.
 */
export function readCardAction(action: unknown): CardActionRead {
  const read = envelope.safeParse(action);
  if (!read.success) {
    const where = read.error.issues[0]?.path[0];
    return refuse(where === 'verb' ? 'unknown_verb' : where === 'data' ? 'no_value' : 'not_execute');
  }
  const { verb, data } = read.data;
  const actionId = actionIds.find((id) => id === verb);
  if (actionId === undefined) return refuse('unknown_verb');
  const value = data.value;
  if (!isAnswerActionId(actionId) && !isDecisionActionId(actionId)) return { ok: true, actionId, value, fields: {} };

  const fieldsOf = formFields(actionId);
  const shape = Object.fromEntries(fieldsOf.map((field) => [inputId(actionId, field, value), (numberFields.has(field) ? numberInput : textInput).nullish()]));
  const inputs = z.object(shape).safeParse((action as { data: unknown }).data);
  if (!inputs.success) return refuse('bad_input');
  const fields: Partial<Record<AnswerField, string>> = {};
  for (const field of fieldsOf) {
    const typed = inputs.data[inputId(actionId, field, value)];
    if (typeof typed === 'string') fields[field] = typed;
  }
  return { ok: true, actionId, value, fields };
}
