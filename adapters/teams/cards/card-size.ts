import type { AdaptiveCard } from './adaptive-card.js';

/**
 * How big one card may be, in bytes of its JSON as sent (UTF-8). Teams refuses a message over about 28 KB
 * (`413 MessageSizeTooBig`; the figure Power Automate and the Teams connectors document; the bot documentation has
 * said 40 KB and now 100 KB, counted in UTF-16): 24 KiB for the card leaves room for the activity around it (ids,
 * conversation, channel data), and keeps a card of plain ASCII (48 KiB as UTF-16) within the newer figure.
 */
export const cardBudgetBytes = 24 * 1024;

export function cardBytes(card: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * The most of each untrusted text a card shows, in UTF-16 code units as written (before escaping), so that the
 * card's frame (title, text, notice, page line, fallback) stays well under the budget however hostile the text.
 */
export const frameLimits = {
  title: 150,
  text: 600,
  notice: 600,
  fallbackText: 300,
  tooltip: 100,
  errorMessage: 500,
} as const;

/**
 * How much of an item a card shows, from the most to the least: an item that does not fit on a card of its own
 * is shown at the next level, and the last level fits on any card (its texts are short and few whatever they hold).
 * At the first two, a form the core refused keeps what was typed in its inputs.
 */
export interface ItemDetail {
  readonly ref: number;
  readonly name: number;
  readonly factLabel: number;
  readonly factValue: number;
  readonly facts: number;
  readonly resolved: number;
  readonly prefill: boolean;
}

export const itemDetails: readonly [ItemDetail, ...ItemDetail[]] = [
  { ref: 200, name: 300, factLabel: 50, factValue: 1000, facts: 12, resolved: 500, prefill: true },
  { ref: 200, name: 200, factLabel: 50, factValue: 300, facts: 12, resolved: 500, prefill: true },
  { ref: 100, name: 100, factLabel: 30, factValue: 100, facts: 8, resolved: 300, prefill: false },
  { ref: 100, name: 100, factLabel: 30, factValue: 40, facts: 6, resolved: 200, prefill: false },
];
