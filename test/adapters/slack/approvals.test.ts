import { afterEach, describe, expect, test } from 'vitest';
import { requestApproval } from '../../../src/approvals/approval-commands.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import type { SlackCall } from '../../support/fake-slack.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { secretShapes } from '../../support/secret-shapes.js';
import { blockActions, slashCommand, viewSubmission } from '../../support/sign-slack.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { itemFactsOf } from '../../storage/support/approved-state.js';
import { auditEvents, itemOf, openAttestationOf } from '../../storage/support/loop-state.js';
import { slackChannels, startHarness, userId, type Harness } from './slack-harness.js';

/*
 * Approvals in Slack, end to end over HTTP: a request typed with /steward, its card in the owning team's channel
 * mentioning the approver, Approve and Reject pressed by the wrong and the right people, the modals submitted,
 * the card rewritten with chat.update, the requester told in their DM, the decision POSTed signed to a webhook
 * receiver; transfers offered and accepted or declined, escalated by the tick; a decommission's typed ref; Request
 * rotation on a credential warning; and bad input refused with no change. The clock is fixed.
 */

const now = '2026-11-09T09:00:00.000Z';
const secret = 'steward-webhook-secret-0123456789abcdef';
const policy = loopPolicy({ admins: ['zed@acme.example'] });
const email = (name: string) => `${name}@acme.example`;

const items = [
  identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'card-vault', sensitivity: 'restricted', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'payments-api', sensitivity: 'internal', exposure: 'internal', revocationPath: 'runbook://payments/revoke', owner: ownedBy('payments', 'ana') }),
  apiEntry({ ref: 'orders-api', sensitivity: 'internal', exposure: 'internal', links: [{ relation: 'depends_on', kind: 'api', ref: 'payments-api' }], owner: ownedBy('ledger', 'lia') }),
];

let harness: Harness | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await harness?.close();
  await receiver?.close();
  harness = undefined;
  receiver = undefined;
});


async function start(options: { webhook?: boolean; items?: typeof items } = {}): Promise<Harness> {
  if (options.webhook) receiver = await startWebhookReceiver({ secret, now: () => new Date(now) });
  harness = await startHarness({ items: options.items ?? items, policy, clock: now, ...(receiver ? { webhook: { url: receiver.url, secret } } : {}) });
  return harness;
}

/** `/steward <text>` typed by `who`: the private answer's text. */
async function slash(h: Harness, who: string, text: string, id: string): Promise<string> {
  await h.send.command(slashCommand(userId(who), text, h.fake.responseUrl(id)));
  const answer = await h.fake.waitFor((c) => c.path === `/respond/${id}`);
  expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
  return String(answer.args.text);
}

/** The first post to a channel (or DM) whose text matches, once the pump has delivered it. */
async function posted(h: Harness, channel: string, text: RegExp): Promise<{ call: SlackCall; channel: string; ts: string }> {
  h.pump.kick();
  const call = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200 && c.answer.channel === channel && text.test(String(c.args.text)));
  return { call, channel, ts: String(call.answer.ts) };
}

interface Button {
  readonly action_id: string;
  readonly value: string;
}

function buttonsIn(blocks: unknown): Button[] {
  return (Array.isArray(blocks) ? blocks : []).flatMap((block: { type?: string; elements?: Array<{ type?: string } & Button> }) =>
    block.type === 'actions' ? (block.elements ?? []).filter((e) => e.type === 'button').map((e) => ({ action_id: e.action_id, value: e.value })) : [],
  );
}

/** A button pressed by `who` on a message: the click as Slack sends it, answered under the message at `/respond/<id>`. */
function press(h: Harness, who: string, actionId: string, value: string, where: { channel: string; ts: string }, id: string) {
  const click = blockActions(userId(who), { actionId, value }, where, h.fake.responseUrl(id));
  return { click, sent: h.send.interaction(click) };
}

/** The private answer to a click. */
async function told(h: Harness, id: string): Promise<string> {
  return String((await h.fake.waitFor((c) => c.path === `/respond/${id}`)).args.text);
}

