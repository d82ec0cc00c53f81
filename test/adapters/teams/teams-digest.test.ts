import { PNG } from 'pngjs';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createChartRenderer } from '../../../adapters/charts/chart-renderer.js';
import { defaultChartSize } from '../../../adapters/charts/digest-chart-svg.js';
import type { DigestChart } from '../../../src/digest/digest-view.js';
import { apiEntry } from '../../support/entries.js';
import { loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { deliveries, outbox } from '../../storage/support/loop-state.js';
import { enqueueMessage } from '../../storage/support/enqueue-message.js';
import { objectsIn, textsIn } from './cards/card-schema.js';
import { aChart, aPlannedDigest, headHash } from './cards/digest-views.js';
import { cardOf } from './sent-cards.js';
import { channelOf, startTeamsHarness, type TeamsHarness } from './teams-harness.js';

/*
 * The security leads' digest in Teams, end to end: Pat, an admin, binds the security channel with
 * `@Steward here security`; the core's digest is queued for the security channel; the outbox pump delivers it
 * through botbuilder's CloudAdapter to the fake Bot Connector, over HTTP. The chart is drawn by the real renderer
 * (ECharts to SVG, resvg to PNG, on its worker thread) at delivery; when it cannot be, the digest goes without it, never held back.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const now = '2026-12-07T09:00:00.000Z';
const security = channelOf('security');

/** The renderer `serve` wires: ECharts and resvg on a worker thread of their own. */
const charts = createChartRenderer();
afterAll(async () => charts.close());
const realChart = (chart: DigestChart): Promise<Uint8Array> => charts.png(chart);

async function boundAndQueued(drawChart?: (chart: DigestChart) => Promise<Uint8Array>, chartTimeoutMs?: number): Promise<TeamsHarness> {
  // An inventory, so the directory's people (Pat, an admin, among them) are known.
  const h = await startTeamsHarness({
    clock: now,
    items: [apiEntry({ ref: 'payments-api', purpose: 'Takes payments', owner: ownedBy('payments', 'ana') })],
    ...(drawChart === undefined ? {} : { drawChart }),
    ...(chartTimeoutMs === undefined ? {} : { chartTimeoutMs }),
  });
  expect((await h.post(h.inChannel('pat', security, 'here security'))).status).toBe(200);
  expect(enqueueMessage(h.store, aPlannedDigest(), now)).toBe(true);
  return h;
}

/** The cards Teams received in the security channel itself (not the reply to `here security`). */
const digestCards = (h: TeamsHarness) => h.fake.sent.filter((s) => s.conversationId === security && JSON.stringify(cardOf(s) ?? null).includes('Steward digest'));
const imagesIn = (card: unknown) => objectsIn(card).filter((o) => o.type === 'Image');

describe('the digest in the Teams security channel', () => {
  test('when a digest is queued for the security channel, then its card is posted in the channel bound with here security, the chart on it as a data: PNG of the chart’s size', async () => {
    harness = await boundAndQueued(realChart);

    await harness.deliver();

    const [sent, ...others] = digestCards(harness);
    expect(others).toEqual([]);
    const card = cardOf(sent);
    expect(textsIn(card)).toEqual(expect.arrayContaining(['Steward digest — Mon 7 Dec 2026', 'Coverage', `Audit trail head: 1204:${headHash}`]));
    const [image, ...moreImages] = imagesIn(card);
    expect(moreImages).toEqual([]);
    expect(image?.altText).toBe(aChart().altText);
    const url = String(image?.url);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const png = PNG.sync.read(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([defaultChartSize.width, defaultChartSize.height]);
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ platform: 'teams', status: 'sent', attempts: 1, platformMessageId: sent?.activityId })]);
  });

  test('when the chart cannot be drawn, then the digest is posted all the same, saying so where the chart would be, and the failure is logged', async () => {
    harness = await boundAndQueued(async () => {
      throw new Error('the chart worker exited');
    });

    await harness.deliver();

    const [sent] = digestCards(harness);
    expect(imagesIn(cardOf(sent))).toEqual([]);
    expect(textsIn(cardOf(sent))).toContain('The chart could not be drawn this time; the figures below are complete.');
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
    expect(harness.logs.filter((r) => r.level === 50 && String(r.msg).includes('chart could not be drawn'))).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: 'the chart worker exited' }) })]);
  });

  test('when the renderer does not answer in time, then the digest is posted without the chart rather than held: the outbox moves on', async () => {
    harness = await boundAndQueued(() => new Promise<Uint8Array>(() => undefined), 50);

    await harness.deliver();

    const [sent] = digestCards(harness);
    expect(textsIn(cardOf(sent))).toContain('The chart could not be drawn this time; the figures below are complete.');
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
    expect(harness.logs.filter((r) => r.level === 50 && String(r.msg).includes('chart could not be drawn'))).toEqual([expect.objectContaining({ err: expect.objectContaining({ message: 'no chart after 50 ms' }) })]);
  });

  test('when the renderer draws a chart bigger than Teams shows inline, then the digest goes without it, saying so', async () => {
    harness = await boundAndQueued(async () => PNG.sync.write(new PNG({ width: 2048, height: 1024 })));

    await harness.deliver();

    const [sent] = digestCards(harness);
    expect(imagesIn(cardOf(sent))).toEqual([]);
    expect(textsIn(cardOf(sent))).toContain('The chart came out too large for Teams to show, so it is left off; the figures below are complete.');
    expect(harness.logs.filter((r) => r.level === 50 && String(r.msg).includes('too large for a Teams card'))).toHaveLength(1);
  });

  test('when Teams refuses the card with its chart (413 MessageSizeTooBig), then the digest is sent again at once without the image, and is delivered', async () => {
    harness = await boundAndQueued(realChart);
    harness.fake.failConversation(security, { status: 413, code: 'MessageSizeTooBig', message: 'Message size too big' }, 1);

    await harness.deliver();

    const refused = harness.fake.calls.filter((c) => c.conversationId === security && c.status === 413);
    expect(refused).toHaveLength(1);
    expect(JSON.stringify(refused[0]?.body)).toContain('data:image/png;base64,');
    const [sent, ...others] = digestCards(harness);
    expect(others).toEqual([]);
    expect(imagesIn(cardOf(sent))).toEqual([]);
    expect(textsIn(cardOf(sent))).toContain('Teams refused the card with its chart, so it is posted without it; the figures below are complete.');
    expect(deliveries(harness.store)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
  });

  test('when Teams is started without a chart renderer, then the digest is posted without a chart, saying this server draws none', async () => {
    harness = await boundAndQueued();

    await harness.deliver();

    const [sent] = digestCards(harness);
    expect(imagesIn(cardOf(sent))).toEqual([]);
    expect(textsIn(cardOf(sent))).toContain('This server draws no charts; the figures below are complete.');
  });
});

