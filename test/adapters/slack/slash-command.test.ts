import { afterEach, describe, expect, test } from 'vitest';
import { unescapeCommandText } from '../../../adapters/slack/command-text.js';
import { renderChatReply } from '../../../adapters/slack/render-chat-reply.js';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { auditEvents, itemOf, openAttestationOf } from '../../storage/support/loop-state.js';
import { slackSignature, slashCommand } from '../../support/sign-slack.js';
import { signingSecret, startHarness, userId, type Harness } from './slack-harness.js';

let harness: Harness;
afterEach(async () => harness?.close());

const items = [apiEntry({ ref: 'payments-api', purpose: 'Takes card payments', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') })];

describe('/steward over HTTP', () => {
  test('when a signed /steward who arrives, then it is acknowledged at once and the answer comes back ephemeral through response_url', async () => {
    harness = await startHarness({ items });
    const { send, fake } = harness;

    const response = await send.command(slashCommand(userId('zed'), 'who payments-api', fake.responseUrl('who-1')));

    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.ms).toBeLessThan(1_000);
    const answer = await fake.waitFor((c) => c.path === '/respond/who-1');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.args.text).toMatch(/^```[\s\S]*payments-api[\s\S]*ana@acme\.example[\s\S]*```$/);
  });

  test('when the words are not a command, then the answer is the help for chat, naming the word', async () => {
    harness = await startHarness({ items });
    const { send, fake } = harness;

    await send.command(slashCommand(userId('zed'), 'frobnicate payments-api', fake.responseUrl('help-1')));

    const answer = await fake.waitFor((c) => c.path === '/respond/help-1');
    expect(answer.args.text).toMatch(/^```frobnicate is not a command here\. Commands:/);
    expect(answer.args.text).toContain('/steward who &lt;query&gt;');
    expect(answer.args.text).not.toContain('/steward import');
  });

  test('when the text is empty, then the answer is the help', async () => {
    harness = await startHarness({ items });
    await harness.send.command(slashCommand(userId('zed'), '', harness.fake.responseUrl('empty')));

    expect((await harness.fake.waitFor((c) => c.path === '/respond/empty')).args.text).toMatch(/^```Commands:/);
  });

  test('when Slack escaped what was typed, then the command sees what the user typed', async () => {
    harness = await startHarness({ items });
    // Typed: who nobody@acme.example & co
    await harness.send.command(slashCommand(userId('zed'), 'who <mailto:nobody@acme.example|nobody@acme.example> &amp; co', harness.fake.responseUrl('esc')));

    const answer = await harness.fake.waitFor((c) => c.path === '/respond/esc');
    expect(answer.args.text).toContain('nobody@acme.example &amp; co');
    expect(answer.args.text).not.toContain('mailto');
  });
});

describe('the speaker is the Slack user who typed the command', () => {
  const tickAt = '2026-11-09T09:00:00.000Z';
  const owned = [...items, apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' })];

  async function ask(user: string, text: string, id: string): Promise<string> {
    await harness.send.command(slashCommand(userId(user), text, harness.fake.responseUrl(id)));
    return String((await harness.fake.waitFor((c) => c.path === `/respond/${id}`)).args.text);
  }

  test('when an owner types mine, then Slack’s email for them names them and their waiting attestation is listed', async () => {
    harness = await startHarness({ items: owned });
    await tick(harness.store, harness.policy, tickAt);

    const text = await ask('ana', 'mine', 'mine');

    expect(harness.fake.callsTo('users.info').map((c) => c.args.user)).toEqual([userId('ana')]);
    expect(text).toMatch(/^```Ana &lt;ana@acme\.example&gt;: 1 attestation waiting for your answer/);
    expect(text).toContain('payments-api');
  });

  test('when the owner types attest, then the attestation is recorded as theirs; when someone else does, then it is refused', async () => {
    harness = await startHarness({ items: owned });
    await tick(harness.store, harness.policy, tickAt);
    const { id } = openAttestationOf(harness.store, 'payments-api');

    const refused = await ask('zed', 'attest payments-api', 'zed');
    expect(refused).not.toMatch(/confirmed/i);
    expect(openAttestationOf(harness.store, 'payments-api').id).toBe(id);

    await ask('ana', 'attest payments-api --note "still takes card payments"', 'ana');
    expect(() => openAttestationOf(harness.store, 'payments-api')).toThrow();
    expect(auditEvents(harness.store, { action: 'attestation.answered' })).toEqual([expect.objectContaining({ actor: 'ana@acme.example', subject: 'payments-api' })]);
  });

  test('when someone in several teams types claim with --team, then the item is theirs for that team', async () => {
    harness = await startHarness({ items: owned });
    await tick(harness.store, harness.policy, tickAt);

    const text = await ask('ana', 'claim orphan-api --team platform', 'claim');

    expect(text).toContain('orphan-api is yours now, owned by platform');
    expect(itemOf(harness.store, 'orphan-api')).toMatchObject({ team: 'platform', accountable: 'ana@acme.example' });
  });
});

describe('guests', () => {
  test('when a guest account types /steward, then they are told it is for members, and nothing is looked up', async () => {
    harness = await startHarness({ items, fake: { users: [{ id: 'U0GUEST', email: 'contractor@vendor.example', guest: true }] } });

    await harness.send.command(slashCommand('U0GUEST', 'unowned', harness.fake.responseUrl('guest')));

    const answer = await harness.fake.waitFor((c) => c.path === '/respond/guest');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral', text: 'Steward answers members of this workspace; guest accounts cannot use it.' });
  });
});

describe('when Slack cannot say who typed the command (users.info fails)', () => {
  const failingUsersInfo = { fail: (method: string) => (method === 'users.info' ? { error: 'fatal_error' } : undefined) };

  test('when the speaker is a stranger to Steward, then they are asked to try again, and nothing is answered', async () => {
    harness = await startHarness({ items, fake: failingUsersInfo });

    await harness.send.command(slashCommand(userId('zed'), 'who payments-api', harness.fake.responseUrl('unchecked')));

    expect((await harness.fake.waitFor((c) => c.path === '/respond/unchecked')).args.text).toBe('Steward could not check your Slack account just now; try again in a minute.');
  });

  test('when the speaker’s Slack account is linked to a person, then they are answered', async () => {
    harness = await startHarness({ items, fake: failingUsersInfo });
    const zed = await harness.store.chatPersonBy({ email: 'zed@acme.example' });
    if (zed === null) throw new Error('zed is in the directory');
    await harness.store.linkChatAccount(zed.personId, { platform: 'slack', accountId: userId('zed') }, null);

    await harness.send.command(slashCommand(userId('zed'), 'who payments-api', harness.fake.responseUrl('linked')));

    expect((await harness.fake.waitFor((c) => c.path === '/respond/linked')).args.text).toContain('payments-api');
  });
});

describe('requests Slack did not sign', () => {
  test('when the signature is made with another secret, then 401 and no answer', async () => {
    harness = await startHarness({ items });
    const { send, fake } = harness;

    const response = await send.command(slashCommand(userId('zed'), 'who payments-api', fake.responseUrl('forged')), { secret: 'not-the-signing-secret' });

    expect(response.status).toBe(401);
    await expect(fake.waitFor((c) => c.path === '/respond/forged', 300)).rejects.toThrow(/no matching call/);
  });

  test('when the timestamp is more than five minutes old, then 401 and no answer, even signed with the right secret', async () => {
    harness = await startHarness({ items });
    const { send, fake } = harness;
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    const response = await send.command(slashCommand(userId('zed'), 'who payments-api', fake.responseUrl('stale')), { timestamp: sixMinutesAgo });

    expect(response.status).toBe(401);
    await expect(fake.waitFor((c) => c.path === '/respond/stale', 300)).rejects.toThrow(/no matching call/);
  });

  test('when the body is changed after signing, then 401', async () => {
    harness = await startHarness({ items });
    const fields = new URLSearchParams(slashCommand(userId('zed'), 'who payments-api', harness.fake.responseUrl('tampered'))).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = slackSignature(signingSecret, timestamp, fields);

    const response = await fetch(`http://127.0.0.1:${harness.server.port}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature },
      body: fields.replace('who', 'mine'),
    });

    expect(response.status).toBe(401);
  });
});

describe('/slack/events and /healthz share the port', () => {
  test('when GET /healthz or GET /slack/events arrives, then health answers and the Slack path serves only POST', async () => {
    harness = await startHarness({ items });
    const base = `http://127.0.0.1:${harness.server.port}`;

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/slack/events`)).status).toBe(404);
  });
});

describe('unescapeCommandText', () => {
  test.each([
    ['who payments-api', 'who payments-api'],
    ['claim ledger-api --team &lt;payments&gt;', 'claim ledger-api --team <payments>'],
    ['who R&amp;D', 'who R&D'],
    ['who &amp;lt;', 'who &lt;'],
    ['who <mailto:ana@acme.example|ana@acme.example>', 'who ana@acme.example'],
    ['who <https://runbooks.example/x|runbooks.example/x>', 'who runbooks.example/x'],
    ['who <https://runbooks.example/x>', 'who https://runbooks.example/x'],
    ['team <#C0PAYMENTS|payments>', 'team #payments'],
    ['who <@U0ANA|ana>', 'who @ana'],
    ['who <@U0ANA>', 'who @U0ANA'],
    ['who <!here>', 'who @here'],
  ])('when Slack sends %j, then Steward reads %j', (sent, read) => {
    expect(unescapeCommandText(sent)).toBe(read);
  });
});

describe('renderChatReply', () => {
  test('when a reply has words and a preformatted block, then the words are escaped and the block is a code block, a line apart', () => {
    const text = renderChatReply({ error: true, parts: [{ kind: 'text', text: 'who <@U0ANA> & co' }, { kind: 'preformatted', text: 'Usage: /steward who <query>\n' }] });
    expect(text).toBe('who &lt;@U0ANA&gt; &amp; co\n```Usage: /steward who &lt;query&gt;```');
  });

  test('when a preformatted block is longer than one Slack message holds, then it is cut at a line, saying how many more', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const text = renderChatReply({ error: false, parts: [{ kind: 'preformatted', text: lines.join('\n') }] });
    expect(text.length).toBeLessThan(4_000);
    expect(text).toMatch(/\n… \d+ more lines: `steward` on the command line shows everything\.```$/);
  });
});
