import { scopeList, textError } from '../attestation/answer-field-errors.js';
import type { FieldError } from '../attestation/answer-fields.js';
import { addDays } from '../attestation/days.js';
import { normaliseIsoTime } from '../inventory/iso-time.js';
import type { ItemKind } from '../model/vocabulary.js';
import { apiGateFields, identityGateFields, type Policy } from '../policy/policy.js';
import type { ApprovalKind, RotationTrigger } from './approval-request.js';

/** A request as a person typed it (CLI, console, chat, a button): raw text, checked by `requestFieldErrors`. */
export type RequestInput =
  | { readonly kind: 'scope_change'; readonly scopes: string; readonly justification: string | null }
  | { readonly kind: 'rotation'; readonly trigger: RotationTrigger; readonly justification: string | null }
  /** `attestationId`: asked with an attestation's Decommission button, in the same transaction as the answer. */
  | { readonly kind: 'decommission'; readonly justification: string | null; readonly attestationId?: number }
  | { readonly kind: 'ownership_transfer'; readonly to: string; readonly team: string | null; readonly justification: string | null }
  | { readonly kind: 'exception'; readonly until: string; readonly rule: string | null; readonly justification: string | null };

/** The most scopes one request may set: more is a mistake (a file pasted), not a grant anyone reviews. */
export const maxScopes = 100;

/**
 * A scope as identity providers write them (`read:org`, `s3:GetObject`, `https://www.googleapis.com/auth/drive`,
 * `roles/storage.admin`): visible ASCII without quotes, brackets or backslashes, at most 200 characters.
 */
const scopeShape = /^[\x21-\x7e]{1,200}$/;
const scopeForbidden = /["'`<>\\]/;

/** The gate rules an exception can waive for an item of this kind (the policy's `gate` fields). */
export function waivableRules(kind: ItemKind): readonly string[] {
  return kind === 'api' ? apiGateFields : identityGateFields;
}

/** The scopes of a scope change, as stored: split, de-duplicated, in the order given. */
export function requestedScopes(text: string): string[] {
  return [...new Set(scopeList(text))];
}

/**
 * An end date as typed (an exception's, a delegation's), as stored: an ISO time or date, or whole days from now
 * (`+30d`); null when it is neither.
 */
export function requestedUntil(text: string, now: string): string | null {
  const relative = /^\+(\d{1,4})d$/i.exec(text.trim());
  if (relative) return addDays(now, Number(relative[1]));
  return normaliseIsoTime(text.trim());
}

/** The field error of an end date that is not one, or that could not be stored; null when it reads. */
export function untilError(text: string, now: string): FieldError | null {
  const problem = textError('reason', text);
  if (problem !== null) return { ...problem, field: 'until' };
  return requestedUntil(text, now) === null ? { field: 'until', code: 'not_date', message: 'Give a date like 2027-01-31, or days from now like +30d.' } : null;
}

/**
 * Every field rule of a request, whoever calls (one rule, one place): the justification is free text under the one
 * length limit with no secret in it; a scope change lists valid scopes and says why; an exception says why and ends
 * within the policy's limit; a transfer names an email. What the item or the people make of it (unknown ref, a
 * gate rule the item's kind does not have) is `decideRequest`'s to say.
 */
export function requestFieldErrors(input: RequestInput, now: string, policy: Policy): FieldError[] {
  const errors: FieldError[] = [];
  const push = (error: FieldError | null) => {
    if (error !== null && !errors.some((e) => e.field === error.field)) errors.push(error);
  };
  if (input.justification !== null && input.justification.trim() !== '') push(textError('reason', input.justification));
  const needsWhy = input.kind === 'scope_change' || input.kind === 'exception';
  if (needsWhy && (input.justification === null || input.justification.trim() === ''))
    push({ field: 'reason', code: 'required', message: `Say why: the approver reads it before deciding${input.kind === 'exception' ? ' an exception' : ' a scope change'}.` });
  switch (input.kind) {
    case 'scope_change': {
      const textProblem = textError('scopes', input.scopes);
      if (textProblem !== null) {
        push(textProblem);
        break;
      }
      const scopes = requestedScopes(input.scopes);
      const bad = scopes.find((scope) => !scopeShape.test(scope) || scopeForbidden.test(scope));
      if (bad !== undefined) push({ field: 'scopes', code: 'not_scope', message: 'A scope is one word of visible characters (like read:org or s3:GetObject), without quotes, brackets or backslashes.' });
      else if (scopes.length > maxScopes) push({ field: 'scopes', code: 'out_of_range', message: `List at most ${maxScopes} scopes.` });
      break;
    }
    case 'ownership_transfer':
      push(textError('suggestedOwner', input.to));
      break;
    case 'exception': {
      const problem = untilError(input.until, now);
      if (problem !== null) {
        push(problem);
        break;
      }
      const until = requestedUntil(input.until, now);
      const latest = addDays(now, policy.approvals.exceptionMaxDays);
      if (until !== null && until <= now) push({ field: 'until', code: 'out_of_range', message: 'An exception ends in the future: give a later date.' });
      else if (until !== null && until > latest) push({ field: 'until', code: 'out_of_range', message: `An exception lasts at most ${policy.approvals.exceptionMaxDays} days (the policy’s limit): end it by ${latest.slice(0, 10)}.` });
      if (input.rule !== null) push(textError('rule', input.rule));
      break;
    }
    case 'rotation':
    case 'decommission':
      break;
  }
  return errors;
}

/** A request's kind as typed (`scope-change`, `transfer` and `decom` read too), or null. */
export function readKind(word: string): ApprovalKind | null {
  const key = word.trim().toLowerCase().replaceAll('-', '_');
  const aliases: Record<string, ApprovalKind> = {
    scope_change: 'scope_change',
    scopes: 'scope_change',
    rotation: 'rotation',
    rotate: 'rotation',
    decommission: 'decommission',
    ownership_transfer: 'ownership_transfer',
    transfer: 'ownership_transfer',
    exception: 'exception',
  };
  return aliases[key] ?? null;
}
