import { adaptiveCard, type AdaptiveCard } from './adaptive-card.js';
import { cardText } from './card-text.js';

/** The most a notice shows: one or two sentences, sometimes quoting a ref. */
const noticeLength = 2000;

/**
 * A card that only says something: the answer to a click that changed nothing ("This prompt is for someone else")
 * or what it did ("Recorded: confirmed"). `refusal` shows it in the attention colour. It has no buttons.
 */
export function noticeCard(text: string, tone: 'info' | 'refusal' = 'info'): AdaptiveCard {
  const said = cardText(text, noticeLength);
  return adaptiveCard([{ type: 'TextBlock', text: said, wrap: true, ...(tone === 'refusal' ? { color: 'attention' as const } : {}) }], { fallbackText: said });
}
