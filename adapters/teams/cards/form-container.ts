import type { EditableFact } from '../../../src/attestation/answer-action.js';
import { answerFieldLimits, type AnswerField, type FieldError } from '../../../src/attestation/answer-fields.js';
import { answerForms, isAnswerActionId } from '../../../src/attestation/answer-forms.js';
import { factHints, factLabels } from '../../../src/attestation/fact-labels.js';
import type { MessageSection } from '../../../src/messages/outgoing-message.js';
import type { CardElement, CardInput, Container, ExecuteAction } from './adaptive-card.js';
import { frameLimits } from './card-size.js';
import { cardText, cutText } from './card-text.js';
import { formFields, formId, inputId, type RevealedForm } from './input-ids.js';

/**
 * A form the core refused (readAnswerForm's errors, or a decision's `decisionFieldErrors`), to show again open on the card that answers the click: what
 * was typed stays in the inputs (unless the core refused it as a secret or a broken character: it is never
 * echoed), and each error shows under its input in the core's words.
 */
export interface OpenForm {
  readonly actionId: RevealedForm;
  /** The action's value: which item's form. */
  readonly value: string;
  readonly typed: Readonly<Partial<Record<AnswerField, string>>>;
  readonly errors: readonly FieldError[];
}

/** The facts each kind of item has, as its prompt shows them (src/messages/attestation-messages.ts, factsOf). */
const factsOfKind: Record<MessageSection['itemKind'], readonly EditableFact[]> = {
  identity: ['purpose', 'scopes', 'expiresAt', 'recoveryProcedure'],
  api: ['purpose', 'revocationPath'],
};

const multiline: ReadonlySet<AnswerField> = new Set<AnswerField>(['purpose', 'recoveryProcedure', 'revocationPath', 'reason', 'note']);

interface FormWords {
  readonly intro: (ref: string, snoozeMaxDays: number) => string;
  readonly submit: string;
  readonly style?: 'positive' | 'destructive';
  readonly label: (field: AnswerField) => string;
  readonly placeholder: (field: AnswerField, snoozeMaxDays: number) => string | undefined;
}

const words: Record<RevealedForm, FormWords> = {
  'attest.update': {
    intro: () => 'Correct what is wrong, then confirm: Steward records what changed. A fact left empty stays as it is.',
    submit: 'Confirm with changes',
    style: 'positive',
    label: (field) => (field === 'reason' ? 'Why? (the approver reads it when the scopes change)' : factLabels[field as EditableFact]),
    // A placeholder, not a sentence: without its full stop.
    placeholder: (field) => (field === 'reason' ? 'Deploys now write build artefacts' : factHints[field as EditableFact].replace(/\.$/, '')),
  },
  'attest.dispute': {
    intro: () => 'The security team will find its owner. Anything you know helps.',
    submit: 'Send',
    label: (field) => (field === 'suggestedOwner' ? 'Who might own it? (their email)' : 'Why is it not yours?'),
    placeholder: (field) => (field === 'suggestedOwner' ? 'name@example.com' : 'We handed it to the platform team in March'),
  },
  'attest.decommission': {
    intro: (ref) => `Decommission ${ref}? The request goes to its approver.`,
    submit: 'Decommission',
    style: 'destructive',
    label: () => 'Why?',
    placeholder: () => 'The service was retired in June',
  },
  'attest.snooze': {
    intro: (_, max) => `Ask again in up to ${max} days.`,
    submit: 'Snooze',
    label: (field) => (field === 'days' ? 'For how many days?' : 'Why?'),
    placeholder: (field, max) => (field === 'days' ? `1 to ${max}` : 'Waiting for the vendor to confirm the new key'),
  },
  'approval.approve': {
    intro: (ref) => `Approve this request for ${ref}? It is applied at once, and the requester is told.`,
    submit: 'Approve',
    style: 'positive',
    label: (field) => (field === 'confirmRef' ? 'Type the item’s ref to confirm: approving retires it' : 'Anything to add?'),
    placeholder: (field) => (field === 'confirmRef' ? undefined : 'Checked with the owning team'),
  },
  'approval.reject': {
    intro: () => 'Reject this request? Nothing changes, and the requester is told why.',
    submit: 'Reject',
    style: 'destructive',
    label: () => 'Why?',
    placeholder: () => 'Write access is not needed for reads',
  },
  'transfer.decline': {
    intro: (ref) => `Decline ${ref}? It stays with its owner, who is told why.`,
    submit: 'Decline',
    label: () => 'Why?',
    placeholder: () => 'Not my team’s: ask the platform team',
  },
};

/**
 * The fields a form shows for this item, in the core's order: Update shows the facts the item's kind has (and why,
 * for a scope change); Approve asks for the item's ref only when approving retires it.
 */
