import type { EditableFact } from './answer-action.js';

/**
 * The fields of the answer forms, by the core's names: a surface labels them its own way (a modal's block, a
 * console's `--owner`), but collects them as raw strings under these names and shows errors against them.
 */
export type AnswerField = 'note' | 'reason' | 'suggestedOwner' | 'days' | EditableFact | RequestField;

/**
 * The fields only requests and decisions take: the item's ref typed to confirm a destructive approval, an
 * exception's end date, the gate rule it waives.
 */
export type RequestField = 'confirmRef' | 'until' | 'rule';

/**
 * Why a field was refused, for a surface that words some of them its own way (the console says which option is
 * missing); every error also carries the core's words.
 */
export type FieldErrorCode = 'required' | 'not_taken' | 'secret' | 'half_character' | 'too_long' | 'not_email' | 'not_date' | 'no_scopes' | 'out_of_range' | 'not_scope' | 'mismatch';

/** One refused field. The message never repeats what was typed: it may be a secret. */
export interface FieldError {
  readonly field: AnswerField;
  readonly code: FieldErrorCode;
  readonly message: string;
}

/**
 * The longest text each field takes, in UTF-16 code units (what Slack's `max_length` counts). A purpose is a
 * sentence a newcomer reads in a prompt; reasons, notes and runbook text get a few paragraphs; an email
 * address is at most 254 characters (RFC 5321). Days and dates have their own rules instead.
 */
export const answerFieldLimits: Readonly<Record<Exclude<AnswerField, 'days' | 'expiresAt'>, number>> = {
  note: 2000,
  reason: 2000,
  suggestedOwner: 254,
  purpose: 500,
  scopes: 2000,
  recoveryProcedure: 2000,
  revocationPath: 2000,
  confirmRef: 200,
  rule: 40,
  until: 40,
};
