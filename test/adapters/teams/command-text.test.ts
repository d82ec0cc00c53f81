import { TurnContext, type Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { commandText, hereCommand } from '../../../adapters/teams/command-text.js';

/*
 * The words of a Teams message as the grammar reads them, with botbuilder's own mention remover (as teams-bot.ts
 * calls it), over texts as Teams writes them: `<at>Steward</at>` with its mention entity, HTML entities for what
 * was typed, and markup around a formatted message.
 */

const bot = { id: '28:steward-app', name: 'Steward' };
const mentionOf = (id: string, name: string) => ({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });

function message(text: unknown, entities: unknown[] = []): Partial<Activity> {
  return { type: 'message', recipient: bot, text, entities } as Partial<Activity>;
}

const read = (activity: Partial<Activity>) => commandText(activity, (a) => TurnContext.removeRecipientMention(a));

describe('commandText', () => {
  test.each([
    ['a plain command in a personal chat', message('who ledger-api'), 'who ledger-api'],
    ["Steward's mention in a channel", message('<at>Steward</at> who ledger-api', [mentionOf(bot.id, 'Steward')]), 'who ledger-api'],
    ['the mention after the command', message('who ledger-api <at>Steward</at>', [mentionOf(bot.id, 'Steward')]), 'who ledger-api'],
    ["someone else's mention: only the name is left", message('<at>Steward</at> who <at>Ana</at>', [mentionOf(bot.id, 'Steward'), mentionOf('29:ana', 'Ana')]), 'who Ana'],
    ['&amp; for a typed &', message('who r&amp;d-api'), 'who r&d-api'],
    ['&lt; and &gt; for typed angle brackets: kept as text, not stripped as markup', message('who &lt;svc&gt;'), 'who <svc>'],
    ['&quot;, &apos; and &#39;', message('note &quot;x&quot; &apos;y&apos; &#39;z&#39;'), 'note "x" \'y\' \'z\''],
    ['&nbsp; between words', message('who&nbsp;ledger-api'), 'who ledger-api'],
    ['an entity encoded twice: undone once', message('who a&amp;lt;b'), 'who a&lt;b'],
    ['an entity Steward does not know: left as typed', message('who caf&eacute;'), 'who caf&eacute;'],
    ['markup around a formatted message', message('<p>who <strong>ledger-api</strong></p>'), 'who ledger-api'],
    ['a line break and runs of spaces', message('who<br/>\n   ledger-api\t'), 'who ledger-api'],
  ])('when the text is %s, then the command is what was typed', (_case, activity, expected) => {
    expect(read(activity)).toBe(expected);
  });

  test.each([
    ['a bare mention', message('<at>Steward</at>', [mentionOf(bot.id, 'Steward')])],
    ['a mention and spaces', message('  <at>Steward</at>  &nbsp; ', [mentionOf(bot.id, 'Steward')])],
    ['nothing but markup', message('<p></p>')],
    ['an empty text', message('')],
  ])('when the message is %s, then it asks for help', (_case, activity) => {
    expect(read(activity)).toBe('help');
  });

  test.each([
    ['no text (an attachment only)', message(undefined)],
    ['a number for text', message(42)],
    ['null for text', message(null)],
  ])('when the message has %s, then there is no command', (_case, activity) => {
    expect(read(activity)).toBeNull();
  });
});

describe('hereCommand', () => {
  test.each([
    ['here security', { kind: 'security' }],
    ['Here SECURITY', { kind: 'security' }],
    ['here team payments', { kind: 'team', slug: 'payments' }],
    ['HERE Team payments', { kind: 'team', slug: 'payments' }],
    // The slug as typed: a mistyped one is the core's to refuse with a did-you-mean.
    ['here team Paymnts', { kind: 'team', slug: 'Paymnts' }],
  ])('when the command is "%s", then it binds %o', (text, target) => {
    expect(hereCommand(text)).toEqual(target);
  });

  test.each(['here', 'here team', 'here team payments ledger', 'here security now', 'here channel', 'here payments', 'HERE'])('when the command is "%s", then the usage line is the answer', (text) => {
    const answer = hereCommand(text);

    expect(typeof answer).toBe('string');
    expect(answer).toContain('@Steward here team <team>');
    expect(answer).toContain('@Steward here security');
  });

  test.each(['who ledger-api', 'help', 'hereby team payments', 'mine here', ''])('when the command is "%s", then it is not here\'s: null, for the grammar', (text) => {
    expect(hereCommand(text)).toBeNull();
  });
});
