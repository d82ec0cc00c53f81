import type { ChatReply } from '../chat/chat-reply.js';
import { escapeSlackText, preformatted } from './slack-text.js';

/**
 * A chat command's answer as Slack message text: words escaped (they quote what was typed, so it shows as typed),
 * preformatted parts in code blocks, one part a line. Slack shows a refusal like any other answer.
 */
export function renderChatReply(reply: ChatReply): string {
  return reply.parts
    .map((part) => (part.kind === 'text' ? escapeSlackText(part.text) : preformatted(part.text)))
    .filter((text) => text !== '')
    .join('\n');
}
