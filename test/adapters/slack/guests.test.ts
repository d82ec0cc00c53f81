import { afterEach, describe, expect, test, vi } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import type { FakeSlackUser } from '../../support/fake-slack.js';
import { ownedBy, tick } from '../../support/loop.js';
import { openAttestationOf } from '../../storage/support/loop-state.js';
import { blockActions, eventCallback, slashCommand } from '../../support/sign-slack.js';
import { slackUsers, startHarness, userId, type Harness } from './slack-harness.js';

/*
 * Guests (multi- and single-channel) are outside the organisation: Steward answers them nothing, by command,
 * button or Home tab. Who is a guest changes under a running Steward, when an admin changes an account's type:
 * Slack says so with `user_change`, and the change holds from the next request on, both ways. An event Slack
 * dropped (app_rate_limited) is caught up within minutes, when the profile Steward remembers grows old.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];
const guestText = /guest accounts cannot use/;
const ana = slackUsers.find((u) => u.id === userId('ana')) as FakeSlackUser;

let commands = 0;
/** `/steward mine` as ana; resolves with the text answered through its response_url. */
async function mine(h: Harness): Promise<string> {
  commands += 1;
  const id = `mine-${commands}`;
  await h.send.command(slashCommand(ana.id, 'mine', h.fake.responseUrl(id)));
  const answer = await h.fake.waitFor((c) => c.path === `/respond/${id}`);
  return String(answer.args.text);
}

/** An admin changes ana's account in Slack, and Slack tells Steward with `user_change` (the whole user object). */
async function changeAna(h: Harness, change: Partial<FakeSlackUser>, flags: Record<string, boolean> = {}): Promise<void> {
  h.fake.setUser({ ...ana, ...change });
  const seen = h.logs.length;
  await h.send.event(eventCallback({ type: 'user_change', user: { ...h.fake.userJson(ana.id), ...flags }, cache_ts: 1700000000 }));
  await vi.waitUntil(() => h.logs.slice(seen).some((r) => r.msg === 'Slack profile updated from user_change'), { timeout: 3_000, interval: 10 });
}

describe('a member made a guest', () => {
  test.each([
    ['a multi-channel guest (is_restricted)', { guest: true }, { is_restricted: true, is_ultra_restricted: false }],
    ['a single-channel guest (is_ultra_restricted)', { singleChannelGuest: true }, { is_restricted: false, is_ultra_restricted: true }],
  ])('when a member who used Steward is made %s, then their next /steward is refused as a guest’s', async (_, change, flags) => {
    harness = await startHarness({ items });
    expect(await mine(harness)).not.toMatch(guestText);

    await changeAna(harness, change, flags);

    expect(await mine(harness)).toMatch(guestText);
  });

  test('when a guest is made a member again, then their next /steward is answered', async () => {
    harness = await startHarness({ items, fake: { users: slackUsers.map((u) => (u.id === ana.id ? { ...u, guest: true } : u)) } });
    expect(await mine(harness)).toMatch(guestText);

    await changeAna(harness, { guest: false });

    expect(await mine(harness)).not.toMatch(guestText);
  });

  test('when an owner made a guest clicks Confirm on the prompt they had, then nothing is recorded and they are told why', async () => {
    harness = await startHarness({ items });
    await tick(harness.store, harness.policy, tickAt);
    harness.pump.kick();
    const post = await harness.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200);
    const attestationId = openAttestationOf(harness.store, 'ledger-api').id;
    expect(await mine(harness)).not.toMatch(guestText);

    await changeAna(harness, { guest: true });
    const where = { channel: String(post.answer.channel), ts: String(post.answer.ts) };
    await harness.send.interaction(blockActions(ana.id, { actionId: 'attest.confirm', value: String(attestationId) }, where, harness.fake.responseUrl('guest-click')));

    const answer = await harness.fake.waitFor((c) => c.path === '/respond/guest-click');
    expect(answer.args.text).toMatch(guestText);
    expect(openAttestationOf(harness.store, 'ledger-api').id).toBe(attestationId);
  });

  test('when an owner made a guest opens the Home tab, then it shows none of their items', async () => {
    harness = await startHarness({ items });
    await tick(harness.store, harness.policy, tickAt);
    expect(await mine(harness)).not.toMatch(guestText);

    await changeAna(harness, { guest: true });
    await harness.send.event(eventCallback({ type: 'app_home_opened', user: ana.id, channel: 'D0HOME', tab: 'home' }));

    const published = await harness.fake.waitFor((c) => c.method === 'views.publish');
    const view = JSON.stringify(published.args.view);
    expect(view).toMatch(guestText);
    expect(view).not.toContain('ledger-api');
  });

  test('when Slack’s user_change never arrives, then the change holds once the remembered profile is ten minutes old', async () => {
    harness = await startHarness({ items });
    expect(await mine(harness)).not.toMatch(guestText);

    harness.fake.setUser({ ...ana, guest: true });
    expect(await mine(harness)).not.toMatch(guestText);
    harness.moveClock('2026-11-09T09:10:01.000Z');

    expect(await mine(harness)).toMatch(guestText);
  });
});

describe('a deactivated account reactivated', () => {
  test('when Slack reactivates an account Steward marked as left, then it is logged that the person stays inactive until a source lists them again', async () => {
    harness = await startHarness({ items });
    await changeAna(harness, { deleted: true });
    await vi.waitUntil(() => harness.logs.some((r) => r.msg === 'person marked as left: the next tick re-routes their items'), { timeout: 3_000, interval: 10 });

    await changeAna(harness, { deleted: false });

    expect(harness.logs.filter((r) => r.slackUserId === ana.id && String(r.msg).includes('reactivated'))).toMatchObject([
      { level: 40, person: 'ana@acme.example', msg: expect.stringMatching(/they stay inactive until a source lists them as active again/) as unknown },
    ]);
  });
});