/** The modal a click opened (views.open with its trigger id). */
async function opened(h: Harness, triggerId: unknown) {
  const call = await h.fake.waitFor((c) => c.method === 'views.open' && c.args.trigger_id === triggerId);
  return call.args.view as { callback_id: string; private_metadata: string; blocks: Array<{ type: string; block_id?: string }> };
}

function submit(h: Harness, who: string, view: { callback_id: string; private_metadata: string }, typed: Record<string, string>) {
  const values = Object.fromEntries(Object.entries(typed).map(([block, value]) => [block, { value: { type: 'plain_text_input', value } }]));
  return h.send.interaction(viewSubmission(userId(who), { callback_id: view.callback_id, private_metadata: view.private_metadata, values }));
}

async function approvalRows(h: Harness) {
  const { requests } = await h.store.listApprovals({ pending: false, limit: 100 });
  return requests.map(({ id, kind, status, offer }) => ({ id, kind, status, offer })).reverse();
}

const ephemeralTo = (h: Harness, who: string) => h.fake.callsTo('chat.postEphemeral').filter((c) => c.args.user === userId(who)).map((c) => String(c.args.text));

describe('a scope change from /steward to the webhook', () => {
  test('when ana asks, the wrong person presses Approve, then the approver approves in the modal, then the change is applied once, the card rewritten, ana told and the webhook called; a retry changes nothing', async () => {
    const h = await start({ webhook: true });

    // The request, typed as a new user would.
    const asked = await slash(h, 'ana', 'request scope_change ci-deployer --scopes "read write" --reason "deploys need to write artefacts"', 'ask');
    expect(asked).toMatch(/#1/);
    const card = await posted(h, slackChannels.payments, /Approval needed: scope change of identity ci-deployer/);
    expect(String(card.call.args.text)).toContain(`<@${userId('lena')}>`);
    expect(JSON.stringify(card.call.args.blocks)).toContain(`<@${userId('lena')}>`);
    expect(buttonsIn(card.call.args.blocks)).toEqual([
      { action_id: 'approval.approve', value: '1' },
      { action_id: 'approval.reject', value: '1' },
    ]);

    // Ben is not the approver: refused privately, no modal, nothing changes.
    const wrong = press(h, 'ben', 'approval.approve', '1', card, 'ben');
    expect((await wrong.sent).status).toBe(200);
    expect(await told(h, 'ben')).toBe('Only lena@acme.example can decide #1 scope change of identity ci-deployer; nothing changed.');
    expect(h.fake.callsTo('views.open')).toEqual([]);
    expect(itemFactsOf(h.store, 'ci-deployer').scopes).toEqual(['read']);
    expect(await approvalRows(h)).toEqual([{ id: 1, kind: 'scope_change', status: 'pending', offer: null }]);
    expect(auditEvents(h.store, { action: 'approval.voted' })).toEqual([]);

    // Ana asked for it: she may not approve it either.
    press(h, 'ana', 'approval.approve', '1', card, 'ana-own');
    expect(await told(h, 'ana-own')).toMatch(/^You asked for #1 scope change of identity ci-deployer, so someone else must decide it/);

    // Lena presses Approve: the modal opens; she submits it.
    const right = press(h, 'lena', 'approval.approve', '1', card, 'lena');
    const view = await opened(h, right.click.trigger_id);
    expect(view.callback_id).toBe('approval.approve');
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['decision.reason']);
    const submitted = await submit(h, 'lena', view, { 'decision.reason': 'fine for the release' });
    expect(submitted).toMatchObject({ status: 200, body: '' });

    const answer = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === userId('lena'));
    expect(answer.args.channel).toBe(card.channel);
    expect(answer.args.text).toMatch(/^You approved #1 scope change of identity ci-deployer: Approved and applied: scopes read → read write\./);
    expect(itemFactsOf(h.store, 'ci-deployer').scopes).toEqual(['read', 'write']);

    // The card rewritten without buttons, with who decided, when and why.
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === card.ts);
    expect(update.args.channel).toBe(card.channel);
    expect(buttonsIn(update.args.blocks)).toEqual([]);
    expect(JSON.stringify(update.args.blocks)).toContain('Approved by lena@acme.example on 2026-11-09: fine for the release');

    // Ana told privately, in her DM.
    const receipt = await posted(h, `D${userId('ana')}`, /Your request #1 scope change of identity ci-deployer: approved/);
    expect(JSON.stringify(receipt.call.args.blocks)).toContain('fine for the release');

    // The webhook called once, signed, verified by the receiver.
    h.webhookPump?.kick();
    await h.webhookPump?.idle();
    const [hook, ...moreHooks] = receiver?.accepted() ?? [];
    expect(moreHooks).toEqual([]);
    expect(hook?.verification).toMatchObject({ ok: true });
    expect(hook?.headers['steward-event-id']).toBe('approval-1-approved');
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      type: 'approval.decided',
      request: { id: 1, kind: 'scope_change', status: 'approved', item: { ref: 'ci-deployer' }, requester: email('ana'), decidedBy: [email('lena')], reason: 'fine for the release', payload: { scopes: ['read', 'write'] } },
    });

    // The same submission retried, and the button pressed again: applied once.
    await submit(h, 'lena', view, { 'decision.reason': 'fine for the release' });
    await h.fake.waitFor(() => ephemeralTo(h, 'lena').length === 2);
    expect(ephemeralTo(h, 'lena')[1]).toBe('#1 scope change of identity ci-deployer was already approved by lena@acme.example on 2026-11-09; nothing changed.');
    const again = press(h, 'lena', 'approval.approve', '1', card, 'lena-again');
    // Refused before any modal would open: once the refusal is said, no modal comes for that click.
    expect(await told(h, 'lena-again')).toBe('#1 scope change of identity ci-deployer was already approved by lena@acme.example on 2026-11-09; nothing changed.');
    expect(h.fake.callsTo('views.open').filter((c) => c.args.trigger_id === again.click.trigger_id)).toEqual([]);
    expect(auditEvents(h.store, { action: 'approval.decided' })).toHaveLength(1);
    expect(auditEvents(h.store, { action: 'item.scopes_changed' })).toHaveLength(1);
    expect(h.fake.callsTo('chat.update').filter((c) => c.args.ts === card.ts)).toHaveLength(1);
    await h.webhookPump?.idle();
    expect(receiver?.requests).toHaveLength(1);
  });

  test('when Reject is pressed, then its modal asks why; submitted without a reason it stays open with the error, and nothing changes', async () => {
    const h = await start();
    await slash(h, 'ana', 'request scope_change ci-deployer --scopes "read write" --reason "deploys"', 'ask');
    const card = await posted(h, slackChannels.payments, /Approval needed/);
    const reject = press(h, 'lena', 'approval.reject', '1', card, 'reject');
    const view = await opened(h, reject.click.trigger_id);

    const blank = await submit(h, 'lena', view, { 'decision.reason': '  ' });
    expect(JSON.parse(blank.body)).toEqual({ response_action: 'errors', errors: { 'decision.reason': 'Say why: the requester is told.' } });
    expect((await approvalRows(h))[0]?.status).toBe('pending');

    await submit(h, 'lena', view, { 'decision.reason': 'use a narrower scope' });
    const answer = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === userId('lena'));
    expect(answer.args.text).toBe('You rejected #1 scope change of identity ci-deployer; nothing changes, and ana@acme.example is told why.');
    expect(itemFactsOf(h.store, 'ci-deployer').scopes).toEqual(['read']);
    const receipt = await posted(h, `D${userId('ana')}`, /Your request #1 .*: rejected/);
    expect(JSON.stringify(receipt.call.args.blocks)).toContain('use a narrower scope');
  });
});

