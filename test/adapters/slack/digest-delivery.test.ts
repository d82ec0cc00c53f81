import { PNG } from 'pngjs';
import { afterEach, describe, expect, test } from 'vitest';
import { digestChartPng } from '../../../adapters/charts/digest-chart-png.js';
import { chartColours, defaultChartSize } from '../../../adapters/charts/digest-chart-svg.js';
import { renderDigest } from '../../../adapters/slack/blocks/digest-blocks.js';
import { renderMessage } from '../../../adapters/slack/blocks/render-message.js';
import type { DrawChart } from '../../../adapters/slack/post-digest.js';
import { SlackAccess } from '../../../adapters/slack/slack-access.js';
import { deliveryClient, SlackChat } from '../../../adapters/slack/slack-chat.js';
import type { DigestView } from '../../../src/digest/digest-view.js';
import type { Addressee } from '../../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../../src/ports/attestation-store.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../support/fake-slack.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop } from '../../support/loop.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { aDigest } from './blocks/core-messages.js';
import { importedAt, slackChannels, slackUsers } from './slack-harness.js';

/*
 * A digest through the Slack chat port: one message in the security channel, its blocks with the chart attached
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal), and whatever fails on the way, never two.
 */

let fake: FakeSlack | undefined;
let store: SqliteStore | undefined;
afterEach(async () => {
  await fake?.close();
  await store?.close();
  fake = undefined;
});

const security = slackChannels['sec-ownership'];
const plan = aDigest(3);
const digest = plan.message.message.digest as DigestView;
const draw: DrawChart = async (chart) => digestChartPng(chart);

async function setUp(options: { fake?: FakeSlackOptions; securityChannel?: string | null; drawChart?: DrawChart | null; chartTimeoutMs?: number } = {}) {
  store = memoryStore();
  await importLoop(store, importedAt, []);
  fake = await startFakeSlack({ users: slackUsers, channels: slackChannels, ...options.fake });
  const { logger, records } = recordingLogger('debug');
  const access = new SlackAccess(logger);
  const drawChart = options.drawChart === undefined ? draw : options.drawChart;
  const chat = new SlackChat({
    client: deliveryClient('xoxb-test-token', fake.apiUrl, logger),
    store,
    securityChannel: options.securityChannel ?? null,
    policySecurityChannel: '#sec-ownership',
    render: renderMessage,
    minIntervalMs: 0,
    access,
    logger,
    ...(drawChart === null ? {} : { drawChart }),
    ...(options.chartTimeoutMs === undefined ? {} : { chartTimeoutMs: options.chartTimeoutMs }),
  });
  let id = 0;
  const deliver = (addressee: Addressee = plan.message.addressee) => {
    id += 1;
    const delivery: OutboxDelivery = { id, messageId: 1, platform: 'slack', addressee, message: plan.message.message, revision: 1, attempts: id - 1, delivered: null, inDoubtSince: null };
    return chat.deliver(delivery);
  };
  return { chat, deliver, fake, logs: records };
}

/** How many pixels of the PNG are exactly this colour (`#rrggbb`). */
function pixelsOf(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === r && png.data[i + 1] === g && png.data[i + 2] === b) n += 1;
  return n;
}

