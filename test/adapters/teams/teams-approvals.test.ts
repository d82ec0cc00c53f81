import { afterEach, describe, expect, test } from 'vitest';
import { requestApproval } from '../../../src/approvals/approval-commands.js';
import type { RequestInput } from '../../../src/approvals/request-input.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { directoryEntries, importLoop, ownedBy, tick } from '../../support/loop.js';
import { itemFactsOf } from '../../storage/support/approved-state.js';
import { auditEvents, itemOf, openAttestationOf } from '../../storage/support/loop-state.js';
import { inputId } from '../../../adapters/teams/cards/input-ids.js';
import { channelOf, member, personalConversation, startTeamsHarness, type TeamsHarness } from './teams-harness.js';
import { cardOf, cardType, executesIn, type Execute } from './sent-cards.js';
import { objectsIn, splitTeamsExtension, textsIn } from './cards/card-schema.js';
import type { SentActivity } from '../../support/fake-bot-connector.js';

/*
 * Approvals in Teams, end to end over HTTP: a request is posted to the owning team's bound channel mentioning its
 * approver; only the approver's Approve or Reject is applied (anyone else is answered, alone, with why), once
 * however often it is sent; a refused form comes back open with the core's words; the requester is told in their
 * 1:1 chat. A transfer's Accept and Decline in the proposed owner's 1:1 chat; a decommission's typed ref.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const now = '2026-11-09T09:00:00.000Z';
const email = (name: string) => `${name}@acme.example`;
const items = [
  identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'payments-api', sensitivity: 'internal', exposure: 'internal', revocationPath: 'runbook://payments/revoke', owner: ownedBy('payments', 'ana') }),
  apiEntry({ ref: 'orders-api', sensitivity: 'internal', exposure: 'internal', links: [{ relation: 'depends_on', kind: 'api', ref: 'payments-api' }], owner: ownedBy('ledger', 'lia') }),
];

/** An API key of Ana's that expires in eleven days: the tick warns her, with Request rotation. */
async function importExpiring(h: TeamsHarness) {
  await importLoop(h.store, now, [...items, identityEntry({ ref: 'deploy-key', identityKind: 'api_key', expiresAt: '2026-11-20T00:00:00.000Z', owner: ownedBy('payments', 'ana') })], directoryEntries());
}

const sentTo = (h: TeamsHarness, conversationId: string) => h.fake.sent.filter((s) => s.conversationId === conversationId && cardOf(s) !== undefined);
const shownIn = (answer: { body: unknown }) => (answer.body as { value: unknown }).value;
const words = (card: unknown) => textsIn(card).join('\n');

/** Payments' channel bound by Lena, its lead; Ana (who asks) and Cy have Steward in their personal scope. */
async function started(): Promise<TeamsHarness> {
  const h = await startTeamsHarness({ items, clock: now });
  for (const name of ['ana', 'cy', 'lia']) expect((await h.post(h.installedBy(name))).status).toBe(200);
  await h.post(h.inChannel('lena', channelOf('payments'), 'here team payments'));
  await h.deliver();
  return h;
}

async function ask(h: TeamsHarness, who: string, kind: 'api' | 'identity', ref: string, request: RequestInput) {
  const plan = await requestApproval(h.store, fixedClock(now), h.policy, { actor: { email: email(who) }, itemId: await h.store.itemIdOf(kind, ref), request });
  expect(plan.result).toMatchObject({ ok: true });
  await h.deliver();
  return plan.result.ok ? plan.result.id : 0;
}

/** The one card posted to a conversation, with the activity that carried it. */
function postedIn(h: TeamsHarness, conversationId: string): { sent: SentActivity; card: unknown } {
  const posted = sentTo(h, conversationId).filter((s) => s.kind !== 'update');
  expect(posted, `one card in ${conversationId}`).toHaveLength(1);
  const [sent] = posted;
  if (sent === undefined) throw new Error('no card');
  return { sent, card: cardOf(sent) };
}

/** The submit button of a form (or a button) with `verb`, sent with what was typed in its inputs by field. */
function submit(card: unknown, verb: string, typed: Record<string, string> = {}): Execute {
  const button = executesIn(card).find((e) => e.verb === verb);
  if (button === undefined) throw new Error(`no ${verb} on the card`);
  const value = String(button.data.value);
  const inputs = Object.fromEntries(Object.entries(typed).map(([field, text]) => [inputId(verb as never, field as never, value), text]));
  return { verb, data: { ...button.data, ...inputs } };
}

async function press(h: TeamsHarness, who: string, conversationId: string, sent: SentActivity, action: Execute) {
  const answer = await h.post(h.click(who, conversationId, sent.activityId, action.verb, action.data));
  expect(answer).toMatchObject({ status: 200, body: { statusCode: 200, type: cardType } });
  return answer;
}

