import type { SentActivity } from '../../support/fake-bot-connector.js';
import { objectsIn } from './cards/card-schema.js';

/** How Teams marks an Adaptive Card attachment, and an invoke's card answer. */
export const cardType = 'application/vnd.microsoft.card.adaptive';

/** An Action.Execute as a click sends it back: its verb and its data. */
export interface Execute {
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

/** Every Action.Execute anywhere in a card (actions, action sets, revealed forms). */
export function executesIn(card: unknown): Execute[] {
  return objectsIn(card)
    .filter((o) => o.type === 'Action.Execute')
    .map((o) => ({ verb: String(o.verb), data: o.data as Record<string, unknown> }));
}

/** The card an activity sent to the fake Bot Connector carries, if any. */
export const cardOf = (sent: SentActivity | undefined): unknown => sent?.activity.attachments?.find((a) => a.contentType === cardType)?.content;
