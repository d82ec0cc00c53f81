import { normaliseIsoTime } from '../inventory/iso-time.js';
import { isWellFormedText } from '../inventory/well-formed-text.js';
import { detectSecret, secretKindDescriptions } from '../secrets/detect-secret.js';
import { editableFacts, type AnswerAction } from './answer-action.js';
import { answerFieldLimits, type AnswerField, type FieldError } from './answer-fields.js';

/** What the answer rules take from the policy, as it is when the answer arrives. */
export interface AnswerRules {
  readonly snoozeMaxDays: number;
}

/** An address as people type one: a single @, a dot in the domain, no spaces or list punctuation. */
const emailShape = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** Scopes as people type them: separated by spaces, commas or new lines. */
export function scopeList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** The words for a missing field the form needs. */
export function requiredMessage(field: AnswerField, rules: AnswerRules): string {
  switch (field) {
    case 'days':
      return `Snooze for 1 to ${rules.snoozeMaxDays} days (the policy’s limit).`;
    case 'reason':
      return 'Say why: the reason is recorded with the snooze.';
    default:
      return 'This is needed.';
  }
}

/**
 * What makes text unacceptable in any field, whatever it is for: half a character (it cannot be stored as it
 * was hashed into the audit trail) or a secret (NHI2: refused on the field, named by its kind, never repeated).
 */
export function textFieldError(field: AnswerField, value: string): FieldError | null {
  if (!isWellFormedText(value))
    return { field, code: 'half_character', message: 'That text holds half of a character (a lone UTF-16 surrogate), so nothing was recorded. Type it again.' };
  const secret = detectSecret(field, value);
  if (secret !== null)
    return { field, code: 'secret', message: `That looks like ${secretKindDescriptions[secret]}; Steward never stores secrets, so nothing was recorded. Remove it, and revoke it if it was real.` };
  return null;
}

export function textError(field: Exclude<AnswerField, 'days'>, value: string): FieldError | null {
  const text = textFieldError(field, value);
  if (text !== null) return text;
  if (field === 'expiresAt' || field === 'until') return normaliseIsoTime(value.trim()) === null ? { field, code: 'not_date', message: 'Give a date like 2027-01-31.' } : null;
  if (field === 'suggestedOwner' && !emailShape.test(value)) return { field, code: 'not_email', message: 'Give an email address, like ana@example.com, or leave it empty.' };
  if (field === 'scopes' && scopeList(value).length === 0) return { field, code: 'no_scopes', message: 'List the scopes, separated by spaces.' };
  const limit = answerFieldLimits[field];
  if (value.length > limit) return { field, code: 'too_long', message: `Keep it to ${limit.toLocaleString('en')} characters (this is ${value.length.toLocaleString('en')}).` };
  return null;
}

/**
 * Every field rule of an answer, checked on the answer itself: what a form reads (`readAnswerForm`) and what
 * `decideAnswer` is given by any caller meet the same rules. At most one error per field, in the form's order.
 * Update's facts that are not editable are `decideAnswer`'s to refuse; here they are not looked at.
 */
export function answerFieldErrors(action: AnswerAction, note: string | null, rules: AnswerRules): FieldError[] {
  const errors: (FieldError | null)[] = [];
  const check = (field: Exclude<AnswerField, 'days'>, value: string | null) => errors.push(value === null ? null : textError(field, value));
  switch (action.type) {
    case 'confirm':
      break;
    case 'update': {
      const facts = editableFacts.filter((field) => action.changes[field] !== undefined);
      if (facts.length === 0) errors.push({ field: 'purpose', code: 'required', message: 'Correct at least one fact, or use Confirm if they are all still right.' });
      for (const field of facts) check(field, action.changes[field] ?? null);
      check('reason', action.reason ?? null);
      break;
    }
    case 'dispute':
      check('reason', action.reason);
      check('suggestedOwner', action.suggestedOwner);
      break;
    case 'decommission':
      check('reason', action.reason);
      break;
    case 'snooze':
      if (!(Number.isInteger(action.days) && action.days >= 1 && action.days <= rules.snoozeMaxDays))
        errors.push({ field: 'days', code: 'out_of_range', message: requiredMessage('days', rules) });
      if (action.reason.trim() === '') errors.push({ field: 'reason', code: 'required', message: requiredMessage('reason', rules) });
      else check('reason', action.reason);
      break;
  }
  check('note', note);
  return errors.filter((error): error is FieldError => error !== null);
}