describe('the digest the tick makes, in Teams', () => {
  const importedAt = '2026-11-02T09:30:00.000Z';
  const monday = (week: number) => plusDays('2026-11-02T09:00:00.000Z', 7 * week);

  test('when the tick passes two Mondays 09:00 after Steward started, then two digests reach the bound security channel, the second with its changes and a chart of both', async () => {
    const policy = loopPolicy({ admins: ['pat@acme.example'], digest: { cron: '0 9 * * 1' } });
    harness = await startTeamsHarness({ clock: importedAt, policy, drawChart: realChart, items: [apiEntry({ ref: 'payments-api', purpose: 'Takes payments', owner: ownedBy('payments', 'ana') }), apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' })] });
    expect((await harness.post(harness.inChannel('pat', security, 'here security'))).status).toBe(200);
    await tick(harness.store, policy, importedAt);
    for (const week of [1, 2]) {
      harness.clock.set(monday(week));
      await tick(harness.store, policy, monday(week));
      await harness.deliver();
    }

    const made = outbox(harness.store).filter((m) => m.kind === 'digest');
    const posted = digestCards(harness).map(cardOf);
    expect(posted.map((card) => textsIn(card)[0])).toEqual(made.map((m) => m.message.title));
    expect(posted.map((card) => textsIn(card)[0])).toEqual(['Steward digest — Mon 9 Nov 2026', 'Steward digest — Mon 16 Nov 2026']);
    const [, second] = posted;
    // Every figure with a change since the first digest shows it beside its value.
    const facts = objectsIn(second).filter((o) => 'title' in o && 'value' in o && !('type' in o)).map((o) => String(o.value));
    const changed = (made[1]?.message.digest?.groups ?? []).flatMap((g) => g.rows).filter((r) => r.change !== null);
    expect(changed.length).toBeGreaterThan(3);
    expect(facts.filter((value) => changed.some((r) => value.startsWith(`${r.value} (${r.change ?? ''}`)))).toHaveLength(changed.length);
    const [image] = imagesIn(second);
    expect(image?.altText).toBe(made[1]?.message.digest?.chart.altText);
    expect(made[1]?.message.digest?.chart.points).toHaveLength(2);
    const png = PNG.sync.read(Buffer.from(String(image?.url).slice('data:image/png;base64,'.length), 'base64'));
    expect([png.width, png.height]).toEqual([defaultChartSize.width, defaultChartSize.height]);
    expect(made.map((m) => [m.status, m.platforms])).toEqual([['sent', ['teams']], ['sent', ['teams']]]);
  });
});
