import type { KnownBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import { homeDecisionsShown, renderHome, renderUnknownHome, type HomeTab } from '../../../../adapters/slack/blocks/render-home.js';
import { renderMessage } from '../../../../adapters/slack/blocks/render-message.js';
import { offerMessage, requestCard } from '../../../../src/approvals/approval-messages.js';
import { promptMessages, teamChannelAddressee } from '../../../../src/messages/attestation-messages.js';
import { buttons, checkViewLimits } from '../../../support/block-kit-limits.js';
import { aDecision, aPending, aRequestView, ana, anIdentity, aSummary, ben, identityFacts, myItems, payments } from './core-messages.js';

const headers = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : []));
const texts = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
const contexts = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'context' ? b.elements.flatMap((e) => ('text' in e ? [e.text] : [])) : []));
/** The buttons as Slack gets them, every field (labels for screen readers, confirmations, styles). */
const rawButtons = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
const decisionIds = new Set(['approval.approve', 'approval.reject', 'transfer.accept', 'transfer.decline']);

/** Every page, following the `home.page` buttons from page 1 as a user would. */
function allPages(items: ReturnType<typeof myItems>): HomeTab[] {
  const pages = [renderHome(items)];
  for (;;) {
    const next = buttons(pages[pages.length - 1]?.blocks ?? []).find((b) => b.actionId === 'home.page' && b.label.endsWith('→'));
    if (next === undefined) return pages;
    pages.push(renderHome(items, Number(next.value)));
    if (pages.length > 1000) throw new Error('the pager never ends');
  }
}

describe('renderHome', () => {
  test('when a person has a little of everything, then My items shows what waits, what they own and what they back up', () => {
    const home = renderHome(myItems(1, 2, 1));

    checkViewLimits(home);
    expect(home.type).toBe('home');
    expect(headers(home.blocks)).toEqual(['My items', 'Waiting for your answer (1)', 'Items you own (2)', 'Items you back up (1)']);
    expect(texts(home.blocks)).toEqual([
      '*Ana Lima*: 1 waiting for your answer · 2 you own · 1 you back up.',
      [
        '*ci-token-1000* (identity) — CI token 1000',
        '*Due:* 2026-11-16',
        '*Purpose:* Deploys the checkout service',
        '*Scopes:* contents:read, deployments:write',
        '*Expires:* 2027-01-31',
        '*Recovery:* <https://runbooks.acme.example/rotate?key=ci&amp;env=prod>',
        '*Last used:* 2026-11-01',
        '*Linked:* calls api payments-api',
      ].join('\n'),
      '• *item-0* (identity) — Item 0 · team payments\n• *item-1* (API) — Item 1 · team payments',
      '• *item-5000* (identity) — Item 5000 · team payments · accountable ben@acme.example',
    ]);
  });

  test('when an attestation waits on Home, then its buttons carry the same action ids and values as the prompt’s', () => {
    const item = anIdentity(2000, { ref: 'ci-token-2000', name: 'CI token 2000', facts: identityFacts() });
    const prompt = promptMessages(ana, [{ attestationId: 2000, item, reason: 'scheduled' }])[0]?.message;
    if (!prompt) throw new Error('no prompt');
    const onHome = buttons(renderHome({ ...myItems(0, 0, 0), pending: [aPending(2000)] }).blocks);
    const inPrompt = buttons(renderMessage(prompt).blocks);
    expect(onHome).toEqual(inPrompt);
    expect(onHome.map((b) => b.actionId)).toEqual(['attest.confirm', 'attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze']);
  });

  test('when the person answers as a backup, or an item left its source, then Home says so', () => {
    const home = renderHome({ ...myItems(0, 0, 0), pending: [aPending(7, { asBackup: true })], owned: [aSummary(1, { vanished: true, expiresAt: '2027-03-01T00:00:00.000Z' })] });
    expect(texts(home.blocks)[1]).toContain('*Due:* 2026-11-16 · you are the backup');
    expect(texts(home.blocks)[2]).toBe('• *item-1* (API) — Item 1 · team payments · expires 2027-03-01 · gone from its source');
  });

  test('when there is nothing at all, then each group says so, on one page with no pager', () => {
    const home = renderHome(myItems(0, 0, 0));
    checkViewLimits(home);
    expect(texts(home.blocks).slice(1)).toEqual(['_Nothing is waiting for you._', '_You are not accountable for any item._', '_You are nobody’s backup._']);
    expect(buttons(home.blocks)).toEqual([]);
  });

  test('when 500 attestations wait, with 500 owned and 500 backed up, then every page stays within 100 blocks and the pager reaches every item once', () => {
    const items = myItems(500, 500, 500);
    const pages = allPages(items);

    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page) => checkViewLimits(page));
    const confirms = pages.flatMap((p) => buttons(p.blocks).filter((b) => b.actionId === 'attest.confirm').map((b) => b.value));
    expect(confirms).toEqual(items.pending.map((p) => String(p.attestationId)));
    const listed = pages.flatMap((p) => texts(p.blocks).join('\n').match(/\*item-\d+\*/g) ?? []);
    expect(listed).toEqual([...items.owned, ...items.backing].map((i) => `*${i.ref}*`));
  });

  test('when a page is in the middle, then it says which, offers both neighbours as home.page buttons, and repeats its group’s title', () => {
    const items = myItems(500, 0, 0);
    const count = allPages(items).length;
    const second = renderHome(items, 2);

    expect(headers(second.blocks)[1]).toBe('Waiting for your answer (500), continued');
    expect(second.blocks.some((b) => b.type === 'context' && b.elements.some((e) => 'text' in e && e.text === `Page 2 of ${count}`))).toBe(true);
    expect(buttons(second.blocks).filter((b) => b.actionId === 'home.page')).toEqual([
      { actionId: 'home.page', value: '1', label: '← Page 1', style: undefined },
      { actionId: 'home.page', value: '3', label: 'Page 3 →', style: undefined },
    ]);
  });

  test.each([
    [0, 1],
    [-3, 1],
    [2.7, 2],
    [Number.NaN, 1],
    [10_000, 'last'],
  ] as const)('when page %s is asked for, then page %s is shown', (asked, shown) => {
    const items = myItems(500, 0, 0);
    const last = allPages(items).length;
    expect(renderHome(items, asked)).toEqual(renderHome(items, shown === 'last' ? last : shown));
  });

  test('when names are long, emoji or right-to-left, then Home still keeps every limit', () => {
    const items = {
      ...myItems(0, 0, 0),
      person: { email: 'x@example.com', displayName: 'ש'.repeat(5000) },
      pending: Array.from({ length: 120 }, (_, i) => aPending(i, { ref: `🔑${'r'.repeat(298)}${i}`, name: 'واجهة '.repeat(500), facts: identityFacts({ purpose: '&<>'.repeat(2000) }) })),
      owned: Array.from({ length: 300 }, (_, i) => aSummary(i, { ref: 'r'.repeat(300), name: '👩🏽‍💻'.repeat(400), team: '<team>'.repeat(50) })),
    };
    allPages(items).forEach((page) => checkViewLimits(page));
  });
});

