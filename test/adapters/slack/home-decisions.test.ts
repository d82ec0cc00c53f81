import { afterEach, describe, expect, test } from 'vitest';
import { requestApproval } from '../../../src/approvals/approval-commands.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { loopPolicy, ownedBy } from '../../support/loop.js';
import { viewSubmission } from '../../support/sign-slack.js';
import { itemFactsOf } from '../../storage/support/approved-state.js';
import { auditEvents, itemOf } from '../../storage/support/loop-state.js';
import { homeButtons, homesOf, homeTexts, nthHomeOf, openHome, pressOnHome, startHarness, userId, type Harness } from './slack-harness.js';

/*
 * "Waiting for your decision" on the Home tab, end to end over HTTP: a request raised through the core shows on
 * its approver's Home with Approve / Reject, and an offered transfer on the proposed owner's with Accept / Decline;
 * pressed there (a click from a view: no message, no response_url), the modal opens from the click's trigger id,
 * the outcome is said in the person's DM, and Home is published again without the request.
 */

const now = '2026-11-09T09:00:00.000Z';
const policy = loopPolicy({ admins: ['zed@acme.example'] });
const email = (name: string) => `${name}@acme.example`;

const items = [
  identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'payments-api', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana') }),
];

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<Harness> {
  harness = await startHarness({ items, policy, clock: now });
  return harness;
}

async function ask(h: Harness, request: Parameters<typeof requestApproval>[3]['request'], ref = 'ci-deployer', kind: 'api' | 'identity' = 'identity'): Promise<void> {
  const itemId = await h.store.itemIdOf(kind, ref);
  const asked = await requestApproval(h.store, fixedClock(now), policy, { actor: { email: email('ana') }, itemId, request });
  expect(asked.result.ok).toBe(true);
}

/** The modal a click opened (views.open with its trigger id). */
async function opened(h: Harness, triggerId: unknown) {
  const call = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
  return call.args.view as { callback_id: string; private_metadata: string };
}

function submit(h: Harness, who: string, view: { callback_id: string; private_metadata: string }, typed: Record<string, string>) {
  const values = Object.fromEntries(Object.entries(typed).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }]));
  return h.send.interaction(viewSubmission(userId(who), { callback_id: view.callback_id, private_metadata: view.private_metadata, values }));
}

/** What Steward said to `who` in their DM (opened with conversations.open), in order. */
const dmTo = (h: Harness, who: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.answer.channel === `D${userId(who)}`).map((c) => String(c.args.text));

/** The first thing said in `who`'s DM that starts with `start`, once it is. */
async function saidTo(h: Harness, who: string, start: string): Promise<string> {
  await h.fake.waitFor(() => dmTo(h, who).some((t) => t.startsWith(start)));
  return dmTo(h, who).find((t) => t.startsWith(start)) ?? '';
}

