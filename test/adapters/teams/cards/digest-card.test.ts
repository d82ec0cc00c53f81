import { PNG } from 'pngjs';
import { describe, expect, test } from 'vitest';
import { digestChartPng } from '../../../../adapters/charts/digest-chart-png.js';
import { defaultChartSize } from '../../../../adapters/charts/digest-chart-svg.js';
import type { AdaptiveCard } from '../../../../adapters/teams/cards/adaptive-card.js';
import { cardBudgetBytes, cardBytes } from '../../../../adapters/teams/cards/card-size.js';
import { cardsFor } from '../../../../adapters/teams/cards/cards-for.js';
import { digestCard } from '../../../../adapters/teams/cards/digest-card.js';
import { fitsTeamsImage, pngSize, type DigestChartImage } from '../../../../adapters/teams/cards/digest-chart-image.js';
import { cardValidator, haveSchema, objectsIn, textsIn } from './card-schema.js';
import { aChart, aDigestMessage, aDigestView, aFirstDigestView, aHugeDigestView, headHash, weeklyGroups } from './digest-views.js';

const skipped = haveSchema ? '' : ' — SKIPPED: ../shared/schemas is absent';
const validate = haveSchema ? cardValidator() : () => [];

/** The chart as the renderer draws it (the real one, in this thread: a test has no event loop to keep free). */
const drawn = (): DigestChartImage => ({ status: 'drawn', png: digestChartPng(aChart()) });

const imagesIn = (card: unknown) => objectsIn(card).filter((o) => o.type === 'Image');
const factsIn = (card: unknown) => objectsIn(card).filter((o) => 'title' in o && 'value' in o && !('type' in o)) as Array<{ title: string; value: string }>;

/** The card as Teams counts it against the message limit: without the Base64 image. */
function withoutImage(card: AdaptiveCard): AdaptiveCard {
  return JSON.parse(JSON.stringify(card, (key, value: unknown) => (key === 'url' && typeof value === 'string' && value.startsWith('data:') ? 'data:image/png;base64,' : value))) as AdaptiveCard;
}

function decoded(url: string): PNG {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+=*)$/.exec(url);
  if (match?.[1] === undefined) throw new Error(`not a data: PNG URI: ${url.slice(0, 40)}`);
  return PNG.sync.read(Buffer.from(match[1], 'base64'));
}

describe('digestCard: a digest as an Adaptive Card', () => {
  test(`when a weekly digest is drawn with its chart, then the card is a valid Adaptive Card 1.5 with no buttons, its title first${skipped}`, () => {
    const message = aDigestMessage();
    const card = digestCard(message, aDigestView(), drawn());

    expect(validate(card)).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(textsIn(card).slice(0, 3)).toEqual([message.title, 'Scheduled for Mon 7 Dec 2026, 09:00', message.text]);
    expect(objectsIn(card).filter((o) => typeof o.type === 'string' && o.type.startsWith('Action.'))).toEqual([]);
    expect(card.fallbackText).toBe('Steward digest — Mon 7 Dec 2026: Scheduled for Mon 7 Dec 2026, 09:00');
  });

  test('when a digest has four groups, then each is shown under its title, every figure with its value, its change and whether it is better or worse', () => {
    const card = digestCard(aDigestMessage(), aDigestView(), drawn());

    const texts = textsIn(card);
    for (const group of weeklyGroups) expect(texts).toContain(group.title);
    expect(factsIn(card).map((f) => [f.title, f.value])).toEqual([
      ['APIs with an operational owner', '1,204 of 1,310 (92%) (+12, better)'],
      ['… and an active, named accountable person', '1,150 of 1,310 (88%) (+2 points, better)'],
      ['Identities with a lifecycle owner', '8,410 of 9,002 (93%) (−3, worse)'],
      ['Answered on time since Mon 30 Nov', '312 of 340 (92%) (no change)'],
      ['Overdue now', '7 (−5, better)'],
      ['Items in the unowned queue', '3 (+1, worse)'],
      ['Pending approvals', '2 (no change)'],
    ]);
    expect(texts).toContain('Overdue by team, worst first: payments 4, platform 2, identity 1');
    expect(texts).toContain('Exceptions ending first: ledger-api (owner-required waived) until Mon 14 Dec 2026');
  });

  test('when it is the first digest, then every figure shows its value alone: there is nothing to compare with', () => {
    const view = aFirstDigestView();
    const card = digestCard(aDigestMessage(view), view, drawn());

    expect(factsIn(card).map((f) => f.value)).toEqual(view.groups.flatMap((g) => g.rows.map((r) => r.value)));
  });

  test('when the chart is drawn, then the card shows it as an Image whose data: URI is a PNG of the chart’s size, with the core’s sentence as its alt text, before the figures', () => {
    const card = digestCard(aDigestMessage(), aDigestView(), drawn());

    const [image, ...others] = imagesIn(card);
    expect(others).toEqual([]);
    const png = decoded(String(image?.url));
    expect([png.width, png.height]).toEqual([defaultChartSize.width, defaultChartSize.height]);
    expect(image?.altText).toBe(aChart().altText);
    expect(card.body.findIndex((e) => e.type === 'Image')).toBeLessThan(card.body.findIndex((e) => e.type === 'Container'));
  });

  test.each([
    ['failed', 'The chart could not be drawn this time; the figures below are complete.'],
    ['too_large', 'The chart came out too large for Teams to show, so it is left off; the figures below are complete.'],
    ['refused', 'Teams refused the card with its chart, so it is posted without it; the figures below are complete.'],
    ['no_renderer', 'This server draws no charts; the figures below are complete.'],
  ] as const)(`when the chart is not drawn (%s), then the card says so where the chart would be, and shows every figure${skipped}`, (reason, said) => {
    const card = digestCard(aDigestMessage(), aDigestView(), { status: 'not_drawn', reason });

    expect(validate(card)).toEqual([]);
    expect(imagesIn(card)).toEqual([]);
    expect(textsIn(card)).toContain(said);
    expect(factsIn(card)).toHaveLength(7);
  });

  test('when the card ends, then the audit trail’s head is there in monospace, as events:hash for `audit verify --expect-head`', () => {
    const card = digestCard(aDigestMessage(), aDigestView(), drawn());

    const head = objectsIn(card).find((o) => o.type === 'TextBlock' && String(o.text).startsWith('Audit trail head'));
    expect(head).toMatchObject({ text: `Audit trail head: 1204:${headHash}`, fontType: 'monospace', isSubtle: true, size: 'small' });
    expect(textsIn(card).at(-1)).toContain('steward audit verify --expect-head');
  });

  test('when a note holds a link and emphasis, then the card shows them as written, not as markup', () => {
    const view = aDigestView({ groups: [{ title: 'Attestations', rows: [], notes: ['Ask [here](https://evil.example) about *both* teams'] }] });
    const card = digestCard(aDigestMessage(view), view, drawn());

    const note = textsIn(card).find((t) => t.startsWith('Ask'));
    expect(note).toBe('Ask [here]\u2060(https://evil.example) about \\*both\\* teams');
  });
});

