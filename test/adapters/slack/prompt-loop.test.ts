import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, plusDays, tick } from '../../support/loop.js';
import { attestations, auditEvents, openAttestationOf } from '../../storage/support/loop-state.js';
import { blockActions, viewSubmission } from '../../support/sign-slack.js';
import type { SlackCall } from '../../support/fake-slack.js';
import { slackUsers, startHarness, userId, type Harness } from './slack-harness.js';

/*
 * The attestation loop in Slack, end to end over HTTP: the tick's prompt reaches the owner's DM, a click on its
 * buttons (or a modal's submission) is recorded once, by the right person only, and the prompt is rewritten.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];

interface Button {
  readonly action_id: string;
  readonly value: string;
}

/** Every button in a message's or view's blocks. */
function buttonsIn(blocks: unknown): Button[] {
  return (Array.isArray(blocks) ? blocks : []).flatMap((block: { type?: string; elements?: Array<{ type?: string } & Button> }) =>
    block.type === 'actions' ? (block.elements ?? []).filter((e) => e.type === 'button').map((e) => ({ action_id: e.action_id, value: e.value })) : [],
  );
}

/** Every mrkdwn text in blocks (plain_text shows as written, so only mrkdwn can carry markup). */
function mrkdwnTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(mrkdwnTexts);
  if (typeof value !== 'object' || value === null) return [];
  const node = value as Record<string, unknown>;
  const own = node.type === 'mrkdwn' && typeof node.text === 'string' ? [node.text] : [];
  return [...own, ...Object.values(node).flatMap(mrkdwnTexts)];
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ticks, delivers, and returns the prompt as Slack received it. */
async function promptDelivered(h: Harness): Promise<{ post: SlackCall; channel: string; ts: string; attestationId: number }> {
  await tick(h.store, h.policy, tickAt);
  h.pump.kick();
  const post = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200);
  return { post, channel: String(post.answer.channel), ts: String(post.answer.ts), attestationId: openAttestationOf(h.store, 'ledger-api').id };
}

describe('a tick delivers the prompt to the owner’s DM', () => {
  test('when the tick opens an attestation, then the owner is found by email, the DM opened, and the prompt posted with its buttons', async () => {
    harness = await startHarness({ items });

    const { post, attestationId } = await promptDelivered(harness);

    expect(harness.fake.calls.filter((c) => c.method !== 'auth.test').map((c) => c.method)).toEqual(['users.lookupByEmail', 'conversations.open', 'chat.postMessage']);
    expect(harness.fake.callsTo('users.lookupByEmail')[0]?.args).toMatchObject({ email: 'ana@acme.example' });
    expect(harness.fake.callsTo('conversations.open')[0]?.args).toMatchObject({ users: userId('ana') });
    expect(post.args.channel).toBe(`D${userId('ana')}`);
    expect(post.token).toBe('xoxb-test-token');
    expect(String(post.args.text)).toMatch(/to confirm/);
    expect(buttonsIn(post.args.blocks).map((b) => b.action_id)).toEqual(['attest.confirm', 'attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze']);
    expect(buttonsIn(post.args.blocks).every((b) => b.value === String(attestationId))).toBe(true);
  });

  test('when a reminder follows the prompt, then it goes to the DM channel remembered in the store, without asking Slack again', async () => {
    harness = await startHarness({ items });
    await promptDelivered(harness);

    harness.moveClock(plusDays(tickAt, 2));
    await tick(harness.store, harness.policy, plusDays(tickAt, 2));
    harness.pump.kick();
    const reminder = await harness.fake.waitFor((c) => c.method === 'chat.postMessage' && /Reminder/.test(String(c.args.text)));

    expect(reminder.args.channel).toBe(`D${userId('ana')}`);
    expect(harness.fake.callsTo('users.lookupByEmail')).toHaveLength(1);
    expect(harness.fake.callsTo('conversations.open')).toHaveLength(1);
  });
});