function shownFields(actionId: RevealedForm, section: MessageSection, confirmRef: boolean): AnswerField[] {
  const fields = formFields(actionId);
  if (actionId === 'attest.update') return fields.filter((f) => f === 'reason' || (factsOfKind[section.itemKind] as readonly AnswerField[]).includes(f));
  return fields.filter((f) => f !== 'confirmRef' || confirmRef);
}

/**
 * The fields the label marks required: the answer form's own; a reason to reject or decline and the typed ref to
 * approve a destructive request (decisionFieldErrors' rules; the core checks them, the label only says so).
 */
function requiredFields(actionId: RevealedForm): readonly AnswerField[] {
  if (isAnswerActionId(actionId)) return answerForms[actionId].required;
  return actionId === 'approval.approve' ? ['confirmRef'] : ['reason'];
}

/** What may be put back in an input: not what the core refused as a secret or a broken character, nor more than the input takes. */
function prefill(field: AnswerField, open: OpenForm | null): string | undefined {
  const typed = open?.typed[field];
  if (typed === undefined || typed === '') return undefined;
  if (open?.errors.some((e) => e.field === field && (e.code === 'secret' || e.code === 'half_character'))) return undefined;
  if (field !== 'days' && field !== 'expiresAt' && typed.length > answerFieldLimits[field]) return undefined;
  return typed;
}

function input(actionId: RevealedForm, field: AnswerField, value: string, snoozeMaxDays: number, typed: string | undefined): CardInput {
  const form = words[actionId];
  const required = requiredFields(actionId).includes(field);
  const base = { id: inputId(actionId, field, value), label: `${form.label(field)}${required ? ' (required)' : ''}` };
  const placeholder = form.placeholder(field, snoozeMaxDays);
  const withPlaceholder = placeholder === undefined ? base : { ...base, placeholder };
  if (field === 'days') {
    const days = typed !== undefined && /^\d{1,6}$/.test(typed) ? { value: Number(typed) } : {};
    return { type: 'Input.Number', ...withPlaceholder, min: 1, max: snoozeMaxDays, ...days };
  }
  if (field === 'expiresAt') return { type: 'Input.Date', ...withPlaceholder, ...(typed !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(typed) ? { value: typed } : {}) };
  return {
    type: 'Input.Text',
    ...withPlaceholder,
    maxLength: answerFieldLimits[field],
    ...(multiline.has(field) ? { isMultiline: true } : {}),
    ...(field === 'suggestedOwner' ? { style: 'email' as const } : {}),
    ...(typed === undefined ? {} : { value: typed }),
  };
}

function errorLine(message: string): CardElement {
  return { type: 'TextBlock', text: cardText(message, frameLimits.errorMessage), wrap: true, color: 'attention', size: 'small', spacing: 'none' };
}

/**
 * One item's form for one answer, hidden until its button reveals it (or shown, when `open` is this form): the
 * question, an input for each field the core's form takes (ids from input-ids.ts), and the button that sends them
 * with the answer's verb. Nothing here checks what is typed: the core's answer form does, and its errors come back
 * through `open`. No input is marked `isRequired`: Action.Execute validates every input on the card, hidden ones
 * included, so a required field in one item's Snooze would stop another item's Update; the label says it instead.
 */
export function formContainer(
  actionId: RevealedForm,
  section: MessageSection,
  value: string,
  context: { readonly snoozeMaxDays: number; readonly open: OpenForm | null; readonly data: Readonly<Record<string, string | number>>; readonly prefill: boolean; readonly ref: string; readonly confirmRef: boolean },
): Container {
  const open = context.open !== null && context.open.actionId === actionId && context.open.value === value ? context.open : null;
  const fields = shownFields(actionId, section, context.confirmRef);
  const errorsOf = (field: AnswerField) => open?.errors.filter((e) => e.field === field) ?? [];
  // Errors on fields this form does not show (a field it does not take): said above the inputs, never dropped.
  const elsewhere = open?.errors.filter((e) => !fields.includes(e.field)) ?? [];
  const submit: ExecuteAction = {
    type: 'Action.Execute',
    title: words[actionId].submit,
    verb: actionId,
    data: { ...context.data, value },
    ...(words[actionId].style === undefined ? {} : { style: words[actionId].style }),
  };
  return {
    type: 'Container',
    id: formId(actionId, value),
    isVisible: open !== null,
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: cardText(words[actionId].intro(cutText(context.ref, 100), context.snoozeMaxDays), frameLimits.text), wrap: true },
      ...elsewhere.map((e) => errorLine(e.message)),
      ...fields.flatMap((field) => [input(actionId, field, value, context.snoozeMaxDays, context.prefill ? prefill(field, open) : undefined), ...errorsOf(field).map((e) => errorLine(e.message))]),
      { type: 'ActionSet', actions: [submit] },
    ],
  };
}
