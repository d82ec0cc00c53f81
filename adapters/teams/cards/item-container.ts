import type { MessageAction, MessageSection } from '../../../src/messages/outgoing-message.js';
import type { CardAction, CardElement, Container, ExecuteAction, TargetElement } from './adaptive-card.js';
import { frameLimits, type ItemDetail } from './card-size.js';
import { cardText, cutText, plainText } from './card-text.js';
import { formContainer, type OpenForm } from './form-container.js';
import { formId, isRevealedForm, type RevealedForm } from './input-ids.js';

export interface ItemContext {
  readonly snoozeMaxDays: number;
  readonly open: OpenForm | null;
  /** What every button sends besides its value (CardOptions.data). */
  readonly data: Readonly<Record<string, string | number>>;
  /** The requests whose Approve asks for the item's ref typed (CardOptions.confirmRefFor). */
  readonly confirmRefFor: ReadonlySet<number>;
}

const buttonStyle = { primary: 'positive', danger: 'destructive' } as const;

/**
 * A button that answers at once (Confirm, Claim, Take it, Confirm all, Accept, Request rotation): the core's action id as the verb and its
 * value in `data`, untouched, so one handler serves every surface. It sends no inputs, and so validates none.
 */
export function executeButton(action: MessageAction, about: string | null, data: Readonly<Record<string, string | number>>): ExecuteAction {
  return {
    type: 'Action.Execute',
    title: action.label,
    verb: action.id,
    data: { ...data, value: action.value },
    associatedInputs: 'none',
    ...(action.style === undefined ? {} : { style: buttonStyle[action.style] }),
    ...(about === null ? {} : { tooltip: plainText(`${action.label.replace(/…$/, '')} ${about}`, frameLimits.tooltip) }),
  };
}

/** A button that reveals its form under the item and hides the item's other forms (one open at a time). */
function revealButton(action: MessageAction, form: RevealedForm, section: MessageSection): CardAction {
  const others = section.actions.flatMap((a): TargetElement[] => (a.id !== form && isRevealedForm(a.id) ? [{ elementId: formId(a.id, a.value), isVisible: false }] : []));
  return {
    type: 'Action.ToggleVisibility',
    title: action.label,
    targetElements: [formId(form, action.value), ...others],
    // Decommission and Reject are red, as in Slack; the form is where they ask before they act.
    ...(action.style === undefined ? {} : { style: buttonStyle[action.style] }),
    tooltip: plainText(`${action.label.replace(/…$/, '')} ${section.itemRef}`, frameLimits.tooltip),
  };
}

function heading(section: MessageSection, detail: ItemDetail): string {
  const ref = cardText(section.itemRef, detail.ref);
  const kind = section.itemKind === 'api' ? 'API' : 'identity';
  return section.itemName !== section.itemRef ? `${ref} (${kind}) — ${cardText(section.itemName, detail.name)}` : `${ref} (${kind})`;
}

function factSet(section: MessageSection, detail: ItemDetail): CardElement[] {
  if (section.facts.length === 0) return [];
  const shown = section.facts.length > detail.facts ? section.facts.slice(0, detail.facts - 1) : section.facts;
  const hidden = section.facts.length - shown.length;
  const facts = shown.map((f) => ({ title: cardText(f.label, detail.factLabel), value: cardText(f.value, detail.factValue) }));
  return [{ type: 'FactSet', facts: hidden > 0 ? [...facts, { title: '…', value: `${hidden} more facts` }] : facts, spacing: 'small' }];
}

/**
 * One item: its heading (ref, kind, name), its facts, its buttons, and under them the forms its buttons reveal. A
 * resolved item shows its outcome instead of its facts and buttons, so no live button remains on it. `detail`
 * says how much of each text fits (see card-size.ts).
 */
export function itemContainer(section: MessageSection, detail: ItemDetail, context: ItemContext): Container {
  const title: CardElement = { type: 'TextBlock', text: heading(section, detail), wrap: true, weight: 'bolder' };
  if (section.resolved !== undefined) {
    return { type: 'Container', separator: true, spacing: 'medium', items: [title, { type: 'TextBlock', text: `✓ ${cardText(section.resolved, detail.resolved)}`, wrap: true, color: 'good', spacing: 'small' }] };
  }
  const about = cutText(section.itemRef, frameLimits.tooltip);
  const buttons = section.actions.map((action) => (isRevealedForm(action.id) ? revealButton(action, action.id, section) : executeButton(action, about, context.data)));
  const forms = section.actions.flatMap((action) =>
    isRevealedForm(action.id)
      ? [formContainer(action.id, section, action.value, { ...context, prefill: detail.prefill, ref: section.itemRef, confirmRef: section.approvalId !== undefined && context.confirmRefFor.has(section.approvalId) })]
      : [],
  );
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [title, ...factSet(section, detail), ...(buttons.length > 0 ? [{ type: 'ActionSet' as const, actions: buttons }] : []), ...forms],
  };
}
