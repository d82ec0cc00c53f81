import { textError } from '../attestation/answer-field-errors.js';
import type { AnswerField, FieldError } from '../attestation/answer-fields.js';
import type { ActionId } from '../messages/outgoing-message.js';

/** A decision as a person gave it: a button and its form, or `decide <id> approve|reject`. */
export type DecisionInput =
  | { readonly action: 'approve'; readonly reason: string | null; readonly confirmRef: string | null }
  | { readonly action: 'reject'; readonly reason: string | null }
  | { readonly action: 'accept'; readonly reason: string | null }
  | { readonly action: 'decline'; readonly reason: string | null };

export type DecisionActionId = Extract<ActionId, 'approval.approve' | 'approval.reject' | 'transfer.accept' | 'transfer.decline'>;

/** What each decision button asks, for every surface: a Slack modal, a Teams card's form, `press` on the console. */
export const decisionForms: Readonly<Record<DecisionActionId, { readonly action: DecisionInput['action']; readonly fields: readonly AnswerField[] }>> = {
  'approval.approve': { action: 'approve', fields: ['reason', 'confirmRef'] },
  'approval.reject': { action: 'reject', fields: ['reason'] },
  'transfer.accept': { action: 'accept', fields: ['reason'] },
  'transfer.decline': { action: 'decline', fields: ['reason'] },
};

export function isDecisionActionId(id: string): id is DecisionActionId {
  return Object.hasOwn(decisionForms, id);
}

/** What a decision needs beyond its words: whether it destroys something (the ref must be typed), and the ref. */
export interface DecisionRules {
  readonly destructive: boolean;
  readonly ref: string;
}

/**
 * Every field rule of a decision: the reason is free text under the one limit, with no secret in it, and is
 * needed to reject or decline (the requester is told why); approving something destructive needs the item's ref
 * typed exactly (case aside), so nobody retires the wrong thing by a stray click.
 */
export function decisionFieldErrors(input: DecisionInput, rules: DecisionRules): FieldError[] {
  const errors: FieldError[] = [];
  const reason = input.reason?.trim() ?? '';
  if (reason !== '') {
    const problem = textError('reason', reason);
    if (problem !== null) errors.push(problem);
  } else if (input.action === 'reject' || input.action === 'decline')
    errors.push({ field: 'reason', code: 'required', message: `Say why: ${input.action === 'reject' ? 'the requester is told' : 'whoever offered it is told'}.` });
  if (input.action === 'approve' && rules.destructive) {
    const typed = input.confirmRef?.trim() ?? '';
    const unreadable = typed === '' ? null : textError('confirmRef', typed);
    if (unreadable !== null) errors.push(unreadable);
    else if (typed === '') errors.push({ field: 'confirmRef', code: 'required', message: `Type ${rules.ref} to confirm: approving retires it.` });
    else if (typed.toLowerCase() !== rules.ref.toLowerCase()) errors.push({ field: 'confirmRef', code: 'mismatch', message: `That is not ${rules.ref}: type the item’s ref exactly to confirm.` });
  }
  return errors;
}

/** What a person typed into a decision form (raw; empty when left out). */
export type DecisionFormInput = Readonly<Partial<Record<'reason' | 'confirmRef', string | null>>>;

/** Reads a decision form into the decision to apply (the rules that need the request are `decideDecision`'s). */
export function readDecisionForm(actionId: DecisionActionId, input: DecisionFormInput): DecisionInput {
  const reason = input.reason?.trim() || null;
  const form = decisionForms[actionId];
  return form.action === 'approve' ? { action: 'approve', reason, confirmRef: input.confirmRef?.trim() || null } : { action: form.action, reason };
}
