import { afterEach, describe, expect, test, vi } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, plusDays, tick } from '../../support/loop.js';
import { auditEvents, openAttestationOf, outbox } from '../../storage/support/loop-state.js';
import { reactivatePerson } from '../../storage/support/reactivate-person.js';
import { failPersonUpdates } from '../../storage/support/sqlite-faults.js';
import { blockActions, eventCallback, slashCommand } from '../../support/sign-slack.js';
import { slackUsers, startHarness, userId, type Harness } from './slack-harness.js';

let harness: Harness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function isActive(h: Harness, email: string): Promise<boolean> {
  return (await h.store.chatPersonBy({ email }))?.active === true;
}

/** A `user_change` event for a deactivated account, as Slack sends it (the full user object, `deleted: true`). */
function deactivated(name: string) {
  const user = slackUsers.find((u) => u.id === userId(name));
  return eventCallback({
    type: 'user_change',
    user: { id: userId(name), team_id: 'T0STEWARD', name, deleted: true, is_bot: false, profile: { email: user?.email, real_name: name } },
    cache_ts: 1700000000,
  });
}

describe('the leaver flow', () => {
  test('when Slack says an owner’s account was deactivated, then they are marked inactive and the next tick gives their attestation to the backup', async () => {
    harness = await startHarness({ items });
    await tick(harness.store, harness.policy, tickAt);
    harness.pump.kick();
    await harness.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${userId('ana')}`);

    const response = await harness.send.event(deactivated('ana'));

    expect(response).toMatchObject({ status: 200 });
    await vi.waitUntil(async () => !(await isActive(harness, 'ana@acme.example')), { timeout: 3_000, interval: 20 });
    expect(auditEvents(harness.store, { action: 'person.deactivated' })).toMatchObject([{ subject: 'ana@acme.example', actor: 'slack' }]);

    harness.moveClock(plusDays(tickAt, 1));
    await tick(harness.store, harness.policy, plusDays(tickAt, 1));
    harness.pump.kick();
    const toBen = await harness.fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${userId('ben')}`);
    expect(String(JSON.stringify(toBen.args.blocks))).toContain('ana@acme.example has left; you were their backup');
    expect(openAttestationOf(harness.store, 'ledger-api').person).toBe('ben@acme.example');
  });

  test('when the same event is delivered again with X-Slack-Retry-Num, then it is applied once', async () => {
    harness = await startHarness({ items });
    const event = deactivated('ana');
    await harness.send.event(event);
    await vi.waitUntil(async () => !(await isActive(harness, 'ana@acme.example')), { timeout: 3_000, interval: 20 });
    // Someone re-activates the person in the inventory meanwhile: a replayed event must not undo it.
    reactivatePerson(harness.store, 'ana@acme.example');

    const retried = await harness.send.event(event, { retryNum: 1 });
    await wait(200);

    expect(retried.status).toBe(200);
    expect(await isActive(harness, 'ana@acme.example')).toBe(true);
    expect(auditEvents(harness.store, { action: 'person.deactivated' })).toHaveLength(1);
  });

  test('when handling the event fails, then Slack’s retry of it is handled, not dropped as a repeat', async () => {
    harness = await startHarness({ items });
    // A real SQLite failure on the write the leaver flow makes (as a locked or full disk would give).
    const failing = failPersonUpdates(harness.store);
    const event = deactivated('ana');
    await harness.send.event(event);
    await vi.waitUntil(() => harness.logs.some((r) => r.msg === 'Slack request failed'), { timeout: 3_000, interval: 20 });
    expect(await isActive(harness, 'ana@acme.example')).toBe(true);
    failing.restore();

    await harness.send.event(event, { retryNum: 1 });

    await vi.waitUntil(async () => !(await isActive(harness, 'ana@acme.example')), { timeout: 3_000, interval: 20 });
    expect(auditEvents(harness.store, { action: 'person.deactivated' })).toHaveLength(1);
  });

  test('when a profile changes without the account being deactivated, then nothing happens', async () => {
    harness = await startHarness({ items });
    const event = deactivated('ana') as { event: { user: { deleted: boolean } } };
    event.event.user.deleted = false;

    await harness.send.event(event);
    await wait(200);

    expect(await isActive(harness, 'ana@acme.example')).toBe(true);
  });
});