describe('Home: waiting for your decision', () => {
  test('when lena has a scope change to approve, then Home shows it with Approve / Reject; Approve from Home opens the modal, and submitting applies it, tells her in her DM and republishes Home without it', async () => {
    const h = await start();
    await ask(h, { kind: 'scope_change', scopes: 'read write', justification: 'deploys need to write artefacts' });

    const home = await openHome(h, 'lena');
    expect(homeTexts(home)).toContain('*#1* scope change of identity *ci-deployer* · asked by ana@acme.example on 2026-11-09');
    expect(homeButtons(home)).toEqual(expect.arrayContaining(['approval.approve 1', 'approval.reject 1']));
    expect(JSON.stringify(home.blocks)).toContain('Waiting for your decision (1)');
    // The requester does not decide their own request: it is not on her Home.
    expect(homeButtons(await openHome(h, 'ana')).filter((b) => b.startsWith('approval.'))).toEqual([]);

    const approve = pressOnHome(h, 'lena', 'approval.approve', '1');
    expect((await approve.sent).status).toBe(200);
    const view = await opened(h, approve.click.trigger_id);
    expect(view.callback_id).toBe('approval.approve');
    // No card to answer under: the modal knows it came from Home.
    expect(JSON.parse(view.private_metadata)).toMatchObject({ requestId: 1, source: null });

    expect(await submit(h, 'lena', view, { 'decision.reason': 'fine for the release' })).toMatchObject({ status: 200, body: '' });

    expect(await saidTo(h, 'lena', 'You approved')).toMatch(/^You approved #1 scope change of identity ci-deployer: Approved and applied: scopes read → read write\./);
    expect(itemFactsOf(h.store, 'ci-deployer').scopes).toEqual(['read', 'write']);
    const after = await nthHomeOf(h, 'lena', 2);
    expect(homeButtons(after).filter((b) => b.startsWith('approval.'))).toEqual([]);
    expect(JSON.stringify(after.blocks)).not.toContain('Waiting for your decision');
    expect(h.fake.callsTo('chat.postEphemeral')).toEqual([]);
    expect(h.fake.callsTo('response_url')).toEqual([]);

    // The stale Home pressed again: refused in her DM, no modal, nothing applied twice, and Home published again.
    const again = pressOnHome(h, 'lena', 'approval.approve', '1');
    expect(await saidTo(h, 'lena', '#1')).toBe('#1 scope change of identity ci-deployer was already approved by lena@acme.example on 2026-11-09; nothing changed.');
    await nthHomeOf(h, 'lena', 3);
    expect(h.fake.callsTo('views.open').filter((c) => c.args.trigger_id === again.click.trigger_id)).toEqual([]);
    expect(auditEvents(h.store, { action: 'approval.decided' })).toHaveLength(1);
  });

  test('when Reject is pressed on Home and submitted with a reason, then nothing changes, she is told in her DM, and Home no longer shows it', async () => {
    const h = await start();
    await ask(h, { kind: 'decommission', justification: 'replaced' }, 'payments-api', 'api');
    const home = await openHome(h, 'lena');
    expect(homeButtons(home)).toEqual(expect.arrayContaining(['approval.approve 1', 'approval.reject 1']));

    const reject = pressOnHome(h, 'lena', 'approval.reject', '1');
    const view = await opened(h, reject.click.trigger_id);
    const blank = await submit(h, 'lena', view, {});
    expect(JSON.parse(blank.body)).toEqual({ response_action: 'errors', errors: { 'decision.reason': 'Say why: the requester is told.' } });

    await submit(h, 'lena', view, { 'decision.reason': 'still in use' });
    expect(await saidTo(h, 'lena', 'You rejected')).toBe('You rejected #1 decommission of API payments-api; nothing changes, and ana@acme.example is told why.');
    expect(itemFactsOf(h.store, 'payments-api').lifecycle).not.toBe('decommissioned');
    expect(homeButtons(await nthHomeOf(h, 'lena', 2)).filter((b) => b.startsWith('approval.'))).toEqual([]);
  });

  test('when a transfer is offered to cy, then cy’s Home shows it with Accept / Decline; Accept from Home applies it at once, says so in cy’s DM and republishes Home with the item as cy’s', async () => {
    const h = await start();
    await ask(h, { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'cy runs CI now' });

    const home = await openHome(h, 'cy');
    expect(homeTexts(home)).toContain('*#1* ownership transfer of identity *ci-deployer* · asked by ana@acme.example on 2026-11-09 · offered to you');
    expect(homeButtons(home)).toEqual(['transfer.accept 1', 'transfer.decline 1']);

    pressOnHome(h, 'cy', 'transfer.accept', '1');

    expect(await saidTo(h, 'cy', 'You accepted')).toBe('You accepted #1 ownership transfer of identity ci-deployer: ci-deployer is yours now, and you will be asked to confirm it.');
    expect(h.fake.callsTo('views.open')).toEqual([]);
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('cy'));
    const after = await nthHomeOf(h, 'cy', 2);
    expect(homeButtons(after)).toEqual([]);
    expect(JSON.stringify(after.blocks)).toContain('Items you own (1)');
    expect(homeTexts(after).join('\n')).toContain('*ci-deployer*');
    expect(homesOf(h, 'cy')).toHaveLength(2);
  });

  test('when someone else presses Accept on a Home tab, then they are refused in their DM and the item stays put', async () => {
    const h = await start();
    await ask(h, { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });

    pressOnHome(h, 'ben', 'transfer.accept', '1');


    expect(await saidTo(h, 'ben', '#1')).toBe('#1 ownership transfer of identity ci-deployer was offered to cy@acme.example; only they can accept or decline it.');
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('ana'));
    await nthHomeOf(h, 'ben', 1);
  });
});
