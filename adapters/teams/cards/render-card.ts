import { recountConfirmAll } from '../../../src/messages/confirm-all.js';
import type { MessageSection, OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import { adaptiveCard, type AdaptiveCard, type CardElement, type Container } from './adaptive-card.js';
import { frameLimits, itemDetails, type ItemDetail } from './card-size.js';
import { cardText } from './card-text.js';
import type { OpenForm } from './form-container.js';
import { executeButton, itemContainer, type ItemContext } from './item-container.js';
import { mentionLine } from './mentions.js';

export interface CardOptions {
  /** The policy's cap on a snooze: the Snooze form asks for 1 to this many days. */
  readonly snoozeMaxDays: number;
  /** A form the core refused, shown open with what was typed and the core's errors (the answer to that click). */
  readonly open?: OpenForm;
  /** A line above the items: what a click did ("Recorded: confirmed") or why it changed nothing. */
  readonly notice?: string;
  /**
   * What every button sends besides its value (the outbox delivery a card was posted by, say), counted in the
   * card's size. `value` stays the core's: a key of that name here is ignored.
   */
  readonly data?: Readonly<Record<string, string | number>>;
  /** The Entra object ids of the people the message mentions who have a Teams account, by person id. */
  readonly teamsIds?: ReadonlyMap<number, string>;
  /** The requests whose Approve asks for the item's ref typed (those that retire something: `isDestructive`). */
  readonly confirmRefFor?: ReadonlySet<number>;
}

/** An item on a card, with how much of it the card shows. */
export interface PlacedSection {
  readonly section: MessageSection;
  readonly detail: ItemDetail;
}

/** Which of the cards one message was split into: its place among them. */
export interface CardPart {
  readonly index: number;
  readonly count: number;
}

function footerLine(message: OutgoingMessage, part: CardPart | null): string | null {
  const parts = [...(message.page ? [`Page ${message.page.index} of ${message.page.count}`] : []), ...(part !== null && part.count > 1 ? [`part ${part.index} of ${part.count}`] : [])];
  if (parts.length === 0) return null;
  const line = parts.join(' · ');
  return `${line.charAt(0).toUpperCase()}${line.slice(1)}`;
}

/**
 * The card for some of a message's items (`placed`, each at its level of detail): its title and text, the people it
 * mentions (an approval's approvers), a notice,
 * the items, the message-wide actions, and the page. When the card shows fewer items than the message has, Confirm
 * all covers only the open attestations it shows: an owner attests to facts they have seen. Within no size
 * budget by itself: `cardsFor` chooses what goes on each card.
 */
export function composeCard(
  message: OutgoingMessage,
  placed: readonly PlacedSection[],
  part: CardPart | null,
  options: CardOptions,
  item: (placed: PlacedSection, context: ItemContext) => Container = (p, context) => itemContainer(p.section, p.detail, context),
): AdaptiveCard {
  const context = { snoozeMaxDays: options.snoozeMaxDays, open: options.open ?? null, data: options.data ?? {}, confirmRefFor: options.confirmRefFor ?? new Set<number>() };
  const mentions = mentionLine(message.mentions ?? [], options.teamsIds ?? new Map<number, string>());
  const shown = placed.map((p) => p.section);
  const actions = shown.length === message.sections.length ? message.actions : recountConfirmAll(message.actions, shown);
  const footer = footerLine(message, part);
  const body: CardElement[] = [
    { type: 'TextBlock', text: cardText(message.title, frameLimits.title), wrap: true, weight: 'bolder', size: 'medium', style: 'heading' },
    { type: 'TextBlock', text: cardText(message.text, frameLimits.text), wrap: true },
    ...(mentions === null ? [] : [{ type: 'TextBlock' as const, text: mentions.text, wrap: true as const, spacing: 'small' as const }]),
    ...(options.notice === undefined ? [] : [{ type: 'Container' as const, style: 'emphasis' as const, items: [{ type: 'TextBlock' as const, text: cardText(options.notice, frameLimits.notice), wrap: true as const }] }]),
    ...placed.map((p) => item(p, context)),
    ...(footer === null ? [] : [{ type: 'TextBlock' as const, text: footer, wrap: true as const, isSubtle: true, size: 'small' as const, spacing: 'medium' as const }]),
  ];
  const page = message.page ? ` (page ${message.page.index} of ${message.page.count})` : '';
  return adaptiveCard(body, {
    actions: actions.map((action) => executeButton(action, null, context.data)),
    fallbackText: cardText(`${message.title}${page}: ${message.text}`, frameLimits.fallbackText),
    ...(mentions === null ? {} : { mentions: mentions.entities }),
  });
}

/**
 * One core message as one card, every item at full detail. The card may be over Teams' size limit: a surface sends
 * `cardsFor(message)`, which splits it; this is for a message known to be small, and for tests.
 */
export function renderCard(message: OutgoingMessage, options: CardOptions): AdaptiveCard {
  return composeCard(
    message,
    message.sections.map((section) => ({ section, detail: itemDetails[0] })),
    null,
    options,
  );
}