describe('renderHome: requests waiting for a decision', () => {
  test('when requests wait for the person’s decision, then Home shows them after what waits for their answer and before what they own, each a line with its buttons', () => {
    const offered = aDecision(13, { kind: 'ownership_transfer', itemKind: 'api', ref: 'payments-api', requestedBy: ana.email, as: 'proposed_owner' });
    const home = renderHome({ ...myItems(1, 1, 0), decisions: [aDecision(12), offered] });

    checkViewLimits(home);
    expect(headers(home.blocks)).toEqual(['My items', 'Waiting for your answer (1)', 'Waiting for your decision (2)', 'Items you own (1)', 'Items you back up (0)']);
    expect(texts(home.blocks)[0]).toBe('*Ana Lima*: 1 waiting for your answer · 2 waiting for your decision · 1 you own · 0 you back up.');
    expect(texts(home.blocks)).toContain('*#12* scope change of identity *ci-deployer* · asked by ben@acme.example on 2026-11-09');
    expect(texts(home.blocks)).toContain('*#13* ownership transfer of API *payments-api* · asked by ana@acme.example on 2026-11-09 · offered to you');
    expect(buttons(home.blocks).filter((b) => decisionIds.has(b.actionId))).toEqual([
      { actionId: 'approval.approve', value: '12', label: 'Approve', style: 'primary' },
      { actionId: 'approval.reject', value: '12', label: 'Reject', style: 'danger' },
      { actionId: 'transfer.accept', value: '13', label: 'Accept', style: 'primary' },
      { actionId: 'transfer.decline', value: '13', label: 'Decline', style: undefined },
    ]);
    // Each request's line sits right above its own buttons.
    const line = home.blocks.findIndex((b) => b.type === 'section' && b.text?.text.startsWith('*#13*'));
    expect(buttons([home.blocks[line + 1]]).map((b) => `${b.actionId} ${b.value}`)).toEqual(['transfer.accept 13', 'transfer.decline 13']);
  });

  test('when a request waits on Home, then its buttons are the channel card’s, and an offer’s the offer’s, field for field', () => {
    const view = aRequestView('scope_change');
    const card = renderMessage(requestCard(view, teamChannelAddressee(payments)).message);
    const onHome = renderHome({ ...myItems(0, 0, 0), decisions: [aDecision(view.id, { ref: view.item.ref })] });
    expect(rawButtons(onHome.blocks).filter((b) => b.type === 'button' && decisionIds.has(b.action_id ?? ''))).toEqual(rawButtons(card.blocks));

    const transfer = aRequestView('ownership_transfer', { approvers: [], needed: 0 });
    const offer = renderMessage(offerMessage(transfer, ben).message);
    const offered = renderHome({ ...myItems(0, 0, 0), decisions: [aDecision(transfer.id, { kind: 'ownership_transfer', ref: transfer.item.ref, as: 'proposed_owner' })] });
    expect(rawButtons(offered.blocks).filter((b) => b.type === 'button' && decisionIds.has(b.action_id ?? ''))).toEqual(rawButtons(offer.blocks));
  });

  test('when nothing waits for a decision, then Home shows no such group', () => {
    const home = renderHome({ ...myItems(1, 1, 1), decisions: [] });
    expect(headers(home.blocks)).toEqual(['My items', 'Waiting for your answer (1)', 'Items you own (1)', 'Items you back up (1)']);
    expect(texts(home.blocks)[0]).not.toContain('decision');
  });

  test('when a ref or a requester’s address carries Slack markup, then it is shown escaped, never as a mention or a link', () => {
    const home = renderHome({ ...myItems(0, 0, 0), decisions: [aDecision(5, { ref: '<!channel>', requestedBy: '<https://evil.example|x>&@' })] });
    checkViewLimits(home);
    const line = texts(home.blocks).find((t) => t.startsWith('*#5*'));
    expect(line).toBe('*#5* scope change of identity *&lt;!channel&gt;* · asked by &lt;https://evil.example|x&gt;&amp;@ on 2026-11-09');
  });

  test('when more requests wait than Home shows, then the oldest are shown with their buttons, and it says how many more and how to list them', () => {
    const decisions = Array.from({ length: 40 }, (_, i) => aDecision(i + 1, { as: i % 2 === 0 ? 'approver' : 'proposed_owner' }));
    const home = renderHome({ ...myItems(0, 0, 0), decisions });

    checkViewLimits(home);
    expect(headers(home.blocks)).toContain('Waiting for your decision (40)');
    const shown = buttons(home.blocks).filter((b) => b.actionId === 'approval.approve' || b.actionId === 'transfer.accept').map((b) => Number(b.value));
    expect(shown).toEqual(Array.from({ length: homeDecisionsShown }, (_, i) => i + 1));
    expect(contexts(home.blocks)).toContain(`… and ${40 - homeDecisionsShown} more waiting for your decision: \`/steward approvals --pending\` lists them all.`);
  });

  test('when many requests wait beside 500 attestations and 500 items, with long, emoji and right-to-left refs, then every page keeps Block Kit’s limits and the requests are shown once', () => {
    const items = {
      ...myItems(500, 500, 500),
      decisions: Array.from({ length: 300 }, (_, i) =>
        aDecision(i + 1, { ref: `🔑${'ש'.repeat(400)}<&>${i}`, requestedBy: `${'x'.repeat(500)}@acme.example`, as: i % 3 === 0 ? 'proposed_owner' : 'approver' }),
      ),
    };
    const pages = allPages(items);

    pages.forEach((page) => checkViewLimits(page));
    const shown = pages.flatMap((p) => buttons(p.blocks).filter((b) => b.actionId === 'approval.approve' || b.actionId === 'transfer.accept').map((b) => Number(b.value)));
    expect(shown).toEqual(Array.from({ length: homeDecisionsShown }, (_, i) => i + 1));
    expect(pages.flatMap((p) => contexts(p.blocks)).filter((t) => t.includes('more waiting for your decision'))).toHaveLength(1);
    // Nothing else is lost to them: every attestation and item is still reached by the pager.
    const confirms = pages.flatMap((p) => buttons(p.blocks).filter((b) => b.actionId === 'attest.confirm'));
    expect(confirms).toHaveLength(500);
    expect(pages.flatMap((p) => texts(p.blocks).join('\n').match(/\*item-\d+\*/g) ?? [])).toHaveLength(1000);
  });
});

describe('renderUnknownHome', () => {
  test('when Steward does not know the person, then Home says so and how to be added', () => {
    const home = renderUnknownHome();
    checkViewLimits(home);
    expect(texts(home.blocks)[0]).toContain('Steward does not know you yet');
  });
});