describe('a digest posted with its chart', () => {
  test('when the digest goes to #sec-ownership, then one message is shared there by id: the digest’s blocks with the chart attached, its title and alt text the core’s', async () => {
    const { deliver, fake } = await setUp();

    const delivery = await deliver();

    const completed = fake.callsTo('files.completeUploadExternal');
    expect(delivery).toEqual({ status: 'sent', messageId: expect.stringMatching(/^\d+\.\d+$/), channel: security });
    expect(fake.calls.map((c) => c.method)).toEqual(['users.conversations', 'files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    expect(fake.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({ filename: 'steward-digest.png', alt_txt: digest.chart.altText });
    expect(completed[0]?.args).toMatchObject({ channel_id: security, files: [{ id: expect.stringMatching(/^F/), title: digest.chart.title }] });
    expect(completed[0]?.args.blocks).toEqual(JSON.parse(JSON.stringify(renderDigest(plan.message.message, digest).blocks)));
    expect(fake.messagesIn(security)).toEqual([expect.objectContaining({ subtype: 'file_share', ts: delivery.status === 'sent' ? delivery.messageId : '' })]);
    // The upload URL is its own authorisation: the bot token never goes to an address that came in an answer.
    expect(fake.callsTo('upload_url')[0]?.token).toBeNull();
  });

  test('when the chart is uploaded, then its bytes are the PNG of the chart: its size, both series in their colours', async () => {
    const { deliver, fake } = await setUp();

    await deliver();

    const [file] = [...fake.files.values()];
    expect(file?.bytes).not.toBeNull();
    expect(file?.length).toBe(file?.bytes?.length);
    const png = PNG.sync.read(file?.bytes as Buffer);
    expect({ width: png.width, height: png.height }).toEqual(defaultChartSize);
    expect(pixelsOf(png, chartColours.coverage)).toBeGreaterThan(100);
    expect(pixelsOf(png, chartColours.overdue)).toBeGreaterThan(100);
  });

  test('when SLACK_SECURITY_CHANNEL is already an id, then no channel is looked up', async () => {
    const { deliver, fake } = await setUp({ securityChannel: security });

    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });
    expect(fake.callsTo('users.conversations')).toEqual([]);
  });

  test('when a second digest goes to the same #name, then its id is remembered, not looked up again', async () => {
    const { deliver, fake } = await setUp();

    await deliver();
    await deliver();

    expect(fake.callsTo('users.conversations')).toHaveLength(1);
    expect(fake.messagesIn(security)).toHaveLength(2);
  });
});

describe('a digest whose delivery fails part way', () => {
  test('when Slack answers the upload with 429 and Retry-After, then the delivery waits that long, nothing is in the channel, and the retry posts it once', async () => {
    const { deliver, fake } = await setUp({ fake: { rateLimit: (method, n) => (method === 'upload_url' && n === 1 ? 7 : undefined) } });

    expect(await deliver()).toEqual({ status: 'rate_limited', retryAfterMs: 7_000 });
    expect(fake.callsTo('files.completeUploadExternal')).toEqual([]);
    expect(fake.messagesIn(security)).toEqual([]);

    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });
    expect(fake.messagesIn(security)).toHaveLength(1);
    // The first reserved file was never shared: nobody sees it.
    expect([...fake.files.values()].map((f) => f.channel)).toEqual([null, security]);
  });

  test('when Slack throttles the share itself, then the delivery waits its Retry-After, and the retry shares a new upload once', async () => {
    const { deliver, fake } = await setUp({ fake: { rateLimit: (method, n) => (method === 'files.completeUploadExternal' && n === 1 ? 3 : undefined) } });

    expect(await deliver()).toEqual({ status: 'rate_limited', retryAfterMs: 3_000 });
    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });

    expect(fake.messagesIn(security)).toHaveLength(1);
    expect(fake.callsTo('files.getUploadURLExternal')).toHaveLength(2);
  });

  test.each([
    { step: 'files.getUploadURLExternal', fail: { error: 'internal_error' }, expected: { status: 'transient_error', error: 'files.getUploadURLExternal: internal_error' } },
    { step: 'upload_url', fail: { status: 503 }, expected: { status: 'transient_error', error: 'the upload: http_503' } },
    { step: 'files.completeUploadExternal', fail: { error: 'internal_error' }, expected: { status: 'transient_error', error: 'files.completeUploadExternal: internal_error' } },
    { step: 'files.completeUploadExternal', fail: { status: 500 }, expected: { status: 'transient_error', error: 'files.completeUploadExternal: http_500' } },
  ])('when $step fails once with $fail, then the delivery is $expected.status, and the retry leaves exactly one digest and no chat.postMessage', async ({ step, fail, expected }) => {
    let failed = false;
    const { deliver, fake } = await setUp({
      fake: {
        fail: (method) => {
          if (method !== step || failed) return undefined;
          failed = true;
          return fail;
        },
      },
    });

    expect(await deliver()).toEqual(expected);
    expect(fake.messagesIn(security)).toEqual([]);
    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });

    expect(fake.messagesIn(security)).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  test('when the channel is gone when the file is shared, then the digest is given up as not_in_channel, naming the call', async () => {
    const { deliver } = await setUp({ securityChannel: 'C0NOTTHERE', fake: { channels: { ...slackChannels } } });

    expect(await deliver()).toEqual({ status: 'permanent_error', reason: 'not_in_channel', error: 'files.completeUploadExternal: channel_not_found' });
  });
});

