import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, plusDays, tick } from '../../support/loop.js';
import { attestations, auditEvents, deliveries, openAttestationOf, outbox } from '../../storage/support/loop-state.js';
import { channelOf, member, personalConversation, startTeamsHarness, type TeamsHarness } from './teams-harness.js';
import { cardType, executesIn, cardOf } from './sent-cards.js';
import { textsIn } from './cards/card-schema.js';

/*
 * The attestation loop in Teams, end to end over HTTP: an install remembers the owner's 1:1 chat, the tick's
 * prompt reaches it as an Adaptive Card, an Action.Execute click is recorded once, by the right person only, and
 * answered with the card as it now stands; commands in a personal chat and by @mention in a channel; channels
 * bound with `here`; a person Teams will not let Steward write to is escalated.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') })];

const sentTo = (h: TeamsHarness, conversationId: string) => h.fake.sent.filter((s) => s.conversationId === conversationId);

/** Ana installs Steward, the tick asks her, and the prompt is delivered: the card as Teams received it. */
async function promptDelivered(h: TeamsHarness) {
  expect((await h.post(h.installedBy('ana'))).status).toBe(200);
  await tick(h.store, h.policy, tickAt);
  await h.deliver();
  const sent = sentTo(h, personalConversation('ana')).find((s) => cardOf(s) !== undefined);
  if (sent === undefined) throw new Error(`no card reached Ana: ${JSON.stringify(h.fake.sent.map((s) => s.conversationId))}`);
  return { sent, card: cardOf(sent), attestationId: openAttestationOf(h.store, 'ledger-api').id };
}

describe('an install, a tick, a prompt in the 1:1 chat', () => {
  test('when Ana installs Steward and a tick asks her, then the prompt reaches her 1:1 chat as a card with her buttons, sent with the bot\'s token', async () => {
    harness = await startTeamsHarness({ items });

    const { sent, card, attestationId } = await promptDelivered(harness);

    expect(harness.fake.issued(sent.authorization)).toBe(true);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const verbs = executesIn(card).map((e) => e.verb);
    expect(verbs).toEqual(expect.arrayContaining(['attest.confirm', 'attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze']));
    expect(executesIn(card).every((e) => e.data.value === String(attestationId) && typeof e.data.delivery === 'number')).toBe(true);
    expect(textsIn(card).join('\n')).toContain('ledger-api');
  });

  test('when an owner Steward never met is in a team Steward is added to, then the tick creates her 1:1 chat and prompts her there', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: ownedBy('ledger', 'lia') })] });
    const added = harness.addedToTeam('leo');

    expect((await harness.post(added)).status).toBe(200);
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(harness.fake.created).toHaveLength(1);
    expect(harness.fake.created[0]?.parameters).toMatchObject({ isGroup: false, members: [{ id: '29:lia' }], tenantId: harness.fake.tenantId });
    const created = harness.fake.created[0]?.id ?? '';
    expect(executesIn(cardOf(sentTo(harness, created)[0])).map((e) => e.verb)).toContain('attest.confirm');
  });
});

