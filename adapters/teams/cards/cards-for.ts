import { subjectOf, type OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import type { AdaptiveCard, Container } from './adaptive-card.js';
import { cardBudgetBytes, cardBytes, itemDetails } from './card-size.js';
import { digestCard } from './digest-card.js';
import type { DigestChartImage } from './digest-chart-image.js';
import { itemContainer, type ItemContext } from './item-container.js';
import { composeCard, type CardOptions, type PlacedSection } from './render-card.js';

/** What a digest's card shows besides its figures: the chart drawn for this delivery, or why there is none. */
export interface DigestCardOptions {
  readonly chart?: DigestChartImage;
}

/** One card of a message, with the subjects (`attestation:<id>`, `queue:<item id>`) it shows: what resolving one updates. */
export interface CardPage {
  readonly card: AdaptiveCard;
  readonly subjects: readonly string[];
}

/**
 * A core message as the cards Teams is sent, in order, each within `cardBudgetBytes`. Items go on a card while it
 * fits; the next starts a new card, which says "part 2 of 3" (beside the core's own "Page n of m"), and each card's
 * Confirm all covers only the items it shows. An item too big for a card of its own is shown with shorter texts
 * (card-size.ts, `itemDetails`), down to a level that fits on any card. No item is dropped and none is shown twice.
 */
export function cardPagesFor(message: OutgoingMessage, options: CardOptions & DigestCardOptions): CardPage[] {
  // A digest has no items to page: one card of figures and its chart (digest-card.ts keeps it within the budget).
  if (message.kind === 'digest' && message.digest !== undefined) return [{ card: digestCard(message, message.digest, options.chart ?? { status: 'not_drawn', reason: 'no_renderer' }), subjects: [] }];
  // Sized with the longest page line the split could write, so the real one never makes a card grow.
  const most = String(message.sections.length + 1).replace(/\d/g, '9');
  // Each item is rendered once per level of detail, however many cards are tried with it.
  const rendered = new Map<PlacedSection['section'], Map<PlacedSection['detail'], Container>>();
  const item = ({ section, detail }: PlacedSection, context: ItemContext) => {
    const levels = rendered.get(section) ?? new Map<PlacedSection['detail'], Container>();
    rendered.set(section, levels);
    const container = levels.get(detail) ?? itemContainer(section, detail, context);
    levels.set(detail, container);
    return container;
  };
  const compose = (placed: readonly PlacedSection[], part: { index: number; count: number }) => composeCard(message, placed, part, options, item);
  const fits = (placed: readonly PlacedSection[]) => cardBytes(compose(placed, { index: Number(most), count: Number(most) })) <= cardBudgetBytes;

  const groups: PlacedSection[][] = [];
  let current: PlacedSection[] = [];
  for (const section of message.sections) {
    const full = { section, detail: itemDetails[0] };
    if (current.length > 0 && fits([...current, full])) {
      current.push(full);
      continue;
    }
    if (current.length > 0) groups.push(current);
    const detail = itemDetails.find((d) => fits([{ section, detail: d }])) ?? itemDetails[itemDetails.length - 1] ?? itemDetails[0];
    current = [{ section, detail }];
  }
  if (current.length > 0 || groups.length === 0) groups.push(current);

  return groups.map((placed, i) => ({
    card: compose(placed, { index: i + 1, count: groups.length }),
    subjects: placed.map((p) => subjectOf(p.section)).filter((s): s is string => s !== null),
  }));
}

/** The cards for a message, each within Teams' size limit: see `cardPagesFor`. */
export function cardsFor(message: OutgoingMessage, options: CardOptions & DigestCardOptions): AdaptiveCard[] {
  return cardPagesFor(message, options).map((page) => page.card);
}