describe('a click on Confirm', () => {
  test('when the owner clicks Confirm, then the attestation is recorded as theirs, they are told, the prompt is rewritten without buttons and their Home refreshed', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    const response = await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('confirm')));

    expect(response).toMatchObject({ status: 200, body: '' });
    const told = await harness.fake.waitFor((c) => c.path === '/respond/confirm');
    expect(told.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(told.args.text).toMatch(/^ledger-api: confirmed\. Next asked \d{4}-\d{2}-\d{2}\.$/);
    expect(attestations(harness.store).find((a) => a.id === attestationId)).toMatchObject({ status: 'closed', outcome: 'attested', answeredBy: 'ana@acme.example' });
    const update = await harness.fake.waitFor((c) => c.method === 'chat.update');
    expect(update.args).toMatchObject({ channel, ts });
    expect(buttonsIn(update.args.blocks)).toEqual([]);
    expect(JSON.stringify(update.args.blocks)).toContain('Confirmed by ana@acme.example');
    const home = await harness.fake.waitFor((c) => c.method === 'views.publish');
    expect(home.args).toMatchObject({ user_id: userId('ana'), view: { type: 'home' } });
  });

  test('when the same click is delivered twice (a double click, a resent request), then it is applied once and the repeat is told so', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);
    const click = blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('twice'));

    const [first, second] = await Promise.all([harness.send.interaction(click), harness.send.interaction(click, { retryNum: 1 })]);

    expect([first.status, second.status]).toEqual([200, 200]);
    await harness.fake.waitFor((c) => c.method === 'chat.update');
    await wait(300);
    const answers = harness.fake.callsTo('response_url').map((c) => String(c.args.text));
    expect(answers).toHaveLength(2);
    expect(answers.filter((text) => /already confirmed/.test(text))).toHaveLength(1);
    expect(harness.fake.callsTo('chat.update')).toHaveLength(1);
    expect(auditEvents(harness.store, { action: 'attestation.answered' })).toHaveLength(1);
  });

  test('when the owner clicks an old prompt’s Confirm again (a new click), then they are told it was already confirmed and nothing changes', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);
    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('first')));
    await harness.fake.waitFor((c) => c.path === '/respond/first');

    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('again')));

    const told = await harness.fake.waitFor((c) => c.path === '/respond/again');
    expect(told.args.text).toMatch(/^ledger-api was already confirmed by ana@acme\.example on 2026-11-09; nothing changed\.$/);
    expect(auditEvents(harness.store, { action: 'attestation.answered' })).toHaveLength(1);
  });

  test('when someone who is neither the owner nor the backup clicks, then they get the refusal, and nothing changes', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('cy'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('cy')));

    const told = await harness.fake.waitFor((c) => c.path === '/respond/cy');
    expect(told.args).toMatchObject({ response_type: 'ephemeral' });
    expect(told.args.text).toBe("Only ledger-api's accountable person (ana@acme.example) or backup (ben@acme.example) can answer for it.");
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
    await wait(200);
    expect(harness.fake.callsTo('chat.update')).toEqual([]);
    expect(harness.fake.callsTo('views.publish')).toEqual([]);
  });

  test('when a refusal names an item whose ref is Slack markup, then it shows as typed: no channel ping, no link', async () => {
    const ref = '<!channel><https://evil.example/login|Sign_in_again>';
    harness = await startHarness({ items: [apiEntry({ ref, sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })] });
    await tick(harness.store, harness.policy, tickAt);
    harness.pump.kick();
    const post = await harness.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200);
    const { id } = openAttestationOf(harness.store, ref);

    await harness.send.interaction(blockActions(userId('cy'), { actionId: 'attest.confirm', value: String(id) }, { channel: String(post.answer.channel), ts: String(post.answer.ts) }, harness.fake.responseUrl('markup')));

    const told = String((await harness.fake.waitFor((c) => c.path === '/respond/markup')).args.text);
    expect(told).toContain('&lt;!channel&gt;&lt;https://evil.example/login|Sign_in_again&gt;');
    expect(told).not.toMatch(/<[!h]/);
    expect(mrkdwnTexts(post.args.blocks).filter((text) => /<[!h]/.test(text))).toEqual([]);
  });

  test('when the backup, never written to, answers, then they are known by their Slack email at once and linked for next time', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('ben'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('ben')));

    expect((await harness.fake.waitFor((c) => c.path === '/respond/ben')).args.text).toMatch(/^ledger-api: confirmed/);
    expect(auditEvents(harness.store, { action: 'attestation.answer_refused' })).toEqual([]);
    expect(auditEvents(harness.store, { action: 'attestation.answered' })).toEqual([expect.objectContaining({ actor: 'ben@acme.example' })]);
    expect(await harness.store.chatPersonBy({ platform: 'slack', accountId: userId('ben') })).toMatchObject({ email: 'ben@acme.example', accounts: [{ platform: 'slack', accountId: userId('ben'), address: null }] });
  });

  test('when refreshing Home fails after an answer, then the answer still stands and the owner is told it was recorded', async () => {
    harness = await startHarness({ items, fake: { fail: (method) => (method === 'views.publish' ? { error: 'internal_error' } : undefined) } });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('ok')));

    await harness.fake.waitFor((c) => c.method === 'views.publish');
    await wait(200);
    const answers = harness.fake.callsTo('response_url').map((c) => String(c.args.text));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^ledger-api: confirmed/);
    expect(harness.logs.some((r) => r.msg === 'Slack request failed')).toBe(false);
  });

  test('when someone Steward does not know clicks, then they are told so, and nothing changes', async () => {
    harness = await startHarness({ items, fake: { users: [...slackUsers, { id: 'U0STRANGER', email: 'stranger@elsewhere.example' }] } });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions('U0STRANGER', { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('stranger')));

    const told = await harness.fake.waitFor((c) => c.path === '/respond/stranger');
    expect(told.args.text).toBe('Steward does not know you: ask your security team to add you to the inventory.');
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
  });

  test('when the owner clicks Confirm in the Home tab, then it is recorded, Home is refreshed, and no DM is needed', async () => {
    harness = await startHarness({ items });
    const { attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { home: true }, harness.fake.responseUrl('unused')));

    await harness.fake.waitFor((c) => c.method === 'views.publish');
    expect(openAttestationOf.bind(null, harness.store, 'ledger-api')).toThrow();
    expect(harness.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('Update…, Not mine and Snooze… open modals', () => {
  test('when the owner clicks Update… and submits a corrected purpose, then the modal was prefilled, the change is recorded as a diff, and the prompt rewritten', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);
    const click = blockActions(userId('ana'), { actionId: 'attest.update', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('update'));

    await harness.send.interaction(click);

    const opened = await harness.fake.waitFor((c) => c.method === 'views.open');
    const view = opened.args.view as { callback_id: string; private_metadata: string; blocks: Array<{ block_id?: string; element?: { initial_value?: string } }> };
    expect(opened.args.trigger_id).toBe(click.trigger_id);
    expect(view.callback_id).toBe('attest.update');
    expect(view.blocks.find((b) => b.block_id === 'fact.purpose')?.element?.initial_value).toBe('Keeps the ledger');

    const submitted = await harness.send.interaction(
      viewSubmission(userId('ana'), {
        callback_id: 'attest.update',
        private_metadata: view.private_metadata,
        values: { 'fact.purpose': { value: { type: 'plain_text_input', value: 'Keeps the general ledger' } } },
      }),
    );

    expect(submitted).toMatchObject({ status: 200, body: '' });
    const told = await harness.fake.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(told.args).toMatchObject({ channel, user: userId('ana') });
    expect(told.args.text).toMatch(/^ledger-api: confirmed with 1 change\(s\) recorded\./);
    expect(attestations(harness.store).find((a) => a.id === attestationId)).toMatchObject({ outcome: 'attested', changes: { purpose: ['Keeps the ledger', 'Keeps the general ledger'] } });
    await harness.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === ts);
  });

  test('when a snooze is submitted with too many days, then the field shows the error, the modal stays open and nothing is recorded', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);
    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.snooze', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('snooze')));
    const opened = await harness.fake.waitFor((c) => c.method === 'views.open');
    const metadata = (opened.args.view as { private_metadata: string }).private_metadata;

    const submitted = await harness.send.interaction(
      viewSubmission(userId('ana'), {
        callback_id: 'attest.snooze',
        private_metadata: metadata,
        values: { 'snooze.days': { value: { type: 'number_input', value: '400' } }, 'snooze.reason': { value: { type: 'plain_text_input', value: 'vendor' } } },
      }),
    );

    expect(submitted.status).toBe(200);
    expect(JSON.parse(submitted.body)).toEqual({ response_action: 'errors', errors: { 'snooze.days': expect.stringMatching(/^Snooze for 1 to \d+ days/) } });
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
  });

  test('when Slack fails to open the modal, then the owner gets a short message with a log reference, never a stack trace', async () => {
    harness = await startHarness({ items, fake: { fail: (method) => (method === 'views.open' ? { error: 'internal_error' } : undefined) } });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'attest.snooze', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('broken')));

    const told = String((await harness.fake.waitFor((c) => c.path === '/respond/broken')).args.text);
    const reference = /reference ([0-9a-f]{8})/.exec(told)?.[1];
    expect(told).toBe(`Something went wrong on our side (reference ${reference}); the details are in Steward's log.`);
    expect(harness.logs).toContainEqual(expect.objectContaining({ msg: 'Slack request failed', reference, slackError: 'internal_error' }));
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
  });

  test('when someone else clicks Not mine on the owner’s prompt, then no modal opens and they get the refusal', async () => {
    harness = await startHarness({ items });
    const { channel, ts, attestationId } = await promptDelivered(harness);

    await harness.send.interaction(blockActions(userId('cy'), { actionId: 'attest.dispute', value: String(attestationId) }, { channel, ts }, harness.fake.responseUrl('cy-dispute')));

    const told = await harness.fake.waitFor((c) => c.path === '/respond/cy-dispute');
    expect(told.args.text).toMatch(/^Only ledger-api's accountable person/);
    expect(harness.fake.callsTo('views.open')).toEqual([]);
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
  });
});