describe('Update… with new scopes', () => {
  test('when the owner changes the scopes with a reason in the Update modal, then the scopes wait for the approver as a scope change request, posted to the channel', async () => {
    const h = await start();
    await tick(h.store, policy, now);
    const { id } = openAttestationOf(h.store, 'ci-deployer');
    const prompt = await posted(h, `D${userId('ana')}`, /to confirm/);
    const update = press(h, 'ana', 'attest.update', String(id), prompt, 'update');
    const view = await opened(h, update.click.trigger_id);
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toContain('update.reason');

    await submit(h, 'ana', view, { 'fact.scopes': 'read write', 'update.reason': 'deploys publish artefacts' });

    await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === userId('ana'));
    expect(itemFactsOf(h.store, 'ci-deployer').scopes).toEqual(['read']);
    expect(await approvalRows(h)).toEqual([{ id: 1, kind: 'scope_change', status: 'pending', offer: null }]);
    const card = await posted(h, slackChannels.payments, /Approval needed: scope change of identity ci-deployer/);
    expect(JSON.stringify(card.call.args.blocks)).toContain('deploys publish artefacts');
  });
});

describe('two approvers at once', () => {
  test('when both approvers of a restricted item submit their approvals at the same moment, then both are recorded once and the request is approved once', async () => {
    const h = await start();
    const itemId = await h.store.itemIdOf('api', 'card-vault');
    const asked = await requestApproval(h.store, fixedClock(now), policy, { actor: { email: email('ana') }, itemId, request: { kind: 'exception', until: '2026-12-01', rule: null, justification: 'audit freeze' } });
    expect(asked.result.ok).toBe(true);
    h.pump.kick();
    const card = await posted(h, slackChannels.payments, /Approval needed: exception of API card-vault/);
    expect(String(card.call.args.text)).toContain(`<@${userId('lena')}>, <@${userId('zed')}>`);

    const lena = press(h, 'lena', 'approval.approve', '1', card, 'lena');
    const zed = press(h, 'zed', 'approval.approve', '1', card, 'zed');
    const [lenaView, zedView] = await Promise.all([opened(h, lena.click.trigger_id), opened(h, zed.click.trigger_id)]);
    const responses = await Promise.all([submit(h, 'lena', lenaView, {}), submit(h, 'zed', zedView, {})]);

    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    await h.fake.waitFor(() => h.fake.callsTo('chat.postEphemeral').length === 2);
    const answers = h.fake.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
    expect(answers.filter((t) => /1 of 2 approvals/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /Approved until 2026-12-01/.test(t))).toHaveLength(1);
    expect(await approvalRows(h)).toEqual([{ id: 1, kind: 'exception', status: 'approved', offer: null }]);
    expect(auditEvents(h.store, { action: 'approval.voted' }).map((e) => e.actor).sort()).toEqual([email('lena'), email('zed')]);
    expect(auditEvents(h.store, { action: 'approval.decided' })).toHaveLength(1);
    await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === card.ts && /Approved by/.test(JSON.stringify(c.args.blocks)));
  });
});

