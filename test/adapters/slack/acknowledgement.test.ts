import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import { slashCommand, type SlackResponse } from '../../support/sign-slack.js';
import { appRateLimited, everyEvent, everyInteraction, type SlackRequest } from './every-payload.js';
import { startHarness, userId, type Harness } from './slack-harness.js';

/*
 * Slack counts anything but a 200 within 3 seconds as a failed delivery, retries it, and limits, then disables,
 * the event subscriptions of an app that keeps failing. Every request it may send is acknowledged at once:
 * what Steward handles by its listeners, the rest (events it did not subscribe to, controls and modals it does
 * not own, requests with no inner event) by the receiver, and nothing else happens for those.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];

async function send(h: Harness, request: SlackRequest): Promise<SlackResponse> {
  // Slack's SSL check is form-encoded and carries no inner payload.
  if (request.name === 'ssl_check') return h.send.post(new URLSearchParams(request.body as Record<string, string>).toString(), 'application/x-www-form-urlencoded');
  return request.kind === 'interaction' ? h.send.interaction(request.body) : h.send.event(request.body);
}

/** Each request that was not answered 200 within 3 seconds, with what it got. */
function late(requests: readonly SlackRequest[], responses: readonly SlackResponse[]): string[] {
  return requests.flatMap((r, i) => {
    const response = responses[i];
    return response !== undefined && response.status === 200 && response.ms < 3_000 ? [] : [`${r.name}: ${response?.status} after ${Math.round(response?.ms ?? 0)} ms`];
  });
}

describe('every request Slack may send', () => {
  test('when Slack sends one payload of every documented event and interaction type, then each is answered 200 within 3 seconds', async () => {
    harness = await startHarness({ items });
    const requests: SlackRequest[] = [
      ...everyEvent(),
      ...everyInteraction(harness.fake.responseUrl('unowned')),
      { name: 'app_rate_limited', kind: 'top_level', body: appRateLimited() },
      { name: 'url_verification', kind: 'top_level', body: { token: 'deprecated-verification-token', challenge: 'c4a1', type: 'url_verification' } },
      { name: 'ssl_check', kind: 'top_level', body: { ssl_check: '1', token: 'deprecated-verification-token' } },
    ];
    expect(requests.length).toBeGreaterThan(110);

    const responses = await Promise.all(requests.map((r) => send(harness, r)));

    expect(late(requests, responses)).toEqual([]);
  });

  test('when another slash command reaches the Request URL, then it is acknowledged and not run', async () => {
    harness = await startHarness({ items });

    const response = await harness.send.command(slashCommand(userId('ana'), 'who ledger-api', harness.fake.responseUrl('other-command'), { command: '/other' }));

    expect(response).toMatchObject({ status: 200 });
    expect(response.ms).toBeLessThan(3_000);
    expect(harness.fake.callsTo('response_url')).toEqual([]);
  });
});

describe('requests Steward does not handle', () => {
  test('when a button Steward did not register is clicked, then it is acknowledged at once and nothing is called', async () => {
    harness = await startHarness({ items });
    const [click] = everyInteraction(harness.fake.responseUrl('unregistered')).filter((r) => r.name.startsWith('block_actions (a button'));

    const response = await harness.send.interaction(click!.body);
    await harness.pump.idle();

    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.ms).toBeLessThan(1_000);
    expect(harness.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    expect(harness.logs.filter((r) => (r.level as number) >= 40)).toEqual([]);
  });

  test('when a modal is closed (view_closed), then it is acknowledged at once and nothing is called', async () => {
    harness = await startHarness({ items });
    const [closed] = everyInteraction(harness.fake.responseUrl('closed')).filter((r) => r.name === 'view_closed');

    const response = await harness.send.interaction(closed!.body);

    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.ms).toBeLessThan(1_000);
    expect(harness.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  test('when Slack says it is rate limiting Steward’s events (app_rate_limited), then it is acknowledged and logged as an error naming the minute', async () => {
    harness = await startHarness({ items });

    const response = await harness.send.event(appRateLimited(1518467820));

    expect(response).toMatchObject({ status: 200 });
    expect(response.ms).toBeLessThan(1_000);
    expect(harness.logs.filter((r) => r.msg?.toString().startsWith('Slack is rate limiting'))).toMatchObject([{ level: 50, team: 'T0STEWARD', limitedFrom: '2018-02-12T20:37:00.000Z' }]);
  });

  test('when app_rate_limited names another workspace, then it is acknowledged and only a warning is logged', async () => {
    harness = await startHarness({ items });

    const response = await harness.send.event({ ...appRateLimited(), team_id: 'T0OTHER' });

    expect(response).toMatchObject({ status: 200 });
    expect(harness.logs.filter((r) => (r.level as number) >= 50)).toEqual([]);
  });
});
