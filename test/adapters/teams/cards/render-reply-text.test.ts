import { describe, expect, test } from 'vitest';
import { preformattedPart, textPart, type ChatReply } from '../../../../adapters/chat/chat-reply.js';
import { cardBudgetBytes } from '../../../../adapters/teams/cards/card-size.js';
import { renderReplyText } from '../../../../adapters/teams/cards/render-reply-text.js';

const reply = (...parts: ChatReply['parts']): ChatReply => ({ error: false, parts });

describe('renderReplyText', () => {
  test('when an answer has words and a list, then the words are made safe and the list is a fenced block, its columns as written', () => {
    const list = 'REF           OWNER\npayments-api  ana@acme.example\nci_token      ben@acme.example';
    expect(renderReplyText(reply(textPart('No item named **x** <at>y</at>.'), preformattedPart(`${list}\n\n`)))).toBe(
      `No item named \\*\\*x\\*\\* &lt;at>y&lt;/at>.\n\n\`\`\`\n${list}\n\`\`\``,
    );
  });

  test('when the list holds backticks, then the fence is longer than any run of them, so the list cannot close it', () => {
    expect(renderReplyText(reply(preformattedPart('a ``` b\n````')))).toBe('`````\na ``` b\n````\n`````');
  });

  test('when a part is empty, then it is left out', () => {
    expect(renderReplyText(reply(textPart(''), preformattedPart('  \n'), textPart('Done.')))).toBe('Done.');
  });

  test('when a list is longer than a message holds, then it is cut at a line, saying how many lines were left out', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `item-${String(i).padStart(4, '0')}  payments  ana@acme.example`);
    const text = renderReplyText(reply(textPart('Your items:'), preformattedPart(lines.join('\n'))));

    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(cardBudgetBytes);
    const shown = text.split('\n').filter((l) => l.startsWith('item-'));
    expect(shown).toEqual(lines.slice(0, shown.length));
    expect(text.endsWith(`\`\`\`\n… ${2000 - shown.length} more lines: \`steward\` on the command line shows everything.`)).toBe(true);
  });
});
