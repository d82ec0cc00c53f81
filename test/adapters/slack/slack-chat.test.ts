import { afterEach, describe, expect, test } from 'vitest';
import { renderMessage } from '../../../adapters/slack/blocks/render-message.js';
import { SlackAccess } from '../../../adapters/slack/slack-access.js';
import { deliveryClient, SlackChat } from '../../../adapters/slack/slack-chat.js';
import type { Addressee, OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../../src/ports/attestation-store.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../support/fake-slack.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop } from '../../support/loop.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { importedAt, slackChannels, slackUsers, userId } from './slack-harness.js';

/*
 * The Slack chat port on its own: where each addressee's message goes, what it remembers, and what each Web API
 * failure means to the dispatcher (slow down, try again later, give up).
 */

let fake: FakeSlack | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await fake?.close();
  await store?.close();
  fake = undefined;
});

const message: OutgoingMessage = { kind: 'credential_warning', title: '1 credential needs attention', text: 'Rotate it.', sections: [], actions: [] };

async function personId(s: SqliteStore, email: string): Promise<number> {
  const person = await s.chatPersonBy({ email });
  if (!person) throw new Error(`no person ${email}`);
  return person.personId;
}

async function setUp(options: FakeSlackOptions = {}, securityChannel: string | null = null) {
  store = memoryStore();
  await importLoop(store, importedAt, []);
  fake = await startFakeSlack({ users: slackUsers, channels: slackChannels, ...options });
  const { logger } = recordingLogger();
  const access = new SlackAccess(logger);
  const chat = new SlackChat({ client: deliveryClient('xoxb-test-token', fake.apiUrl, logger), store, securityChannel, policySecurityChannel: null, render: renderMessage, minIntervalMs: 0, access });
  const to = (addressee: Addressee, delivered: OutboxDelivery['delivered'] = null): OutboxDelivery => ({ id: 1, messageId: 1, platform: 'slack', addressee, message, revision: 1, attempts: 0, delivered, inDoubtSince: null });
  const person = async (name: string): Promise<Addressee> => ({ kind: 'person', personId: await personId(store as SqliteStore, `${name}@acme.example`), email: `${name}@acme.example`, displayName: null });
  return { chat, to, person, fake, store, access };
}

describe('where a message goes', () => {
  test('when a person is written to the first time, then they are found by email, their DM opened, and both remembered', async () => {
    const { chat, to, person, fake, store } = await setUp();

    const delivery = await chat.deliver(to(await person('ana')));

    expect(delivery).toEqual({ status: 'sent', messageId: expect.stringMatching(/^\d+\.\d+$/), channel: `D${userId('ana')}` });
    expect(fake.calls.map((c) => c.method)).toEqual(['users.lookupByEmail', 'conversations.open', 'chat.postMessage']);
    expect(await store.chatPerson(await personId(store, 'ana@acme.example'))).toMatchObject({ accounts: [{ platform: 'slack', accountId: userId('ana'), address: `D${userId('ana')}` }] });

    await chat.deliver(to(await person('ana')));
    expect(fake.calls.map((c) => c.method)).toEqual(['users.lookupByEmail', 'conversations.open', 'chat.postMessage', 'chat.postMessage']);
  });

  test('when a team channel is named, then the message is posted there and the channel id Slack answers is kept for updates', async () => {
    const { chat, to } = await setUp();

    const delivery = await chat.deliver(to({ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }));

    expect(delivery).toMatchObject({ status: 'sent', channel: slackChannels.payments });
  });

  test.each([
    { configured: '#sec-ownership', policy: null, channel: slackChannels['sec-ownership'] },
    { configured: null, policy: '#sec-ownership', channel: slackChannels['sec-ownership'] },
    { configured: 'C0SECURITY', policy: '#payments', channel: slackChannels['sec-ownership'] },
  ])('when SLACK_SECURITY_CHANNEL is $configured and the policy says $policy, then the security queue goes to $channel', async ({ configured, policy, channel }) => {
    const { chat, to } = await setUp({}, configured);

    expect(await chat.deliver(to({ kind: 'security_channel', channel: policy }))).toMatchObject({ status: 'sent', channel });
  });

  test('when an update replaces a delivered message, then chat.update rewrites it in its channel', async () => {
    const { chat, to, fake, person } = await setUp();
    const first = await chat.deliver(to(await person('ana')));
    if (first.status !== 'sent') throw new Error('not sent');

    const update = await chat.deliver(to(await person('ana'), { messageId: first.messageId, channel: first.channel }));

    expect(update).toEqual(first);
    expect(fake.callsTo('chat.update')[0]?.args).toMatchObject({ channel: first.channel, ts: first.messageId });
  });
});