describe('a digest whose chart cannot go with it', () => {
  const line = (blocks: unknown) => (blocks as Array<{ type: string; elements?: Array<{ text: string }> }>).at(-1)?.elements?.[0]?.text;

  test('when the app was installed without files:write, then the digest is posted alone with chat.postMessage, saying so, and the log names the fix', async () => {
    const { deliver, fake, logs } = await setUp({ fake: { fail: (method) => (method === 'files.getUploadURLExternal' ? { error: 'missing_scope' } : undefined) } });

    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });

    const [posted] = fake.callsTo('chat.postMessage');
    expect(fake.callsTo('files.completeUploadExternal')).toEqual([]);
    expect(line(posted?.args.blocks)).toBe('The chart could not be attached (Slack refused the upload); the figures below are complete.');
    expect(fake.messagesIn(security)).toHaveLength(1);
    expect(logs).toContainEqual(expect.objectContaining({ level: 50, slackError: 'missing_scope', msg: expect.stringContaining('reinstall the Slack app from manifest.json') }));
  });

  test('when Slack refuses the blocks as a file share’s message, then nothing was shared and the digest is posted alone', async () => {
    const { deliver, fake } = await setUp({ fake: { fail: (method) => (method === 'files.completeUploadExternal' ? { error: 'invalid_blocks' } : undefined) } });

    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });
    expect(fake.messagesIn(security)).toHaveLength(1);
    expect(fake.messagesIn(security)[0]?.subtype).toBeUndefined();
  });

  test('when the chart cannot be drawn, then the digest is posted alone, saying so, and nothing is uploaded', async () => {
    const { deliver, fake } = await setUp({
      drawChart: async () => {
        throw new Error('resvg: out of memory');
      },
    });

    expect(await deliver()).toMatchObject({ status: 'sent' });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(line(fake.callsTo('chat.postMessage')[0]?.args.blocks)).toBe('The chart could not be drawn this time; the figures below are complete.');
  });

  test('when the chart takes longer than its time, then the digest is posted alone, saying so, well inside the delivery’s lease', async () => {
    const { deliver, fake } = await setUp({ drawChart: () => new Promise<Uint8Array>(() => {}), chartTimeoutMs: 50 });

    expect(await deliver()).toMatchObject({ status: 'sent' });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage']);
    expect(line(fake.callsTo('chat.postMessage')[0]?.args.blocks)).toBe('The chart could not be drawn this time; the figures below are complete.');
  });

  test('when the server has no chart renderer, then the digest is posted alone, saying so', async () => {
    const { deliver, fake } = await setUp({ drawChart: null });

    expect(await deliver()).toMatchObject({ status: 'sent' });
    expect(line(fake.callsTo('chat.postMessage')[0]?.args.blocks)).toBe('This server draws no charts; the figures below are complete.');
  });

  test('when Steward is in no channel of that name, then the digest is tried alone and chat.postMessage says what is wrong', async () => {
    const { deliver, fake } = await setUp();

    expect(await deliver({ kind: 'security_channel', channel: '#nowhere' })).toEqual({ status: 'permanent_error', reason: 'not_in_channel', error: 'chat.postMessage: channel_not_found' });
    expect(fake.callsTo('files.getUploadURLExternal')).toEqual([]);
  });

  test('when the app was installed without channels:read, then a #named channel’s digest is posted alone and the log says to give the id', async () => {
    const { deliver, fake, logs } = await setUp({ fake: { fail: (method) => (method === 'users.conversations' ? { error: 'missing_scope' } : undefined) } });

    expect(await deliver()).toMatchObject({ status: 'sent', channel: security });
    expect(line(fake.callsTo('chat.postMessage')[0]?.args.blocks)).toBe('The chart could not be attached in this channel; the figures below are complete.');
    expect(logs).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining('give the id (C…)') }));
  });
});