describe('App Home', () => {
  test('when an owner opens Steward’s Home tab, then My items is published for them with what waits for their answer', async () => {
    harness = await startHarness({ items });
    await tick(harness.store, harness.policy, tickAt);

    await harness.send.event(eventCallback({ type: 'app_home_opened', user: userId('ana'), channel: 'D0HOME', tab: 'home' }));

    const published = await harness.fake.waitFor((c) => c.method === 'views.publish');
    expect(published.args).toMatchObject({ user_id: userId('ana'), view: { type: 'home' } });
    const view = JSON.stringify(published.args.view);
    expect(view).toContain('My items');
    expect(view).toContain('ledger-api');
    expect(view).toContain('attest.confirm');
  });

  test('when someone Steward does not know opens Home, then they are told how to get known', async () => {
    harness = await startHarness({ items, fake: { users: [...slackUsers, { id: 'U0STRANGER', email: 'stranger@elsewhere.example' }] } });

    await harness.send.event(eventCallback({ type: 'app_home_opened', user: 'U0STRANGER', channel: 'D0HOME', tab: 'home' }));

    const published = await harness.fake.waitFor((c) => c.method === 'views.publish');
    expect(JSON.stringify(published.args.view)).toContain('Steward does not know you yet');
  });

  test('when the Messages tab is opened, then Home is not published', async () => {
    harness = await startHarness({ items });

    await harness.send.event(eventCallback({ type: 'app_home_opened', user: userId('ana'), channel: 'D0HOME', tab: 'messages' }));
    await wait(200);

    expect(harness.fake.callsTo('views.publish')).toEqual([]);
  });

  test('when the pager is clicked, then Home is published again at that page', async () => {
    harness = await startHarness({ items });

    await harness.send.interaction(blockActions(userId('ana'), { actionId: 'home.page', value: '2' }, { home: true }, harness.fake.responseUrl('unused')));

    const published = await harness.fake.waitFor((c) => c.method === 'views.publish');
    expect(published.args).toMatchObject({ user_id: userId('ana') });
  });
});

describe('requests from another workspace', () => {
  const other = { id: 'T0OTHER', domain: 'elsewhere' };

  test('when a signed slash command comes from another workspace, then it is refused with a short answer and not run', async () => {
    harness = await startHarness({ items });

    const response = await harness.send.command(slashCommand(userId('zed'), 'who ledger-api', harness.fake.responseUrl('other'), { team_id: other.id, team_domain: other.domain }));

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: 'This Steward serves another Slack workspace.' });
    await wait(200);
    expect(harness.fake.callsTo('response_url')).toEqual([]);
    expect(harness.logs.some((r) => r.msg === 'refused a request from another Slack workspace' && r.team === other.id)).toBe(true);
  });

  test('when a click comes from another workspace, then nothing is recorded', async () => {
    harness = await startHarness({ items });
    await tick(harness.store, harness.policy, tickAt);
    const attestationId = openAttestationOf(harness.store, 'ledger-api').id;
    const before = outbox(harness.store).length;

    const click = blockActions(userId('ana'), { actionId: 'attest.confirm', value: String(attestationId) }, { channel: 'DU0ANA', ts: '1.1' }, harness.fake.responseUrl('other-click'), {
      team: other,
      user: { id: userId('ana'), username: 'ana', name: 'ana', team_id: other.id },
    });
    const response = await harness.send.interaction(click);
    await wait(200);

    expect(response.status).toBe(200);
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
    expect(outbox(harness.store)).toHaveLength(before);
    expect(harness.fake.callsTo('response_url')).toEqual([]);
    expect(harness.logs.some((r) => r.msg === 'refused a request from another Slack workspace' && r.team === other.id)).toBe(true);
  });

  test('when an event comes from another workspace, then it is ignored', async () => {
    harness = await startHarness({ items });
    const event = { ...deactivated('ana'), team_id: other.id, authorizations: [{ enterprise_id: null, team_id: other.id, user_id: 'U0OTHERBOT', is_bot: true, is_enterprise_install: false }] };

    await harness.send.event(event);
    await wait(200);

    expect(await isActive(harness, 'ana@acme.example')).toBe(true);
    expect(harness.logs.some((r) => r.msg === 'refused a request from another Slack workspace' && r.team === other.id)).toBe(true);
  });
});
