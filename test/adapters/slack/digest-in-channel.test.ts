import { PNG } from 'pngjs';
import { afterEach, describe, expect, test } from 'vitest';
import { digestChartPng } from '../../../adapters/charts/digest-chart-png.js';
import { createChartRenderer, type ChartRenderer } from '../../../adapters/charts/chart-renderer.js';
import { chartColours, defaultChartSize } from '../../../adapters/charts/digest-chart-svg.js';
import type { DrawChart } from '../../../adapters/slack/post-digest.js';
import { runTick } from '../../../src/attestation/run-tick.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import type { FakeSlackOptions } from '../../support/fake-slack.js';
import { loopPolicy, ownedBy } from '../../support/loop.js';
import { deliveries } from '../../storage/support/loop-state.js';
import { slackChannels, startHarness, type Harness } from './slack-harness.js';

/*
 * The security leads' weekly digest in Slack, end to end: the tick at Monday 09:00 makes it, the outbox pump
 * delivers it through the Slack chat port to the fake Web API over HTTP (Bolt's app running beside it), and it
 * lands in the security channel as one message with its chart attached, drawn by the real renderer (ECharts to
 * SVG, resvg to PNG). Whatever Slack answers on the way, the channel ends with one digest.
 */

let harness: Harness;
let renderer: ChartRenderer | undefined;
afterEach(async () => {
  await harness?.close();
  await renderer?.close();
  renderer = undefined;
});

const security = slackChannels['sec-ownership'];
const sunday = '2026-12-06T09:00:00.000Z';
const monday = '2026-12-07T09:00:00.000Z';
/** The real chart drawing on this thread: enough where the test has no requests to keep answering. */
const realChart: DrawChart = async (chart) => digestChartPng(chart);

/** A small inventory, ticked once on Sunday (a digest is for periods Steward ran through), then at Monday 09:00. */
async function weeklyDigest(fake: FakeSlackOptions = {}, drawChart: DrawChart = realChart): Promise<Harness> {
  const h = await startHarness({
    clock: monday,
    items: [
      apiEntry({ ref: 'payments-api', purpose: 'Takes payments', owner: ownedBy('payments', 'ana') }),
      identityEntry({ ref: 'ci-deployer', identityKind: 'token', provider: 'github', purpose: 'Deploys', owner: ownedBy('payments', 'ben') }),
    ],
    policy: loopPolicy({ digest: { cron: '0 9 * * 1' } }),
    drawChart,
    fake,
  });
  await runTick(h.store, h.policy, new Date(sunday));
  const report = await runTick(h.store, h.policy, new Date(monday));
  expect(report.decisions.filter((d) => d.type === 'digest')).toEqual([expect.objectContaining({ scope: 'security', scheduledAt: monday })]);
  return h;
}

const shared = (h: Harness) => h.fake.callsTo('files.completeUploadExternal').filter((c) => c.status === 200 && c.answer.ok === true);
/** The deliveries recorded in the security channel: the digest's alone, in this inventory (every other message is a DM). */
const digestDeliveries = (h: Harness) => deliveries(h.store).filter((d) => d.platformChannel === security);

/** How many pixels of the PNG are exactly this colour (`#rrggbb`). */
function pixelsOf(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n += 1;
  return n;
}

