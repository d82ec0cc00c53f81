import type { KnownBlock } from '@slack/types';
import type { MessageFact, MessageSection } from '../../../src/messages/outgoing-message.js';
import { actions, composeMrkdwn, mrkdwn, type Part } from './elements.js';
import { escapeMrkdwn, slackLimits } from './limits.js';

export interface ItemName {
  readonly kind: 'api' | 'identity';
  readonly ref: string;
  readonly name: string;
}

/** `*payments-api* (API) — Payments API`: the ref in bold, the name when it says more. */
export function headingParts(item: ItemName): Part[] {
  return ['*', { text: item.ref }, `* (${item.kind === 'api' ? 'API' : 'identity'})`, ...(item.name !== item.ref ? [' — ', { text: item.name }] : [])];
}

export function factLine(fact: MessageFact): Part[] {
  return [`*${escapeMrkdwn(fact.label)}:* `, { text: fact.value, link: true }];
}

/**
 * One item: a section with its heading and facts, then its buttons. A resolved item shows its outcome instead
 * of its facts and buttons, so no live button remains on it.
 */
export function itemBlocks(section: MessageSection): KnownBlock[] {
  const heading = headingParts({ kind: section.itemKind, ref: section.itemRef, name: section.itemName });
  if (section.resolved !== undefined) return [{ type: 'section', text: mrkdwn(composeMrkdwn([heading, ['✓ ', { text: section.resolved }]], slackLimits.sectionText)) }];
  const text = composeMrkdwn([heading, ...section.facts.map(factLine)], slackLimits.sectionText);
  return [{ type: 'section', text: mrkdwn(text) }, ...actions(section.actions, section.itemRef)];
}
