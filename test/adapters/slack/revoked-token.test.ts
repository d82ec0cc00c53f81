import { afterEach, describe, expect, test, vi } from 'vitest';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { outbox } from '../../storage/support/loop-state.js';
import { eventCallback } from '../../support/sign-slack.js';
import { startHarness, userId, type Harness } from './slack-harness.js';

/*
 * When Slack takes the bot token back (`tokens_revoked`, `app_uninstalled`, or a delivery refused with
 * `token_revoked`), nothing Steward posts can arrive: delivery stops at once, with one error in the log and
 * `/healthz` degraded, and the messages wait in the outbox, unspent, for a restart with a new token.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const items = [
  apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') }),
  identityEntry({ ref: 'ledger-deploy-token', purpose: 'Deploys the ledger', owner: ownedBy('payments', 'ben', 'ana') }),
];

const revoked = (tokens: { oauth?: string[]; bot?: string[] }) => eventCallback({ type: 'tokens_revoked', tokens });
const uninstalled = () => eventCallback({ type: 'app_uninstalled' });

async function degraded(h: Harness): Promise<{ status: number; body: unknown }> {
  await vi.waitUntil(async () => (await h.health()).status !== 200, { timeout: 3_000, interval: 20 });
  return h.health();
}

describe('when Slack takes the bot token back', () => {
  test.each([
    ['tokens_revoked naming the bot user', () => revoked({ oauth: [], bot: ['U0STEWARD'] }), /Slack revoked Steward's bot token \(tokens_revoked\)/],
    ['app_uninstalled', uninstalled, /Steward was uninstalled from the Slack workspace \(app_uninstalled\)/],
  ])('when Slack sends %s, then it is acknowledged, logged as an error, /healthz is degraded with the reason, and nothing more is sent', async (_, event, reason) => {
    harness = await startHarness({ items });

    const response = await harness.send.event(event());

    expect(response).toMatchObject({ status: 200 });
    const health = await degraded(harness);
    expect(health).toMatchObject({ status: 503, body: { status: 'degraded' } });
    expect((health.body as { reason: string }).reason).toMatch(reason);
    expect((health.body as { reason: string }).reason).toMatch(/SLACK_BOT_TOKEN/);
    expect(harness.logs.filter((r) => r.level === 50)).toMatchObject([{ msg: expect.stringMatching(reason) as unknown }]);

    await tick(harness.store, harness.policy, tickAt);
    harness.pump.kick();
    await harness.pump.idle();

    expect(harness.fake.callsTo('chat.postMessage')).toEqual([]);
    expect(outbox(harness.store).length).toBeGreaterThan(0);
    expect(outbox(harness.store).map((m) => [m.status, m.attempts])).toEqual(outbox(harness.store).map(() => ['pending', 0]));
  });

  test('when tokens_revoked names only user tokens, then Steward, which uses none, carries on delivering', async () => {
    harness = await startHarness({ items });

    await harness.send.event(revoked({ oauth: [userId('ana')] }));
    await tick(harness.store, harness.policy, tickAt);
    harness.pump.kick();

    await harness.fake.waitFor((c) => c.method === 'chat.postMessage');
    expect(await harness.health()).toEqual({ status: 200, body: { status: 'ok' } });
    expect(harness.logs.filter((r) => (r.level as number) >= 50)).toEqual([]);
  });

  test('when Slack refuses the bot token on a delivery (token_revoked), then delivery stops there, the message is not spent, and /healthz is degraded', async () => {
    harness = await startHarness({ items, fake: { fail: (method) => (method === 'chat.postMessage' ? { error: 'token_revoked' } : undefined) } });
    await tick(harness.store, harness.policy, tickAt);

    harness.pump.kick();
    const health = await degraded(harness);
    await harness.pump.idle();

    expect(health).toMatchObject({ status: 503, body: { status: 'degraded', reason: expect.stringMatching(/Slack refused the bot token \(token_revoked\)/) as unknown } });
    expect(harness.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(outbox(harness.store).map((m) => [m.status, m.attempts])).toEqual(outbox(harness.store).map(() => ['pending', 0]));
    expect(harness.logs.filter((r) => r.level === 50)).toHaveLength(1);
  });
});
