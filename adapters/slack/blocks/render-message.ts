import type { ContextBlock, KnownBlock } from '@slack/types';
import { recountConfirmAll } from '../../../src/messages/confirm-all.js';
import type { MessageAction, MessageKind, MessageSection, OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import { renderDigest } from './digest-blocks.js';
import { actions, composeMrkdwn, header, mrkdwn } from './elements.js';
import { itemBlocks } from './item-section.js';
import { escapeMrkdwn, mrkdwnWithin, slackLimits } from './limits.js';

export interface SlackMessage {
  /** The notification fallback: what a push notification or a screen reader without blocks shows. */
  readonly text: string;
  readonly blocks: KnownBlock[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where the items that did not fit can be seen: the reader's Home tab, or the command that lists them. */
function elsewhere(kind: MessageKind, hidden: number): string {
  const more = `…and ${plural(hidden, 'more item')}`;
  if (kind === 'unowned_queue') return `${more}: \`/steward unowned\` lists them all.`;
  if (kind === 'team_queue') return `${more}: \`/steward team\` lists the team’s items.`;
  return `${more} in Steward’s Home tab.`;
}

/**
 * The message-wide actions for the items shown. When items had to be left out, Confirm all covers only the
 * open attestations shown: an owner attests to facts they have seen, never to items they could not.
 */
function messageActions(message: OutgoingMessage, shown: readonly MessageSection[]): MessageAction[] {
  return shown.length === message.sections.length ? [...message.actions] : recountConfirmAll(message.actions, shown);
}

function footer(message: OutgoingMessage, hidden: number): ContextBlock[] {
  const lines = [
    ...(message.page ? [`Page ${message.page.index} of ${message.page.count}`] : []),
    ...(hidden > 0 ? [elsewhere(message.kind, hidden)] : []),
  ];
  return lines.length === 0 ? [] : [{ type: 'context', elements: lines.map((line) => mrkdwn(line)) }];
}

/** Slack user ids by person id: the people a message mentions who have a Slack account Steward knows. */
export type SlackMentions = ReadonlyMap<number, string>;

const slackUserId = /^[UW][A-Z0-9]{1,20}$/;
/** The most people one message names: a card names its approvers, a handful. */
const maxMentions = 10;

/** The people a message names, as Slack mentions (`<@U…>`, which notifies them) or, with no Slack account known, their email. */
function mentionLine(message: OutgoingMessage, ids: SlackMentions): string {
  return (message.mentions ?? [])
    .slice(0, maxMentions)
    .map((m) => {
      const id = ids.get(m.personId);
      return id !== undefined && slackUserId.test(id) ? `<@${id}>` : escapeMrkdwn(m.email);
    })
    .join(', ');
}

/**
 * One core message as one Slack message: its title, the people it names (an approval card's approvers, mentioned
 * so Slack notifies them), its text, each item with its facts and buttons (a resolved
 * item shows its outcome instead), the message-wide actions (Confirm all), and the page. Within every Block Kit
 * limit: when the items would need more than 50 blocks, those that fit are shown and a last line says where
 * the rest are.
 */
export function renderMessage(message: OutgoingMessage, mentionIds: SlackMentions = new Map()): SlackMessage {
  // A digest is figures, not items: laid out by its own renderer.
  if (message.kind === 'digest' && message.digest !== undefined) return renderDigest(message, message.digest);
  const mentions = mentionLine(message, mentionIds);
  const lead = mentions === '' ? '' : `${mentions}\n`;
  const top: KnownBlock[] = [header(message.title), { type: 'section', text: mrkdwn(lead + composeMrkdwn([[{ text: message.text }]], slackLimits.sectionText - lead.length)) }];
  const items = message.sections.map((section) => ({ section, blocks: itemBlocks(section) }));
  const size = (shown: number, dividers: boolean) => {
    const sections = message.sections.slice(0, shown);
    const tail = actions(messageActions(message, sections), null).length + footer(message, message.sections.length - shown).length;
    return top.length + items.slice(0, shown).reduce((n, item) => n + item.blocks.length + (dividers ? 1 : 0), 0) + tail;
  };

  // Dividers between items when everything fits with them; else without; else as many items as fit.
  const dividers = size(items.length, true) <= slackLimits.messageBlocks;
  let shown = items.length;
  while (shown > 0 && size(shown, dividers) > slackLimits.messageBlocks) shown--;
  const sections = message.sections.slice(0, shown);
  const blocks: KnownBlock[] = [
    ...top,
    ...items.slice(0, shown).flatMap((item) => (dividers ? [{ type: 'divider' } as const, ...item.blocks] : item.blocks)),
    ...actions(messageActions(message, sections), null),
    ...footer(message, message.sections.length - shown),
  ];
  const page = message.page ? ` (page ${message.page.index} of ${message.page.count})` : '';
  if (mentions === '') return { text: mrkdwnWithin(`${message.title}${page}: ${message.text}`, slackLimits.fallbackText), blocks };
  // The notification names them too: that is what pings the approvers.
  const heading = mrkdwnWithin(`${message.title}${page}`, slackLimits.headerText);
  const named = `${heading}: ${mentions}: `;
  return { text: named + mrkdwnWithin(message.text, slackLimits.fallbackText - named.length), blocks };
}