describe('what a failure means to the dispatcher', () => {
  test('when Slack answers 429 with Retry-After, then the port says rate_limited for that long at once, without retrying inside the client', async () => {
    const { chat, to } = await setUp({ rateLimit: (method) => (method === 'chat.postMessage' ? 7 : undefined) });

    const started = performance.now();
    const delivery = await chat.deliver(to({ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }));

    expect(delivery).toEqual({ status: 'rate_limited', retryAfterMs: 7_000 });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('when the person has no Slack account, then the message is given up (permanent), naming the lookup', async () => {
    const { chat, to, person } = await setUp({ users: slackUsers.filter((u) => u.email !== 'ana@acme.example') });

    expect(await chat.deliver(to(await person('ana')))).toEqual({ status: 'permanent_error', reason: 'unreachable', error: 'users.lookupByEmail ana@acme.example: users_not_found' });
  });

  test.each([
    { fail: { error: 'channel_not_found' }, expected: { status: 'permanent_error', reason: 'not_in_channel', error: 'chat.postMessage: channel_not_found' } },
    { fail: { error: 'not_in_channel' }, expected: { status: 'permanent_error', reason: 'not_in_channel', error: 'chat.postMessage: not_in_channel' } },
    { fail: { error: 'internal_error' }, expected: { status: 'transient_error', error: 'chat.postMessage: internal_error' } },
    { fail: { status: 503 }, expected: { status: 'transient_error', error: 'chat.postMessage: http_503' } },
  ])('when chat.postMessage fails with $fail, then the delivery is $expected.status', async ({ fail, expected }) => {
    const { chat, to } = await setUp({ fail: (method) => (method === 'chat.postMessage' ? fail : undefined) });

    expect(await chat.deliver(to({ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }))).toEqual(expected);
  });

  test.each(['token_revoked', 'invalid_auth', 'account_inactive'])('when Slack refuses the bot token (%s), then the delivery is handed back unspent, Slack access is lost, and nothing more is called', async (error) => {
    const { chat, to, person, fake, access } = await setUp({ fail: (method) => (method === 'conversations.open' ? { error } : undefined) });

    expect(await chat.deliver(to(await person('ana')))).toEqual({ status: 'rate_limited', retryAfterMs: 0 });
    expect(access.lost()).toBe(`Slack refused the bot token (${error}) on conversations.open`);
    const calls = fake.calls.length;
    expect(await chat.deliver(to({ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }))).toEqual({ status: 'rate_limited', retryAfterMs: 0 });
    expect(fake.calls).toHaveLength(calls);
  });

  test('when Slack cannot be reached, then the delivery is a transient error, to try again later', async () => {
    const { chat, to, fake } = await setUp();
    await fake.close();

    expect(await chat.deliver(to({ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }))).toEqual({ status: 'transient_error', error: 'chat.postMessage: network_error' });
  });

  test('when there is nowhere to post (a team without a channel, no security channel at all), then the message is given up, saying why', async () => {
    const { chat, to } = await setUp();

    expect(await chat.deliver(to({ kind: 'team_channel', teamId: 3, team: 'platform', channel: null }))).toEqual({ status: 'permanent_error', reason: 'no_destination', error: 'team platform has no chat channel (set it in the inventory)' });
    expect(await chat.deliver(to({ kind: 'security_channel', channel: null }))).toEqual({
      status: 'permanent_error',
      reason: 'no_destination',
      error: 'no security channel: set SLACK_SECURITY_CHANNEL or securityChannel in the policy',
    });
  });

  test('when the message to update is gone, then the update is given up', async () => {
    const { chat, to, person } = await setUp();

    expect(await chat.deliver(to(await person('ana'), { messageId: '1.000', channel: 'DU0ANA' }))).toEqual({ status: 'permanent_error', reason: 'gone', error: 'chat.update: message_not_found' });
  });
});

describe('a delivery in doubt (its dispatcher died between posting and recording)', () => {
  test('when its DM already holds the message, then it is found by the delivery id posted with it, and not posted again', async () => {
    const { chat, to, person, fake } = await setUp();
    const first = await chat.deliver(to(await person('ana')));
    expect(first.status).toBe('sent');

    const again = await chat.deliver({ ...to(await person('ana')), inDoubtSince: new Date(Date.now() - 60_000).toISOString() });

    expect(again).toEqual(first);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(fake.calls.find((c) => c.method === 'conversations.history')?.args).toMatchObject({ channel: `D${userId('ana')}`, include_all_metadata: 'true' });
  });

  test('when the DM does not hold it (the dispatcher died before posting), then it is posted', async () => {
    const { chat, to, person, fake } = await setUp();

    const delivery = await chat.deliver({ ...to(await person('ana')), id: 7, inDoubtSince: new Date(Date.now() - 60_000).toISOString() });

    expect(delivery.status).toBe('sent');
    expect(fake.calls.map((c) => c.method)).toEqual(['users.lookupByEmail', 'conversations.open', 'conversations.history', 'chat.postMessage']);
    expect(fake.calls.at(-1)?.args.metadata).toEqual({ event_type: 'steward_delivery', event_payload: { delivery: 7 } });
  });
});
