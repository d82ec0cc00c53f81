import { afterEach, describe, expect, test } from 'vitest';
import { runTick } from '../../../src/attestation/run-tick.js';
import { apiEntry, personEntry, teamEntry } from '../../support/entries.js';
import { openAttestations, outbox } from '../../storage/support/loop-state.js';
import { blockActions, slashCommand } from '../../support/sign-slack.js';
import { startHarness, type Harness } from './slack-harness.js';

/*
 * A morning with a thousand owners to prompt while Slack throttles: the bulk DMs go through their own Web API
 * client and the outbox, wait out every Retry-After, and each lands exactly once; meanwhile a slash command and a
 * click are answered as fast as ever, because nothing on the interactive path waits behind the dispatcher.
 */

let harness: Harness;
afterEach(async () => harness?.close());

const owners = 1_000;
const name = (i: number) => `owner${String(i).padStart(4, '0')}`;

/** Slack's 429s: a few on each method the dispatcher calls, spread through the batch, each asking for a second's rest. */
const storm: Readonly<Record<string, ReadonlySet<number>>> = {
  'users.lookupByEmail': new Set([400]),
  'conversations.open': new Set([700]),
  'chat.postMessage': new Set([120, 121, 900]),
};

describe('a thousand prompts through a storm of 429s', () => {
  test('when Slack throttles the bulk DMs, then every prompt is delivered exactly once, and interactive replies keep answering within a second', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const directory = [
      teamEntry('fleet', { members: Array.from({ length: owners }, (_, i) => `${name(i)}@acme.example`) }),
      ...Array.from({ length: owners }, (_, i) => personEntry(`${name(i)}@acme.example`)),
    ];
    const items = Array.from({ length: owners }, (_, i) => apiEntry({ ref: `svc-${String(i).padStart(4, '0')}`, sensitivity: 'internal', exposure: 'internal', owner: { team: 'fleet', accountable: `${name(i)}@acme.example` } }));
    harness = await startHarness({
      items,
      directory,
      importedAt: new Date(now - 10 * day).toISOString(),
      // The real clock: a Retry-After is waited out in real time, as in production.
      clock: 'system',
      fake: {
        users: Array.from({ length: owners }, (_, i) => ({ id: `U${String(i).padStart(6, '0')}`, email: `${name(i)}@acme.example` })),
        rateLimit: (method, n) => (storm[method]?.has(n) ? 1 : undefined),
      },
    });
    const { fake, store, send } = harness;
    const report = await runTick(store, harness.policy, new Date(now - day));
    expect(report.messages).toBe(owners);

    harness.pump.kick();
    // In the middle of the storm: the dispatcher has just been told to wait a second.
    await fake.waitFor((c) => c.status === 429 && c.method === 'chat.postMessage', 20_000);
    const attestationId = openAttestations(store).at(-1)?.id;
    const [command, click] = await Promise.all([
      send.command(slashCommand('U000001', 'who svc-0001', fake.responseUrl('storm-who'))),
      send.interaction(blockActions(`U${String(owners - 1).padStart(6, '0')}`, { actionId: 'attest.confirm', value: String(attestationId) }, { home: true }, fake.responseUrl('unused'))),
    ]);
    const asked = performance.now();
    const answered = await fake.waitFor((c) => c.path === '/respond/storm-who', 2_000);
    const answeredMs = performance.now() - asked + command.ms;
    const home = await fake.waitFor((c) => c.method === 'views.publish', 2_000);
    const homeMs = performance.now() - asked + click.ms;

    expect(command.status).toBe(200);
    expect(click.status).toBe(200);
    expect(command.ms).toBeLessThan(1_000);
    expect(click.ms).toBeLessThan(1_000);
    expect(answeredMs).toBeLessThan(1_000);
    expect(homeMs).toBeLessThan(1_000);
    expect(answered.args.text).toContain('svc-0001');
    expect(home.args.user_id).toBe(`U${String(owners - 1).padStart(6, '0')}`);
    // The storm is not over: deliveries were still waiting when the interactive replies came back.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.status === 200).length).toBeLessThan(owners);

    const deadline = performance.now() + 30_000;
    while (outbox(store).some((m) => m.status === 'pending') && performance.now() < deadline) await harness.pump.idle();

    const posted = fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && /to confirm/.test(String(c.args.text)));
    const perChannel = new Map<string, number>();
    for (const post of posted) perChannel.set(String(post.args.channel), (perChannel.get(String(post.args.channel)) ?? 0) + 1);
    expect(perChannel.size).toBe(owners);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    expect(fake.calls.filter((c) => c.status === 429)).toHaveLength(5);
    const prompts = outbox(store).filter((m) => m.kind === 'attestation_prompt');
    expect(prompts).toHaveLength(owners);
    expect(prompts.every((m) => m.status === 'sent' && m.platformMessageId !== null)).toBe(true);
    // A 429 is not a failed attempt: nothing was given up or counted against its retries.
    expect(outbox(store).filter((m) => m.status === 'failed')).toEqual([]);
  }, 60_000);
});