describe('a transfer is a handshake', () => {
  test('when ana offers ci-deployer to @cy (a Slack mention) and cy accepts, then it changes hands, the offer is rewritten and ana is told', async () => {
    const h = await start();
    const asked = await slash(h, 'ana', `transfer ci-deployer --to <@${userId('cy')}|cy> --reason "cy runs CI now"`, 'offer');
    expect(asked).toMatch(/#1/);
    const offer = await posted(h, `D${userId('cy')}`, /offers you identity ci-deployer/);
    expect(buttonsIn(offer.call.args.blocks)).toEqual([
      { action_id: 'transfer.accept', value: '1' },
      { action_id: 'transfer.decline', value: '1' },
    ]);
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('ana'));

    // Someone else's Accept is refused; cy's is applied at once, no modal.
    press(h, 'ben', 'transfer.accept', '1', offer, 'ben');
    expect(await told(h, 'ben')).toBe('#1 ownership transfer of identity ci-deployer was offered to cy@acme.example; only they can accept or decline it.');
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('ana'));
    press(h, 'cy', 'transfer.accept', '1', offer, 'cy');
    expect(await told(h, 'cy')).toBe('You accepted #1 ownership transfer of identity ci-deployer: ci-deployer is yours now, and you will be asked to confirm it.');
    expect(h.fake.callsTo('views.open')).toEqual([]);
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('cy'));

    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === offer.ts);
    expect(buttonsIn(update.args.blocks)).toEqual([]);
    await posted(h, `D${userId('ana')}`, /Your request #1 ownership transfer of identity ci-deployer: approved/);
  });

  test('when cy declines in the modal, then a reason is required, the item stays with ana, and ana is told why', async () => {
    const h = await start();
    await slash(h, 'ana', `transfer ci-deployer --to ${email('cy')}`, 'offer');
    const offer = await posted(h, `D${userId('cy')}`, /offers you/);
    const decline = press(h, 'cy', 'transfer.decline', '1', offer, 'decline');
    const view = await opened(h, decline.click.trigger_id);
    expect(view.callback_id).toBe('transfer.decline');

    const blank = await submit(h, 'cy', view, {});
    expect(JSON.parse(blank.body)).toEqual({ response_action: 'errors', errors: { 'decision.reason': 'Say why: whoever offered it is told.' } });
    expect((await approvalRows(h))[0]).toMatchObject({ status: 'pending', offer: 'offered' });

    await submit(h, 'cy', view, { 'decision.reason': 'not my team' });
    const answer = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === userId('cy'));
    expect(answer.args).toMatchObject({ channel: offer.channel });
    expect(answer.args.text).toMatch(/^You declined #1 ownership transfer of identity ci-deployer; ci-deployer stays with ana@acme.example/);
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('ana'));
    const receipt = await posted(h, `D${userId('ana')}`, /Your request #1 ownership transfer .*: rejected/);
    expect(JSON.stringify(receipt.call.args.blocks)).toContain('not my team');
  });

  test('when cy never answers, then the tick reminds cy and then escalates the offer, each delivered in Slack', async () => {
    const h = await start();
    await slash(h, 'ana', `transfer ci-deployer --to ${email('cy')}`, 'offer');
    await posted(h, `D${userId('cy')}`, /offers you/);

    h.moveClock(plusDays(now, 2));
    await tick(h.store, policy, plusDays(now, 2));
    await posted(h, `D${userId('cy')}`, /^Reminder: ana@acme\.example offers you identity ci-deployer/);
    expect(auditEvents(h.store, { action: 'transfer.reminded' })).toHaveLength(1);

    const before = h.fake.callsTo('chat.postMessage').length;
    for (const day of [5, 7, 8]) {
      h.moveClock(plusDays(now, day));
      await tick(h.store, policy, plusDays(now, day));
    }
    // The first rung of the ladder: the item's backup (ben) hears that the offer waits.
    const [escalated] = auditEvents(h.store, { action: 'transfer.escalated' });
    expect(escalated).toMatchObject({ at: plusDays(now, 7), details: { to: email('ben'), level: 1 } });
    h.pump.kick();
    await h.pump.idle();
    const later = h.fake.callsTo('chat.postMessage').slice(before).filter((c) => c.status === 200 && c.answer.channel === `D${userId('ben')}`);
    expect(later.map((c) => String(c.args.text))).toEqual([expect.stringMatching(/#1 ownership transfer of identity ci-deployer/)]);
    expect(itemOf(h.store, 'ci-deployer').accountable).toBe(email('ana'));
  });
});

describe('a decommission needs the ref typed', () => {
  test('when the approver types the wrong ref, then the modal shows the error and nothing changes; the right ref retires it', async () => {
    const h = await start();
    await slash(h, 'ana', 'request decommission payments-api --reason "replaced by payments-v2"', 'ask');
    const card = await posted(h, slackChannels.payments, /Approval needed: decommission of API payments-api/);
    expect(JSON.stringify(card.call.args.blocks)).toContain('orders-api');
    // Its dependents' owner is told before the approver decides.
    await posted(h, `D${userId('lia')}`, /API payments-api may be decommissioned/);

    const approve = press(h, 'lena', 'approval.approve', '1', card, 'approve');
    const view = await opened(h, approve.click.trigger_id);
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toEqual(['decision.reason', 'decision.confirm_ref']);

    const wrong = await submit(h, 'lena', view, { 'decision.confirm_ref': 'orders-api' });
    expect(JSON.parse(wrong.body)).toEqual({ response_action: 'errors', errors: { 'decision.confirm_ref': 'That is not payments-api: type the item’s ref exactly to confirm.' } });
    expect(itemFactsOf(h.store, 'payments-api').lifecycle).not.toBe('decommissioned');
    expect((await approvalRows(h))[0]?.status).toBe('pending');

    await submit(h, 'lena', view, { 'decision.confirm_ref': 'payments-api' });
    const answer = await h.fake.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.user === userId('lena'));
    expect(answer.args.text).toMatch(/^You approved #1 decommission of API payments-api/);
    expect(itemFactsOf(h.store, 'payments-api').lifecycle).toBe('decommissioned');
  });
});

describe('a request that no longer stands', () => {
  test('when the item was retired by its source since, then Approve opens no form: the request is cancelled, the presser told, the card rewritten', async () => {
    const h = await start();
    await slash(h, 'ana', 'request scope_change ci-deployer --scopes "read write" --reason "artefacts"', 'ask');
    const card = await posted(h, slackChannels.payments, /Approval needed: scope change of identity ci-deployer/);
    const retired = items.map((entry) => (entry.type === 'identity' ? identityEntry({ ref: 'ci-deployer', scopes: ['read'], status: 'decommissioned', owner: ownedBy('payments', 'ana', 'ben') }) : entry));
    await importLoop(h.store, now, retired);

    const approve = press(h, 'lena', 'approval.approve', '1', card, 'stale');
    expect(await told(h, 'stale')).toMatch(/^#1 scope change of identity ci-deployer no longer stands: ci-deployer was retired\. It is cancelled, nothing changed/);
    expect(h.fake.callsTo('views.open').filter((c) => c.args.trigger_id === approve.click.trigger_id)).toEqual([]);
    expect((await approvalRows(h))[0]?.status).toBe('cancelled');
    h.pump.kick();
    await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === card.ts && /Cancelled on/.test(JSON.stringify(c.args.blocks)));
  });
});

describe('Request rotation on a credential warning', () => {
  test('when the owner presses Request rotation, then a rotation request is raised at once, they are told privately, its card is posted, and the button goes', async () => {
    const expiring = identityEntry({ ref: 'deploy-key', identityKind: 'api_key', expiresAt: plusDays(now, 10), owner: ownedBy('payments', 'ana', 'ben') });
    const h = await start({ items: [...items, expiring] });
    await tick(h.store, policy, now);
    const warning = await posted(h, `D${userId('ana')}`, /need.* attention/);
    const itemId = await h.store.itemIdOf('identity', 'deploy-key');
    const button = buttonsIn(warning.call.args.blocks).find((b) => b.action_id === 'request.rotation' && b.value.startsWith(`${itemId}:`));
    expect(button?.value).toBe(`${itemId}:expiry_warning`);

    press(h, 'ana', 'request.rotation', button?.value ?? '', warning, 'rotate');

    expect(await told(h, 'rotate')).toMatch(/#1/);
    expect(await approvalRows(h)).toEqual([{ id: 1, kind: 'rotation', status: 'pending', offer: null }]);
    await posted(h, slackChannels.payments, /Approval needed: rotation of identity deploy-key/);
    const update = await h.fake.waitFor((c) => c.method === 'chat.update' && c.args.ts === warning.ts);
    expect(buttonsIn(update.args.blocks).filter((b) => b.value === button?.value)).toEqual([]);
  });
});

describe('bad input through /steward is answered clearly and changes nothing', () => {
  test.each([
    ['an unknown ref', 'request scope_change no-such-thing --scopes "read write" --reason "needed"', /no-such-thing/],
    ['an invalid scope', 'request scope_change ci-deployer --scopes "read &lt;write&gt;" --reason "needed"', /scope/i],
    ['an over-long reason', `request scope_change ci-deployer --scopes "read write" --reason "${'r'.repeat(2001)}"`, /2,000 characters/],
    ['a pasted secret in the justification', `request rotation ci-deployer --reason "old key ${secretShapes.awsSecretAccessKey()}"`, /never stores secrets/],
  ])('when a request has %s, then the answer says what is wrong, privately, and no request is recorded', async (_, text, answer) => {
    const h = await start();

    const said = await slash(h, 'ana', text, 'bad');

    expect(said).toMatch(answer);
    expect(said).not.toMatch(/\bat \S+\.(js|ts):\d+/);
    expect(await approvalRows(h)).toEqual([]);
    expect(auditEvents(h.store, { action: 'approval.requested' })).toEqual([]);
    expect(auditEvents(h.store).filter((e) => e.action.startsWith('approval.') && e.action !== 'approval.request_refused')).toEqual([]);
    h.pump.kick();
    await h.pump.idle();
    expect(h.fake.callsTo('chat.postMessage')).toEqual([]);
  });
});
