import { afterEach, describe, expect, test } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { attestations, openAttestationOf } from '../../storage/support/loop-state.js';
import { blockActions, eventCallback, slashCommand } from '../../support/sign-slack.js';
import { everyEvent, everyInteraction } from './every-payload.js';
import { startHarness, userId, type Harness } from './slack-harness.js';

/*
 * Steward's Slack app in Socket Mode (SLACK_APP_TOKEN set), offline: `apps.connections.open` at the fake Slack
 * answers the URL of its local WebSocket server, which says `hello` and then sends envelopes as Slack does. The
 * app acknowledges each envelope by its id over the socket, and answers through response_url and the Web API.
 */

const appToken = 'xapp-1-A0STEWARD-1-test';
const tickAt = '2026-11-09T09:00:00.000Z';
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The harness's app in Socket Mode, connected to the fake's WebSocket. */
async function connected(): Promise<Harness> {
  harness = await startHarness({ items, fake: { appToken }, settings: { mode: 'socket', appToken, signingSecret: null } });
  await harness.slack.start();
  await harness.fake.socketMode.connected();
  return harness;
}

describe('Socket Mode', () => {
  test('when SLACK_APP_TOKEN selects Socket Mode, then the app opens a connection with the app-level token, serves no HTTP route, and stopping it closes the socket', async () => {
    const { slack, fake } = await connected();

    expect(slack.route).toBeNull();
    expect(fake.callsTo('apps.connections.open')).toMatchObject([{ token: appToken, status: 200, answer: { ok: true } }]);
    expect(fake.socketMode.connections).toBe(1);

    await slack.stop();

    await fake.socketMode.disconnected(2_000);
    expect(fake.socketMode.closeCodes).toEqual([1000]);
  });

  test('when envelopes Steward does not handle arrive (view_closed, a shortcut, function_executed), then each is acked over the socket at once', async () => {
    const { fake } = await connected();
    const interactions = everyInteraction(fake.responseUrl('unhandled')).filter((r) => r.name === 'view_closed' || r.name === 'shortcut');
    const [functionExecuted] = everyEvent().filter((r) => r.name === 'function_executed');

    const acks = await Promise.all([
      ...interactions.map((r, i) => fake.socketMode.deliver('interactive', r.body, { envelopeId: `env-unhandled-${i}`, timeoutMs: 1_000 })),
      fake.socketMode.deliver('events_api', functionExecuted!.body, { envelopeId: 'env-function', timeoutMs: 1_000 }),
    ]);

    expect(acks.map((a) => a.envelope_id)).toEqual(['env-unhandled-0', 'env-unhandled-1', 'env-function']);
  });

  test('when a /steward who envelope arrives, then it is acked with its envelope id and the ephemeral answer reaches response_url', async () => {
    const { fake } = await connected();

    const ack = await fake.socketMode.deliver('slash_commands', slashCommand(userId('zed'), 'who ledger-api', fake.responseUrl('socket-who')), { envelopeId: 'env-who-1' });

    expect(ack).toMatchObject({ envelope_id: 'env-who-1' });
    const answer = await fake.waitFor((c) => c.path === '/respond/socket-who');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.args.text).toMatch(/ledger-api[\s\S]*ana@acme\.example/);
  });

  test('when a Confirm click arrives as an interactive envelope, then it is acked, the answer is recorded, and the prompt is rewritten', async () => {
    const { fake, store, policy, pump } = await connected();
    await tick(store, policy, tickAt);
    pump.kick();
    const prompt = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200);
    const channel = String(prompt.answer.channel);
    const ts = String(prompt.answer.ts);
    const attestationId = openAttestationOf(store, 'ledger-api').id;

    const click = blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel, ts }, fake.responseUrl('socket-confirm'));
    const ack = await fake.socketMode.deliver('interactive', click, { envelopeId: 'env-click-1' });

    expect(ack).toMatchObject({ envelope_id: 'env-click-1' });
    const told = await fake.waitFor((c) => c.path === '/respond/socket-confirm');
    expect(told.args.text).toMatch(/^ledger-api: confirmed\./);
    expect(attestations(store).find((a) => a.id === attestationId)).toMatchObject({ status: 'closed', outcome: 'attested', answeredBy: 'ana@acme.example' });
    const update = await fake.waitFor((c) => c.method === 'chat.update');
    expect(update.args).toMatchObject({ channel, ts });
  });

  test('when app_home_opened arrives as an events_api envelope, then it is acked and My items is published', async () => {
    const { fake, store, policy } = await connected();
    await tick(store, policy, tickAt);

    const ack = await fake.socketMode.deliver('events_api', eventCallback({ type: 'app_home_opened', user: userId('ana'), channel: 'D0HOME', tab: 'home' }), { envelopeId: 'env-home-1' });

    expect(ack).toMatchObject({ envelope_id: 'env-home-1' });
    const published = await fake.waitFor((c) => c.method === 'views.publish');
    expect(published.args).toMatchObject({ user_id: userId('ana'), view: { type: 'home' } });
    expect(JSON.stringify(published.args.view)).toContain('ledger-api');
  });

  test('when Slack refuses the app-level token, then starting fails as bad configuration naming SLACK_APP_TOKEN, without the token', async () => {
    harness = await startHarness({ items, fake: { appToken }, settings: { mode: 'socket', appToken: 'xapp-1-A0STEWARD-1-revoked', signingSecret: null } });

    const failure = await harness.slack.start().then(
      () => null,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(InputError);
    expect((failure as Error).message).toMatch(/^SLACK_APP_TOKEN was refused by Slack \(invalid_auth\)/);
    expect((failure as Error).message).not.toContain('revoked');
    expect(harness.fake.callsTo('apps.connections.open')).toMatchObject([{ answer: { ok: false, error: 'invalid_auth' } }]);
    expect(harness.fake.socketMode.connections).toBe(0);
  });
});