describe('a click on the card', () => {
  test('when Ana clicks Confirm, then it is recorded, she is answered with the card showing the outcome and no buttons, and the card is rewritten for everyone', async () => {
    harness = await startTeamsHarness({ items });
    const { sent, card, attestationId } = await promptDelivered(harness);
    const confirm = executesIn(card).find((e) => e.verb === 'attest.confirm');

    const answer = await harness.post(harness.click('ana', personalConversation('ana'), sent.activityId, 'attest.confirm', confirm?.data ?? {}));

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ statusCode: 200, type: cardType, value: { type: 'AdaptiveCard' } });
    const shown = (answer.body as { value: unknown }).value;
    expect(executesIn(shown)).toEqual([]);
    expect(textsIn(shown).join('\n')).toMatch(/confirmed/i);
    expect(attestations(harness.store).find((a) => a.id === attestationId)).toMatchObject({ status: 'closed', outcome: 'attested', answeredBy: 'ana@acme.example' });
    await harness.deliver();
    const update = harness.fake.sent.find((s) => s.kind === 'update');
    expect(update).toMatchObject({ conversationId: personalConversation('ana'), activityId: sent.activityId });
    expect(executesIn(cardOf(update))).toEqual([]);
  });

  test('when the same click comes twice, then it is recorded once and the second is told it was answered already', async () => {
    harness = await startTeamsHarness({ items });
    const { sent, card } = await promptDelivered(harness);
    const confirm = executesIn(card).find((e) => e.verb === 'attest.confirm');
    const click = harness.click('ana', personalConversation('ana'), sent.activityId, 'attest.confirm', confirm?.data ?? {});

    await harness.post(click);
    const again = await harness.post({ ...click, id: 'c-again' });

    expect(again.status).toBe(200);
    expect(textsIn((again.body as { value: unknown }).value).join('\n')).toMatch(/already/i);
    expect(auditEvents(harness.store, { action: 'attestation.answered' })).toHaveLength(1);
  });

  test('when Cy, in the team but neither accountable nor backup, clicks Ana\'s Confirm, then he gets a card saying why and nothing changes', async () => {
    harness = await startTeamsHarness({ items });
    const { sent, card, attestationId } = await promptDelivered(harness);
    await harness.post(harness.installedBy('cy'));
    const confirm = executesIn(card).find((e) => e.verb === 'attest.confirm');

    const answer = await harness.post(harness.click('cy', personalConversation('ana'), sent.activityId, 'attest.confirm', confirm?.data ?? {}));

    expect(answer.status).toBe(200);
    expect(textsIn((answer.body as { value: unknown }).value).join('\n')).toMatch(/not yours|only .* can|accountable/i);
    expect(attestations(harness.store).find((a) => a.id === attestationId)).toMatchObject({ status: 'open' });
  });

  test('when Snooze is sent without its days, then the card comes back with the form open and the core\'s words, and nothing is recorded', async () => {
    harness = await startTeamsHarness({ items });
    const { sent, card, attestationId } = await promptDelivered(harness);
    const snooze = executesIn(card).find((e) => e.verb === 'attest.snooze');

    const answer = await harness.post(harness.click('ana', personalConversation('ana'), sent.activityId, 'attest.snooze', snooze?.data ?? {}));

    expect(textsIn((answer.body as { value: unknown }).value).join('\n')).toMatch(/days/i);
    expect(attestations(harness.store).find((a) => a.id === attestationId)).toMatchObject({ status: 'open' });
  });

  test('when a click names a delivery of another conversation, then only the notice is shown, never that message', async () => {
    harness = await startTeamsHarness({ items });
    const { sent, card } = await promptDelivered(harness);
    const confirm = executesIn(card).find((e) => e.verb === 'attest.confirm');

    const answer = await harness.post(harness.click('ben', personalConversation('ben'), sent.activityId, 'attest.confirm', confirm?.data ?? {}));

    expect(answer.status).toBe(200);
    const shown = JSON.stringify((answer.body as { value: unknown }).value);
    expect(shown).not.toContain('Keeps the ledger');
    expect(executesIn((answer.body as { value: unknown }).value)).toEqual([]);
  });
});

describe('commands', () => {
  test('when Ana types who in her 1:1 chat, then Steward answers there with the owner', async () => {
    harness = await startTeamsHarness({ items });

    expect((await harness.post(harness.personal('ana', 'who ledger-api'))).status).toBe(200);

    const reply = sentTo(harness, personalConversation('ana')).at(-1);
    expect(reply?.activity.text).toContain('ana@acme.example');
  });

  test('when Leo mentions Steward in a channel, then the mention is taken out and the command answered in the channel', async () => {
    harness = await startTeamsHarness({ items });

    await harness.post(harness.inChannel('leo', channelOf('ledger'), 'who ledger-api'));

    const reply = harness.fake.sent.at(-1);
    expect(reply?.conversationId.startsWith(channelOf('ledger'))).toBe(true);
    expect(reply?.activity.text).toContain('ana@acme.example');
  });

  test('when someone asks for help, then the help shows commands as @Steward …', async () => {
    harness = await startTeamsHarness({ items });

    await harness.post(harness.personal('ana', 'help'));

    expect(harness.fake.sent.at(-1)?.activity.text).toContain('@Steward who');
    expect(harness.fake.sent.at(-1)?.activity.text).toContain('@Steward here team <team>');
  });

  test('when someone writes in a team Steward was installed in before it ran, then the team\'s owners are linked and can be prompted', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: ownedBy('ledger', 'lia') })] });

    await harness.post(harness.inChannel('leo', channelOf('ledger'), 'who ledger-api'));
    await expect.poll(async () => (await harness.store.chatPersonBy({ email: 'lia@acme.example' }))?.accounts.map((a) => a.platform)).toEqual(['teams']);
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(harness.fake.created[0]?.parameters).toMatchObject({ members: [{ id: '29:lia' }] });
  });

  test('when a guest writes, then Steward answers that guests cannot use it and shows nothing', async () => {
    const gil = member('gil', { email: 'gil@partner.example', userPrincipalName: 'gil_partner.example#EXT#@acme.onmicrosoft.com', userRole: 'guest' });
    harness = await startTeamsHarness({ items, members: [member('ana'), gil] });

    await harness.post(harness.personal('gil', 'who ledger-api'));

    const reply = harness.fake.sent.at(-1)?.activity.text ?? '';
    expect(reply).toMatch(/guest/);
    expect(reply).not.toContain('ana@acme.example');
  });
});

