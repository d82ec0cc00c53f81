import { describe, expect, test } from 'vitest';
import { unescapeCommandText } from '../../../adapters/slack/command-text.js';
import { mentionsAsEmails } from '../../../adapters/slack/mentions-as-emails.js';

const people: Record<string, string> = { U0CY: 'cy@acme.example', W0LENA: 'lena@acme.example', U0ODD: 'odd<@U1>@acme.example' };
const emailOf = async (id: string) => people[id] ?? null;

describe('mentionsAsEmails', () => {
  test.each([
    ['a mention with its name, as an escaped slash command sends it', 'transfer ci-deployer --to <@U0CY|cy>', 'transfer ci-deployer --to cy@acme.example'],
    ['a mention without a name', 'transfer ci-deployer --to <@U0CY>', 'transfer ci-deployer --to cy@acme.example'],
    ['an Enterprise Grid user (W…)', 'delegate --to <@W0LENA|lena> --until 2026-12-01', 'delegate --to lena@acme.example --until 2026-12-01'],
    ['the same person twice', '<@U0CY> <@U0CY|cy>', 'cy@acme.example cy@acme.example'],
    ['no mention', 'who payments-api', 'who payments-api'],
  ])('when the text holds %s, then each becomes the person’s email', async (_, text, expected) => {
    expect(await mentionsAsEmails(text, emailOf)).toBe(expected);
  });

  test('when nobody knows the mentioned user, then the mention is left for the unescaping, and the grammar sees @name (not an email)', async () => {
    const text = await mentionsAsEmails('transfer x --to <@U0NOBODY|nobody>', emailOf);
    expect(unescapeCommandText(text)).toBe('transfer x --to @nobody');
  });

  test('when an email would carry Slack markup, then it is not put in: the mention stays as sent', async () => {
    expect(await mentionsAsEmails('--to <@U0ODD|odd>', emailOf)).toBe('--to <@U0ODD|odd>');
  });

  test('when a channel or a link is in the text, then only user mentions are looked up', async () => {
    const asked: string[] = [];
    await mentionsAsEmails('<#C0PAYMENTS|payments> <https://x.example|x> <!here>', async (id) => (asked.push(id), null));
    expect(asked).toEqual([]);
  });
});
