import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { channelOf, startTeamsHarness, type TeamsHarness } from './teams-harness.js';

/*
 * What Steward says in a channel after `here team <slug>` quotes the slug as it was typed: in Teams a message's
 * text is Markdown, so the words must show as written, never as a link Steward appears to post.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

describe('here team with a slug that is Markdown', () => {
  test('when someone binds a team named like a link, then Steward\'s answer in the channel shows the words, not a link', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger' })] });

    await harness.post(harness.inChannel('leo', channelOf('general'), 'here team a`[Verify-your-Steward-access](https://evil.example/login)`b'));

    const reply = harness.fake.sent.at(-1)?.activity.text ?? '';
    expect(reply.toLowerCase()).toContain('verify-your-steward-access');
    expect(reply).not.toMatch(/\]\(https:/);
  });
});
