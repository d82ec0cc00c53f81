import type { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { DigestChart, DigestView } from '../../src/digest/digest-view.js';
import { drawWithin } from '../charts/draw-within.js';
import type { Logger } from '../logging/logger.js';
import type { ChannelIds } from './channel-ids.js';
import { postWithFile, type ChartFile } from './chart-upload.js';
import { slackErrorCode } from './web-api-failure.js';

/** Draws a digest's chart as a PNG, off the thread that acknowledges Slack (adapters/charts' renderer runs in a worker). */
export type DrawChart = (chart: DigestChart) => Promise<Uint8Array>;

export interface DigestPostDeps {
  readonly client: webApi.WebClient;
  readonly channelIds: ChannelIds;
  /** Without one, digests are posted without their chart, saying so. */
  readonly drawChart: DrawChart | null;
  readonly timeoutMs: number;
  /** The longest a chart may take (default 10 s, as in Teams): a renderer that hangs must not hold the delivery past its lease. */
  readonly chartTimeoutMs?: number;
  readonly logger?: Logger;
}


/**
 * What became of posting a digest with its chart:
 * - `posted`: one message in the channel, the blocks with the chart attached;
 * - `without_chart`: nothing was posted, and the chart cannot go with it this time (`line` says so to the reader):
 *   the caller posts the digest alone, at once, since a digest's figures matter more than their picture;
 * - `failed`: nothing was posted, and the call that failed (`what`) and its error are for the caller's failure
 *   handling (a 429 waits its Retry-After, a token Slack refuses stops delivery), after which it is tried again.
 */
export type DigestPost =
  | { readonly status: 'posted'; readonly messageId: string; readonly channel: string }
  | { readonly status: 'without_chart'; readonly line: string }
  | { readonly status: 'failed'; readonly what: string; readonly error: unknown }
  /** Nothing was posted; worth trying again soon, for the reason given. */
  | { readonly status: 'retry'; readonly error: string };

/** The chart's file name: Slack shows its title; the name is what a download is saved as. */
const chartFilename = 'steward-digest.png';

const lines = {
  no_renderer: 'This server draws no charts; the figures below are complete.',
  failed: 'The chart could not be drawn this time; the figures below are complete.',
  not_uploaded: 'The chart could not be attached (Slack refused the upload); the figures below are complete.',
  no_channel_id: 'The chart could not be attached in this channel; the figures below are complete.',
} as const;

/**
 * Slack's answers that the file itself will not go, whatever the retry: the app was not granted `files:write`
 * (installed before digests had charts), the workspace does not take uploads, or Slack refused the blocks as a file
 * share's message. Nothing was posted then, so the digest is posted alone with chat.postMessage.
 */
const uploadRefused: ReadonlySet<string> = new Set([
  'missing_scope',
  'file_uploads_disabled',
  'file_uploads_except_images_disabled',
  'file_upload_size_restricted',
  'file_type_not_allowed',
  'alt_txt_too_large',
  'invalid_arguments',
  'invalid_blocks',
  'invalid_blocks_format',
]);

/** What the scope behind a refusal needs from an operator, for the log. */
function remedy(code: string): string {
  return code === 'missing_scope' ? 'reinstall the Slack app from manifest.json, which asks for files:write' : `Slack answered ${code}`;
}

/** The chart's file: its name, the chart's title, and the core's sentence as its alt text. */
function chartFile(png: Uint8Array, digest: DigestView): ChartFile {
  return { png, filename: chartFilename, title: digest.chart.title, altText: digest.chart.altText };
}

/**
 * Posts a digest to `channel` as ONE message carrying its chart (see `postWithFile` for why one, and why a retry
 * then never leaves two digests). The chart is drawn for each attempt: a drawing is cheaper than storing it.
 */
export async function postDigest(deps: DigestPostDeps, delivery: number, channel: string, blocks: readonly KnownBlock[], digest: DigestView): Promise<DigestPost> {
  const { logger } = deps;
  if (deps.drawChart === null) return { status: 'without_chart', line: lines.no_renderer };
  let png: Uint8Array;
  try {
    png = await drawWithin(deps.drawChart(digest.chart), deps.chartTimeoutMs);
  } catch (error) {
    logger?.error({ err: error, delivery }, 'the digest chart could not be drawn; the digest is posted without it');
    return { status: 'without_chart', line: lines.failed };
  }
  let channelId: string | null;
  try {
    channelId = await deps.channelIds.idOf(channel);
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== 'missing_scope') return { status: 'failed', what: 'users.conversations', error };
    logger?.warn({ delivery, channel }, 'Slack needs the digest channel’s id to attach the chart: give the id (C…) rather than its name, or reinstall the app from manifest.json (channels:read, groups:read); the digest is posted without the chart');
    return { status: 'without_chart', line: lines.no_channel_id };
  }
  if (channelId === null) {
    // chat.postMessage says what is wrong with the channel (not_in_channel, channel_not_found) as for any message.
    logger?.warn({ delivery, channel }, 'Steward is in no channel of that name; the digest is posted without the chart (invite Steward to the channel)');
    return { status: 'without_chart', line: lines.no_channel_id };
  }
  const posted = await postWithFile(deps.client, channelId, blocks, chartFile(png, digest), deps.timeoutMs);
  if (posted.ok) {
    // The share's ts when Slack's answer has it; else the file's id. A digest is never updated (it has no buttons), so
    // this only records what was posted.
    return { status: 'posted', messageId: posted.ts ?? posted.fileId, channel: channelId };
  }
  const code = slackErrorCode(posted.error);
  if (uploadRefused.has(code)) {
    logger?.error({ delivery, channel: channelId, step: posted.what, slackError: code }, `the digest chart could not be uploaded (${remedy(code)}); the digest is posted without it`);
    return { status: 'without_chart', line: lines.not_uploaded };
  }
  // A remembered id Slack no longer knows: looked up again by the next attempt (not given up, as a wrong name would be).
  if (code === 'channel_not_found' && channelId !== channel) {
    deps.channelIds.forget(channel);
    return { status: 'retry', error: `${posted.what}: channel_not_found for the id remembered for ${channel}; looked up again next time` };
  }
  return { status: 'failed', what: posted.what, error: posted.error };
}