describe('the weekly digest in the Slack security channel', () => {
  test('when the tick makes Monday’s digest, then the security channel gets one message: the digest’s blocks with its chart, a PNG of both series, named, titled and described', async () => {
    // As serve draws it: in the chart renderer's worker thread, off the thread that acknowledges Slack.
    renderer = createChartRenderer();
    const charts = renderer;
    harness = await weeklyDigest({}, (chart) => charts.png(chart));

    harness.pump.kick();
    const share = await harness.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.status === 200, 15_000);
    await harness.pump.idle();

    const reserved = harness.fake.callsTo('files.getUploadURLExternal');
    expect(reserved).toHaveLength(1);
    expect(reserved[0]?.args).toMatchObject({ filename: 'steward-digest.png', alt_txt: expect.stringMatching(/^The first digest: coverage \d+(\.\d)?%, \d+ attestations overdue\.$/) });
    expect(share.args).toMatchObject({ channel_id: security, files: [{ title: 'Coverage and overdue attestations, last digest' }] });
    const blocks = share.args.blocks as Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }>; elements?: Array<{ text: string }> }>;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Steward digest — Mon 7 Dec 2026' } });
    expect(blocks.filter((b) => b.type === 'section').map((b) => b.text?.text)).toEqual(expect.arrayContaining(['*Coverage*', '*Attestations*', '*Waiting for an owner*', '*Credentials*']));
    expect(blocks.flatMap((b) => b.fields ?? []).map((f) => f.text)).toContain('*Items in the unowned queue*\n0');
    expect(blocks.at(-1)?.elements?.[0]?.text).toMatch(/^Audit trail head: `\d+:[0-9a-f]{64}` — keep it/);
    // Posted once, as the file's share: no chat.postMessage to the channel beside it.
    expect(harness.fake.messagesIn(security)).toEqual([expect.objectContaining({ subtype: 'file_share' })]);
    expect(harness.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === security || c.args.channel === '#sec-ownership')).toEqual([]);
    expect(digestDeliveries(harness)).toEqual([expect.objectContaining({ platform: 'slack', status: 'sent', attempts: 1, platformMessageId: harness.fake.messagesIn(security)[0]?.ts })]);

    const [file] = [...harness.fake.files.values()];
    const png = PNG.sync.read(file?.bytes as Buffer);
    expect({ width: png.width, height: png.height }).toEqual(defaultChartSize);
    expect(pixelsOf(png, chartColours.coverage)).toBeGreaterThan(20);
    expect(pixelsOf(png, chartColours.overdue)).toBeGreaterThan(20);
  });

  test('when Slack answers the upload with 429, then the pump waits out the Retry-After and the digest lands once, its chart the second upload', async () => {
    harness = await weeklyDigest({ rateLimit: (method, n) => (method === 'upload_url' && n === 1 ? 1 : undefined) });

    harness.pump.kick();
    await harness.fake.waitFor((c) => c.method === 'upload_url' && c.status === 429);
    await harness.pump.idle();
    expect(harness.fake.messagesIn(security)).toEqual([]);
    // The dispatcher's clock, which the retry is due by, moves past the Retry-After.
    harness.moveClock('2026-12-07T09:00:02.000Z');
    harness.pump.kick();
    await harness.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.status === 200, 10_000);
    await harness.pump.idle();

    expect(harness.fake.messagesIn(security)).toHaveLength(1);
    expect(shared(harness)).toHaveLength(1);
    expect([...harness.fake.files.values()].map((f) => f.channel)).toEqual([null, security]);
    expect(digestDeliveries(harness)).toEqual([expect.objectContaining({ status: 'sent', attempts: 1 })]);
  });

  test('when the share fails after the upload (Slack’s internal_error), then the retry uploads again and the channel still has one digest', async () => {
    let failed = false;
    harness = await weeklyDigest({
      fail: (method) => {
        if (method !== 'files.completeUploadExternal' || failed) return undefined;
        failed = true;
        return { error: 'internal_error' };
      },
    });

    harness.pump.kick();
    await harness.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.answer.error === 'internal_error');
    await harness.pump.idle();
    expect(harness.fake.messagesIn(security)).toEqual([]);
    harness.moveClock('2026-12-07T10:00:00.000Z');
    harness.pump.kick();
    await harness.fake.waitFor((c) => c.method === 'files.completeUploadExternal' && c.status === 200 && c.answer.ok === true, 10_000);
    await harness.pump.idle();

    expect(harness.fake.messagesIn(security)).toHaveLength(1);
    expect(harness.fake.callsTo('upload_url')).toHaveLength(2);
    expect(digestDeliveries(harness)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
  });
});