const status = (h: TeamsHarness, id: number) => h.store.getApproval(id).then((r) => r?.status);

describe('a scope change decided in the team’s channel', () => {
  test('when Ana asks for a scope change, then the card in payments’ channel mentions Lena, its approver, by her Entra id, with Approve and Reject', async () => {
    harness = await started();

    await ask(harness, 'ana', 'identity', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'Deploys now write artefacts' });

    const { card } = postedIn(harness, channelOf('payments'));
    expect(words(card)).toContain('scopes read → read write');
    expect(words(card)).toContain('For <at>Lena</at>');
    expect(splitTeamsExtension(card).mentions).toEqual([{ type: 'mention', text: '<at>Lena</at>', mentioned: { id: member('lena').aadObjectId, name: 'Lena' } }]);
    expect(executesIn(card).map((e) => e.verb)).toEqual(['approval.approve', 'approval.reject']);
  });

  test('when Ben presses Approve, then he alone is told only Lena can decide and nothing changes; when Lena does, it is applied, the card rewritten, Ana told; the same press again is applied once', async () => {
    harness = await started();
    const id = await ask(harness, 'ana', 'identity', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'Deploys now write artefacts' });
    const { sent, card } = postedIn(harness, channelOf('payments'));
    const channel = channelOf('payments');

    const refused = await press(harness, 'ben', channel, sent, submit(card, 'approval.approve', { reason: 'sure' }));
    expect(words(shownIn(refused))).toMatch(/Only lena@acme.example can decide/);
    expect(executesIn(shownIn(refused)).map((e) => e.verb)).toContain('approval.approve');
    expect(await status(harness, id)).toBe('pending');
    expect(itemFactsOf(harness.store, 'ci-deployer').scopes).toEqual(['read']);
    await harness.deliver();
    expect(harness.fake.sent.filter((s) => s.kind === 'update')).toEqual([]);

    const approve = submit(card, 'approval.approve', { reason: 'Checked with the platform team' });
    const approved = await press(harness, 'lena', channel, sent, approve);
    expect(words(shownIn(approved))).toMatch(/You approved #1 scope change/);
    expect(executesIn(shownIn(approved))).toEqual([]);
    expect(await status(harness, id)).toBe('approved');
    expect(itemFactsOf(harness.store, 'ci-deployer').scopes).toEqual(['read', 'write']);

    await harness.deliver();
    const rewritten = harness.fake.sent.filter((s) => s.kind === 'update' && s.conversationId === channel);
    expect(rewritten.map((s) => s.activityId)).toEqual([sent.activityId]);
    expect(executesIn(cardOf(rewritten[0]))).toEqual([]);
    expect(words(cardOf(rewritten[0]))).toMatch(/Approved by lena@acme.example on 2026-11-09: Checked with the platform team/);
    const receipt = sentTo(harness, personalConversation('ana')).map((s) => words(cardOf(s)));
    expect(receipt).toEqual([expect.stringMatching(/Your request #1 scope change of identity ci-deployer: approved/)]);

    const again = await press(harness, 'lena', channel, sent, approve);
    expect(words(shownIn(again))).toMatch(/already approved by lena@acme.example/);
    expect(auditEvents(harness.store, { action: 'approval.decided' })).toHaveLength(1);
    expect(auditEvents(harness.store, { action: 'item.scopes_changed' })).toHaveLength(1);
  });

  test('when Lena sends Reject without a reason, then the form comes back open with the core’s words and nothing changes; with a reason, it is rejected and Ana told why', async () => {
    harness = await started();
    const id = await ask(harness, 'ana', 'identity', 'ci-deployer', { kind: 'scope_change', scopes: 'read admin', justification: 'Easier' });
    const { sent, card } = postedIn(harness, channelOf('payments'));

    const empty = await press(harness, 'lena', channelOf('payments'), sent, submit(card, 'approval.reject'));
    const form = objectsIn(shownIn(empty)).find((o) => o.id === 'approval.reject@1');
    expect(form).toMatchObject({ isVisible: true });
    expect(words(form)).toContain('Say why: the requester is told.');
    expect(await status(harness, id)).toBe('pending');

    const rejected = await press(harness, 'lena', channelOf('payments'), sent, submit(card, 'approval.reject', { reason: 'Admin is never needed to deploy' }));
    expect(words(shownIn(rejected))).toMatch(/You rejected #1/);
    expect(await status(harness, id)).toBe('rejected');
    expect(itemFactsOf(harness.store, 'ci-deployer').scopes).toEqual(['read']);
    await harness.deliver();
    expect(sentTo(harness, personalConversation('ana')).map((s) => words(cardOf(s)))).toEqual([expect.stringMatching(/Admin is never needed to deploy/)]);
  });
});

describe('requests made in Teams', () => {
  test('when Ana types request scope_change in her 1:1 chat, then she is answered there and the card reaches payments’ channel for Lena', async () => {
    harness = await started();

    const asked = await harness.post(harness.personal('ana', 'request scope_change ci-deployer --scopes "read write" --reason "Deploys now write artefacts"'));
    await harness.deliver();

    expect(asked.status).toBe(200);
    const reply = harness.fake.sent.find((s) => s.conversationId === personalConversation('ana') && cardOf(s) === undefined);
    expect(reply?.activity.text).toMatch(/#1/);
    const { card } = postedIn(harness, channelOf('payments'));
    expect(words(card)).toContain('scopes read → read write');
    expect(splitTeamsExtension(card).mentions.map((m) => m.mentioned.id)).toEqual([member('lena').aadObjectId]);
  });

  test('when Ana presses Request rotation on a credential warning, then a rotation request is raised once and its card posted to payments’ channel', async () => {
    harness = await started();
    await importExpiring(harness);
    await tick(harness.store, harness.policy, now);
    await harness.deliver();
    const warning = sentTo(harness, personalConversation('ana')).find((s) => executesIn(cardOf(s)).some((e) => e.verb === 'request.rotation'));
    if (warning === undefined) throw new Error(`no warning with Request rotation reached Ana: ${JSON.stringify(harness.fake.sent.map((s) => words(cardOf(s))))}`);
    const keyId = await harness.store.itemIdOf('identity', 'deploy-key');
    const rotate = executesIn(cardOf(warning)).find((e) => e.verb === 'request.rotation' && String(e.data.value).startsWith(`${keyId}:`));
    if (rotate === undefined) throw new Error('no Request rotation for deploy-key');

    const answer = await press(harness, 'ana', personalConversation('ana'), warning, rotate);
    const again = await press(harness, 'ana', personalConversation('ana'), warning, rotate);
    await harness.deliver();

    expect(words(shownIn(answer))).toMatch(/Request #1 rotation of identity deploy-key goes to the payments team's channel/);
    expect(words(shownIn(answer))).toMatch(/Rotation requested as #1 by ana@acme.example/);
    expect(executesIn(shownIn(answer)).map((e) => e.data.value)).not.toContain(rotate.data.value);
    // The second press finds the request pending: it is said so, and no second request is raised.
    expect(words(shownIn(again))).toMatch(/#1/);
    const requests = await harness.store.listApprovals({ pending: true, limit: 10 });
    expect(requests.requests.map((r) => [r.kind, r.item.ref])).toEqual([['rotation', 'deploy-key']]);
    expect(auditEvents(harness.store, { action: 'approval.requested' })).toHaveLength(1);
    expect(words(postedIn(harness, channelOf('payments')).card)).toMatch(/rotate the credential/);
  });
});

describe('Update… on a prompt changes no scope without an approver', () => {
  test('when Ana sends Update… with new scopes and why, then the scopes wait for Lena: the request is posted to payments’ channel with Ana’s reason', async () => {
    harness = await started();
    await tick(harness.store, harness.policy, now);
    await harness.deliver();
    const prompt = sentTo(harness, personalConversation('ana')).find((s) => executesIn(cardOf(s)).some((e) => e.verb === 'attest.update'));
    if (prompt === undefined) throw new Error('no prompt reached Ana');
    const card = cardOf(prompt);
    const value = String(openAttestationOf(harness.store, 'ci-deployer').id);
    const target = executesIn(card).find((e) => e.verb === 'attest.update' && e.data.value === value);
    if (target === undefined) throw new Error('no Update… for ci-deployer');
    const form = objectsIn(card).find((o) => o.id === `attest.update@${value}`);
    expect(objectsIn(form).map((o) => o.id)).toContain(inputId('attest.update', 'reason', value));

    const answer = await press(harness, 'ana', personalConversation('ana'), prompt, {
      verb: 'attest.update',
      data: { ...target.data, [inputId('attest.update', 'scopes', value)]: 'read write', [inputId('attest.update', 'reason', value)]: 'Deploys now write artefacts' },
    });
    await harness.deliver();

    expect(words(shownIn(answer))).toMatch(/#1/);
    expect(itemFactsOf(harness.store, 'ci-deployer').scopes).toEqual(['read']);
    const requests = await harness.store.listApprovals({ pending: true, limit: 10 });
    expect(requests.requests.map((r) => [r.kind, r.item.ref, r.justification])).toEqual([['scope_change', 'ci-deployer', 'Deploys now write artefacts']]);
    expect(words(postedIn(harness, channelOf('payments')).card)).toContain('scopes read → read write');
  });
});

describe('a transfer in the proposed owner’s 1:1 chat', () => {
  test('when Cy accepts the item Ana offers him, then he is accountable for it and the offer loses its buttons', async () => {
    harness = await started();
    const id = await ask(harness, 'ana', 'identity', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'Cy runs CI now' });
    const { sent, card } = postedIn(harness, personalConversation('cy'));
    expect(executesIn(card).map((e) => e.verb)).toEqual(['transfer.accept', 'transfer.decline']);

    // Ben, whom Steward knows in Teams, with Cy's card (forwarded, or a forged invoke): refused, nothing changes.
    await harness.post(harness.installedBy('ben'));
    const wrong = await press(harness, 'ben', personalConversation('cy'), sent, submit(card, 'transfer.accept'));
    expect(words(shownIn(wrong))).toMatch(/only they can accept or decline it/);
    expect(itemOf(harness.store, 'ci-deployer').accountable).toBe(email('ana'));

    const accepted = await press(harness, 'cy', personalConversation('cy'), sent, submit(card, 'transfer.accept'));
    expect(words(shownIn(accepted))).toMatch(/You accepted #1 ownership transfer/);
    expect(executesIn(shownIn(accepted))).toEqual([]);
    expect(await status(harness, id)).toBe('approved');
    expect(itemOf(harness.store, 'ci-deployer').accountable).toBe(email('cy'));
    await harness.deliver();
    const rewritten = harness.fake.sent.find((s) => s.kind === 'update' && s.conversationId === personalConversation('cy'));
    expect(executesIn(cardOf(rewritten))).toEqual([]);
  });

  test('when Cy declines, first without a reason, then the form asks why; with one, the item stays with Ana, who is told why', async () => {
    harness = await started();
    const id = await ask(harness, 'ana', 'identity', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });
    const { sent, card } = postedIn(harness, personalConversation('cy'));

    const empty = await press(harness, 'cy', personalConversation('cy'), sent, submit(card, 'transfer.decline'));
    expect(objectsIn(shownIn(empty)).find((o) => o.id === 'transfer.decline@1')).toMatchObject({ isVisible: true });
    expect(words(shownIn(empty))).toContain('Say why: whoever offered it is told.');
    expect(await status(harness, id)).toBe('pending');

    await press(harness, 'cy', personalConversation('cy'), sent, submit(card, 'transfer.decline', { reason: 'Not my team’s' }));
    expect(await status(harness, id)).toBe('rejected');
    expect(itemOf(harness.store, 'ci-deployer').accountable).toBe(email('ana'));
    await harness.deliver();
    expect(sentTo(harness, personalConversation('ana')).map((s) => words(cardOf(s)))).toEqual([expect.stringMatching(/Not my team’s/)]);
  });
});

describe('a decommission needs its ref typed', () => {
  test('when Lena approves with the wrong ref, then the error is on the field and nothing changes; with payments-api typed, it is retired', async () => {
    harness = await started();
    const id = await ask(harness, 'ana', 'api', 'payments-api', { kind: 'decommission', justification: 'Replaced by payments-v2' });
    const { sent, card } = postedIn(harness, channelOf('payments'));
    expect(words(card)).toMatch(/orders-api .*lia@acme.example/);
    expect(objectsIn(card).find((o) => o.id === inputId('approval.approve', 'confirmRef', '1'))).toMatchObject({ type: 'Input.Text' });
    // Lia, whose orders-api depends on it, was told before anyone decides.
    expect(sentTo(harness, personalConversation('lia')).map((s) => words(cardOf(s)))).toEqual([expect.stringMatching(/may be decommissioned/)]);

    const wrong = await press(harness, 'lena', channelOf('payments'), sent, submit(card, 'approval.approve', { confirmRef: 'payments' }));
    const form = objectsIn(shownIn(wrong)).find((o) => o.id === 'approval.approve@1');
    expect(form).toMatchObject({ isVisible: true });
    const afterField = (form?.items as Array<Record<string, unknown>>).findIndex((o) => o.id === inputId('approval.approve', 'confirmRef', '1'));
    expect((form?.items as Array<Record<string, unknown>>)[afterField + 1]).toMatchObject({ type: 'TextBlock', color: 'attention', text: expect.stringContaining('That is not payments-api') });
    expect(await status(harness, id)).toBe('pending');
    expect(itemFactsOf(harness.store, 'payments-api').lifecycle).not.toBe('decommissioned');

    await press(harness, 'lena', channelOf('payments'), sent, submit(card, 'approval.approve', { confirmRef: 'payments-api' }));
    expect(await status(harness, id)).toBe('approved');
    expect(itemFactsOf(harness.store, 'payments-api').lifecycle).toBe('decommissioned');
  });
});
