import type { ChatReply } from '../../chat/chat-reply.js';
import { cardBudgetBytes } from './card-size.js';
import { cutText, markdownSafe } from './card-text.js';

/**
 * A chat command's answer as the text of a Teams message (`textFormat: 'markdown'`), not a card: columns line up
 * only where white space is kept, and Teams keeps it in a message's preformatted (fenced) block, on desktop, iOS
 * and Android alike (learn.microsoft.com, "Format your bot messages"). A card cannot: a TextBlock is Markdown, which
 * folds runs of spaces into one even in `fontType: 'monospace'` (microsoft/AdaptiveCards#1984), and Teams cards
 * support no code block. Words are made safe as on a card, and `<` is written as an entity, since a Teams message
 * (unlike a card) takes some HTML. The whole stays within the card budget: a list that does not fit is cut at a
 * line, saying so. Teams shows a refusal like any other answer.
 */
export function renderReplyText(reply: ChatReply): string {
  let room = cardBudgetBytes;
  const rendered: string[] = [];
  for (const part of reply.parts) {
    const text = part.kind === 'text' ? words(part.text, room) : fenced(part.text, room);
    if (text === '') continue;
    rendered.push(text);
    room -= Buffer.byteLength(text, 'utf8') + 2;
  }
  return rendered.join('\n\n');
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

function words(text: string, room: number): string {
  const safe = (t: string) => markdownSafe(t).replace(/</g, '&lt;');
  // A character is at most four bytes, and safe text at most four times as long: a quarter of the room always fits.
  let said = safe(text);
  if (bytes(said) > room) said = safe(cutText(text, Math.max(0, Math.floor(room / 16))));
  return said;
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const tail = (left: number) => `… ${left} more line${left === 1 ? '' : 's'}: \`steward\` on the command line shows everything.`;

function fenced(text: string, room: number): string {
  const body = text.replace(/\s+$/, '');
  if (body === '') return '';
  const fence = fenceFor(body);
  const block = (inner: string) => `${fence}\n${inner}\n${fence}`;
  if (bytes(block(body)) <= room) return block(body);
  const lines = body.split('\n');
  let kept = lines.length;
  // Room for the fences and the line that says what was left out.
  const budget = room - bytes(block('')) - bytes(tail(lines.length)) - 2;
  let size = bytes(body);
  while (kept > 0 && size > budget) {
    kept--;
    size -= bytes(lines[kept] ?? '') + 1;
  }
  const left = lines.slice(kept).filter((l) => l.trim() !== '').length;
  // The tail is Steward's own Markdown (the command in code), not text to make safe.
  return `${kept > 0 ? `${block(lines.slice(0, kept).join('\n'))}\n` : ''}${tail(left)}`;
}
