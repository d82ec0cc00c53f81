import type { ActionsBlock, Button, HeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import type { MessageAction } from '../../../src/messages/outgoing-message.js';
import { opensModal } from '../slack-registry.js';
import { escapeMrkdwn, hasRightToLeft, mrkdwnWithin, plainWithin, shareBudget, slackLimits, truncate } from './limits.js';

/** Slack refuses an empty text object; a lone dash stands in for a name that was empty. */
const nonEmpty = (text: string) => (text.trim() === '' ? '—' : text);

export function plain(text: string, max: number): PlainTextElement {
  return { type: 'plain_text', text: plainWithin(nonEmpty(text), max), emoji: true };
}

/**
 * Mrkdwn we composed (already escaped). `verbatim` stops Slack from linking channel names and parsing mentions
 * in text that came from an import: an item named "@here" must not ping a channel.
 */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text: nonEmpty(text), verbatim: true };
}

/** Part of a mrkdwn line: our own markup (a string, kept whole) or untrusted text (escaped, cut to fit). */
export type Part = string | { readonly text: string; readonly link?: boolean };

const url = /^https?:\/\/[^\s<>|]+$/;

function linkable(part: Exclude<Part, string>): boolean {
  return part.link === true && url.test(part.text) && !hasRightToLeft(part.text);
}

function naturalLength(part: Exclude<Part, string>): number {
  const escaped = escapeMrkdwn(part.text).length;
  return linkable(part) ? escaped + 2 : escaped + (hasRightToLeft(part.text) ? 2 : 0);
}

/**
 * Lines of mrkdwn within `max` characters: the markup stays whole and the untrusted texts share what is left,
 * the longest cut first. A URL given as a link is linked (`<https://…>`) when it fits whole, else shown cut.
 */
export function composeMrkdwn(lines: readonly (readonly Part[])[], max: number): string {
  const markup = lines.reduce((n, line) => n + line.reduce((m, part) => m + (typeof part === 'string' ? part.length : 0), 0), 0);
  const texts = lines.flat().filter((part): part is Exclude<Part, string> => typeof part !== 'string');
  const allowances = shareBudget(texts.map(naturalLength), max - markup - (lines.length - 1));
  let next = 0;
  const render = (part: Exclude<Part, string>) => {
    const allowance = allowances[next++] ?? 0;
    return linkable(part) && allowance >= naturalLength(part) ? `<${escapeMrkdwn(part.text)}>` : mrkdwnWithin(part.text, allowance);
  };
  const text = lines.map((line) => line.map((part) => (typeof part === 'string' ? part : render(part))).join('')).join('\n');
  // Only when the markup alone overflows (it never does for what Steward sends): cut the whole.
  return truncate(text, max);
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, slackLimits.headerText) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(truncate(text, slackLimits.sectionText)) };
}

/**
 * A core action as a button: the action id and value exactly as the core gave them, so one handler serves every
 * surface. `about` names what it acts on, for screen readers. A value too long for Slack cannot be cut without
 * changing what the click means, so such a button is left out (the core's values are ids: it never happens).
 */
export function button(action: MessageAction, about: string | null): Button | null {
  if (action.value.length > slackLimits.buttonValue || action.id.length > slackLimits.actionId) return null;
  return {
    type: 'button',
    action_id: action.id,
    text: plain(action.label, slackLimits.buttonText),
    value: action.value,
    ...(action.style === undefined ? {} : { style: action.style }),
    ...(about === null ? {} : { accessibility_label: plainWithin(`${action.label.replace(/…$/, '')} ${about}`, slackLimits.buttonAccessibilityLabel) }),
    // A red button asks before it acts: a mis-tap must not ask for an item's decommissioning. One that opens a
    // modal (Reject) asks there instead: a dialog before the modal would ask twice.
    ...(action.style === 'danger' && !opensModal(action.id)
      ? {
          confirm: {
            title: plain(`${action.label}?`, slackLimits.confirmTitle),
            text: mrkdwn(composeMrkdwn([[`${escapeMrkdwn(action.label)} `, ...(about === null ? [] : ['*', { text: about }, '*']), '?']], slackLimits.confirmText)),
            confirm: plain(action.label, slackLimits.confirmButton),
            deny: plain('Cancel', slackLimits.confirmButton),
            style: 'danger',
          },
        }
      : {}),
  };
}

/** Buttons in actions blocks of at most 25 elements; none when there are no buttons. */
export function actions(buttons: readonly MessageAction[], about: string | null): ActionsBlock[] {
  const elements = buttons.map((action) => button(action, about)).filter((b): b is Button => b !== null);
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += slackLimits.actionsElements) blocks.push({ type: 'actions', elements: elements.slice(i, i + slackLimits.actionsElements) });
  return blocks;
}