describe('requests Steward refuses', () => {
  test('when an activity is not signed, or signed with another key, then it is refused 401 and nothing runs', async () => {
    harness = await startTeamsHarness({ items });
    const message = harness.personal('ana', 'who ledger-api');

    expect((await harness.post(message, null)).status).toBe(401);
    expect((await harness.post(message, harness.fake.authorizationFor(message, { forged: true }))).status).toBe(401);
    expect(harness.fake.sent).toEqual([]);
  });

  test('when a signed activity comes from another tenant, then it is not answered and an invoke is a bare 403', async () => {
    harness = await startTeamsHarness({ items });
    const elsewhere = { tenantId: 'ffffffff-0000-4000-8000-000000000bad' };
    const message = harness.personal('ana', 'who ledger-api');
    const foreign = { ...message, conversation: { ...message.conversation, ...elsewhere }, channelData: { tenant: { id: elsewhere.tenantId } } } as typeof message;
    const click = harness.click('ana', personalConversation('ana'), 'x', 'attest.confirm', { value: '1' });
    const foreignClick = { ...click, conversation: { ...click.conversation, ...elsewhere }, channelData: { tenant: { id: elsewhere.tenantId } } } as typeof click;

    expect((await harness.post(foreign)).status).toBe(200);
    const invoke = await harness.post(foreignClick);

    expect(invoke.status).toBe(403);
    expect(invoke.body).toBeNull();
    expect(harness.fake.sent).toEqual([]);
  });
});

describe('channels bound with here', () => {
  const queued = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: { team: 'payments' } }), apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' })];

  test('when the team lead binds the channel, then the team\'s queue is posted there with Take it', async () => {
    harness = await startTeamsHarness({ items: queued });

    await harness.post(harness.inChannel('lena', channelOf('payments'), 'here team payments'));
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(harness.fake.sent[0]).toMatchObject({ conversationId: `${channelOf('payments')};messageid=1`, activity: { text: expect.stringMatching(/payments/) } });
    const post = harness.fake.sent.find((s) => s.conversationId === channelOf('payments') && cardOf(s) !== undefined);
    expect(executesIn(cardOf(post)).map((e) => e.verb)).toContain('queue.take');
  });

  test('when someone who is not the lead binds a team\'s channel, then they are told why and nothing is bound', async () => {
    harness = await startTeamsHarness({ items: queued });

    await harness.post(harness.inChannel('ana', channelOf('payments'), 'here team payments'));
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(harness.fake.sent.at(0)?.activity.text).toMatch(/lead/);
    expect(harness.fake.sent.filter((s) => cardOf(s) !== undefined)).toEqual([]);
  });

  test('when an admin binds the security channel, then the unowned queue is posted there with Claim, and a claim from it is recorded', async () => {
    harness = await startTeamsHarness({ items: queued });

    await harness.post(harness.inChannel('pat', channelOf('security'), 'here security'));
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();
    const post = harness.fake.sent.find((s) => s.conversationId === channelOf('security') && executesIn(cardOf(s)).some((e) => e.verb === 'queue.claim'));
    const claim = executesIn(cardOf(post)).find((e) => e.verb === 'queue.claim');
    const answer = await harness.post(harness.click('lia', channelOf('security'), post?.activityId ?? '', 'queue.claim', claim?.data ?? {}));

    const shown = (answer.body as { value: unknown }).value;
    expect(textsIn(shown).join('\n')).toMatch(/lia@acme.example|you are now|claimed/i);
    expect(executesIn(shown)).toEqual([]);
    expect(auditEvents(harness.store, { action: 'item.owner_changed' })).toEqual([expect.objectContaining({ actor: 'lia@acme.example', subject: 'orphan-api' })]);
  });
});

describe('a person Teams will not let Steward write to', () => {
  test('when Ana\'s chat answers 403, then the delivery is given up as unreachable, listed as stuck, and the next tick asks her backup', async () => {
    harness = await startTeamsHarness({ items });
    await harness.post(harness.installedBy('ana'));
    await harness.post(harness.installedBy('ben'));
    harness.fake.failConversation(personalConversation('ana'), { status: 403, code: 'ConversationBlockedByUser' });

    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();
    // The pump's next round finds no other platform for her: she is unreachable, and the ladder climbs.
    await harness.deliver();

    expect(deliveries(harness.store).filter((d) => d.platform === 'teams')).toMatchObject([{ status: 'failed', failure: 'unreachable' }]);
    expect(auditEvents(harness.store, { action: 'attestation.unreachable' })).toHaveLength(1);
    expect(await harness.store.stuckMessages(tickAt, 10)).toEqual(expect.arrayContaining([expect.objectContaining({ platform: 'teams', reason: 'unreachable', error: 'Teams send: 403 ConversationBlockedByUser' })]));
    harness.clock.set(plusDays(tickAt, 1));
    await tick(harness.store, harness.policy, plusDays(tickAt, 1));
    expect(outbox(harness.store).map((m) => m.to)).toContain('ben@acme.example');
    const attempts = harness.fake.calls.filter((c) => c.conversationId === personalConversation('ana')).length;
    await harness.deliver();
    expect(harness.fake.calls.filter((c) => c.conversationId === personalConversation('ana')).length).toBe(attempts);
  });
});