describe('digestCard: within Teams’ message size, however big the digest', () => {
  test(`when a digest has eight groups of forty figures and two hundred long notes each, then the card without its image fits the budget, every group is shown, and what is left off is counted${skipped}`, () => {
    const view = aHugeDigestView();
    const card = digestCard(aDigestMessage(view), view, drawn());

    expect(validate(card)).toEqual([]);
    expect(cardBytes(withoutImage(card))).toBeLessThanOrEqual(cardBudgetBytes);
    const texts = textsIn(card);
    for (const group of view.groups) expect(texts.some((t) => t.startsWith(`Team \\*group\\* ${group.title.split(' ')[2]} `))).toBe(true);
    expect(texts.filter((t) => /^(…and )?\d+ more lines: “steward digest --print” lists them all$/.test(t))).toHaveLength(8);
    expect(factsIn(card).filter((f) => /^\d+ more figures/.test(f.value))).toHaveLength(8);
    expect(imagesIn(card)).toHaveLength(1);
    expect(textsIn(card).at(-2)).toBe(`Audit trail head: 1204:${headHash}`);
  });

  test(`when a digest has sixty such groups, then the groups that do not fit are left off from the end and counted, and the head is still shown${skipped}`, () => {
    const view = aHugeDigestView(60);
    const card = digestCard(aDigestMessage(view), view, drawn());

    expect(validate(card)).toEqual([]);
    expect(cardBytes(withoutImage(card))).toBeLessThanOrEqual(cardBudgetBytes);
    const containers = card.body.filter((e) => e.type === 'Container');
    expect(containers.length).toBeGreaterThan(0);
    expect(textsIn(card)).toContain(`${60 - containers.length} more sections did not fit on this card: “steward digest --print” lists them all`);
    expect(textsIn(card).at(-2)).toBe(`Audit trail head: 1204:${headHash}`);
  });

  test('when the weekly digest is drawn, then its card without the image is a small part of the budget, and the image is within Teams’ 1 MB and 1024 pixels', () => {
    const chart = drawn();
    const card = digestCard(aDigestMessage(), aDigestView(), chart);

    expect(cardBytes(withoutImage(card))).toBeLessThan(cardBudgetBytes / 4);
    expect(chart.status === 'drawn' && fitsTeamsImage(chart.png)).toBe(true);
  });
});

describe('the chart’s PNG against Teams’ limits', () => {
  const png = (width: number, height: number) => PNG.sync.write(new PNG({ width, height }));

  test('when a PNG is read, then its size comes from its header; what is not a PNG has none', () => {
    expect(pngSize(png(720, 360))).toEqual({ width: 720, height: 360 });
    expect(pngSize(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/> padded to be long enough'))).toBeNull();
    expect(pngSize(new Uint8Array())).toBeNull();
  });

  test.each([
    [1024, 1024, true],
    [1025, 300, false],
    [300, 1025, false],
  ])('when the PNG is %i × %i pixels, then it fits a Teams card: %s', (width, height, fits) => {
    expect(fitsTeamsImage(png(width, height))).toBe(fits);
  });

  test('when the PNG is over 1 MB, then it does not fit, whatever its pixels', () => {
    // A small PNG with a megabyte after its end: only the bytes are over.
    const big = Buffer.concat([png(100, 100), Buffer.alloc(1024 * 1024)]);

    expect(big.byteLength).toBeGreaterThan(1024 * 1024);
    expect(fitsTeamsImage(big)).toBe(false);
  });
});

describe('cardsFor: a digest message', () => {
  test(`when the core sends a digest, then it is one card with no subjects to update, the chart passed through${skipped}`, () => {
    const [card, ...others] = cardsFor(aDigestMessage(), { snoozeMaxDays: 30, chart: drawn() });

    expect(others).toEqual([]);
    expect(validate(card)).toEqual([]);
    expect(imagesIn(card)).toHaveLength(1);
  });

  test('when no chart was drawn for it, then its card says this server draws none', () => {
    const [card] = cardsFor(aDigestMessage(), { snoozeMaxDays: 30 });

    expect(imagesIn(card)).toEqual([]);
    expect(textsIn(card)).toContain('This server draws no charts; the figures below are complete.');
  });
});
