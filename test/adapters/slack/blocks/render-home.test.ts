import type { KnownBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import { renderHome, renderUnknownHome, type HomeTab } from '../../../../adapters/slack/blocks/render-home.js';
import { renderMessage } from '../../../../adapters/slack/blocks/render-message.js';
import { promptMessages } from '../../../../src/messages/attestation-messages.js';
import { buttons, checkViewLimits } from '../../../support/block-kit-limits.js';
import { aPending, ana, anIdentity, aSummary, identityFacts, myItems } from './core-messages.js';

const headers = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : []));
const texts = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

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

describe('renderUnknownHome', () => {
  test('when Steward does not know the person, then Home says so and how to be added', () => {
    const home = renderUnknownHome();
    checkViewLimits(home);
    expect(texts(home.blocks)[0]).toContain('Steward does not know you yet');
  });
});
