import { normaliseIsoTime } from '../inventory/iso-time.js';
import { editableFacts, type AnswerAction } from './answer-action.js';
import { answerFieldErrors, requiredMessage, scopeList, textFieldError, type AnswerRules } from './answer-field-errors.js';
import type { AnswerField, FieldError } from './answer-fields.js';
import { answerForms, type AnswerActionId, type AnswerForm } from './answer-forms.js';

/** What a person typed, field by field, as the surface collected it: raw text; empty or absent when left out. */
export type AnswerFormInput = Readonly<Partial<Record<AnswerField, string | null>>>;

/** The answer to apply (with the note Confirm takes), or what is wrong, field by field. */
export type AnswerFormResult =
  | { readonly ok: true; readonly action: AnswerAction; readonly note: string | null }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** The whole days a person typed, or NaN (which the rules refuse) for anything else: `2.5`, `1e1`, `0x10`. */
function wholeDays(value: string | undefined): number {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

function actionOf(answer: AnswerAction['type'], given: Partial<Record<AnswerField, string>>): AnswerAction {
  switch (answer) {
    case 'confirm':
      return { type: 'confirm' };
    case 'update': {
      const changes: Record<string, string> = {};
      for (const field of editableFacts) {
        const value = given[field];
        if (value === undefined) continue;
        // As the core compares them: scopes joined by one space, a date as toISOString() writes it.
        changes[field] = field === 'scopes' ? scopeList(value).join(' ') : field === 'expiresAt' ? (normaliseIsoTime(value) ?? value) : value;
      }
      return { type: 'update', changes, reason: given.reason ?? null };
    }
    case 'dispute':
      return { type: 'dispute', reason: given.reason ?? null, suggestedOwner: given.suggestedOwner?.toLowerCase() ?? null };
    case 'decommission':
      return { type: 'decommission', reason: given.reason ?? null };
    case 'snooze':
      return { type: 'snooze', days: wholeDays(given.days), reason: given.reason ?? '' };
  }
}

/**
 * Reads what a person typed into an answer form (`actionId` says which) into the answer to apply, or the errors
 * to show on its fields. Text is trimmed, and empty text is left out. A field the form does not take is refused;
 * text that could not be stored or is a secret is refused as typed, before anything reads it (a secret lower-cased
 * as an email would hide it); then every field rule of `answerFieldErrors` applies.
 */
export function readAnswerForm(actionId: AnswerActionId, input: AnswerFormInput, rules: AnswerRules): AnswerFormResult {
  const form: AnswerForm = answerForms[actionId];
  const errors: FieldError[] = [];
  const given: Partial<Record<AnswerField, string>> = {};
  for (const [field, raw] of Object.entries(input) as [AnswerField, string | null | undefined][]) {
    const value = raw?.trim();
    if (!value) continue;
    if (!form.fields.includes(field)) errors.push({ field, code: 'not_taken', message: 'This answer does not take it.' });
    else given[field] = value;
  }
  for (const field of form.fields) {
    const value = given[field];
    const problem = value === undefined ? null : textFieldError(field, value);
    if (problem !== null) errors.push(problem);
    else if (value === undefined && form.required.includes(field)) errors.push({ field, code: 'required', message: requiredMessage(field, rules) });
  }
  const action = actionOf(form.answer, given);
  const note = given.note ?? null;
  const refused = new Set(errors.map((e) => e.field));
  errors.push(...answerFieldErrors(action, note, rules).filter((e) => !refused.has(e.field)));
  if (errors.length > 0) return { ok: false, errors: ordered(errors, form.fields) };
  return { ok: true, action, note };
}

/** Fields the form does not take first, then the form's own in the order it shows them. */
function ordered(errors: readonly FieldError[], fields: readonly AnswerField[]): FieldError[] {
  const rank = (e: FieldError) => (e.code === 'not_taken' ? -1 : fields.indexOf(e.field));
  return [...errors].sort((a, b) => rank(a) - rank(b));
}
