import { webApi } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';

/** A PNG to post, with what Slack shows of it: its file name, its title, and the alt text screen readers read. */
export interface ChartFile {
  readonly png: Uint8Array;
  readonly filename: string;
  readonly title: string;
  readonly altText: string;
}

/** Slack's longest alt text (files.getUploadURLExternal answers `alt_txt_too_large` beyond it). */
const maxAltText = 1000;

/** The message posted (its ts when Slack's answer has it already), or the call that failed and how. */
export type FilePost = { readonly ok: true; readonly fileId: string; readonly ts: string | null } | { readonly ok: false; readonly what: string; readonly error: unknown };

/** Channel ids as files.completeUploadExternal takes them (Slack checks `channel_id` against this pattern). */
export const channelIdShape = /^[CGDZ][A-Z0-9]{8,}$/;

/**
 * Posts `blocks` with `file` attached as ONE message in `channelId`, by Slack's external upload (what the SDK's
 * files.uploadV2 does, step by step): files.getUploadURLExternal reserves the file, the bytes go to the upload URL
 * it answers, and files.completeUploadExternal shares the file in the channel with the blocks as its message.
 *
 * Only the last call shows anything: a failure at any step before it leaves nothing in the channel (the reserved
 * file is never shared), so a retry starts again from the first step and the channel still gets one digest. Posting
 * the blocks and the file as two messages would need the first one recorded before the second is tried, and the
 * outbox records a delivery once, when it is sent. A failure comes back with the call that failed and its error as
 * the Web API client throws it (a 429 on the upload as WebAPIRateLimitedError with its Retry-After), for
 * `deliveryFailure` to read.
 *
 * The three calls are made here rather than through `filesUploadV2` because it sends the alt text as `alt_text`,
 * while Slack documents `alt_txt` for files.getUploadURLExternal.
 */
export async function postWithFile(client: webApi.WebClient, channelId: string, blocks: readonly KnownBlock[], file: ChartFile, timeoutMs: number): Promise<FilePost> {
  let what = 'files.getUploadURLExternal';
  try {
    const reserved = await client.apiCall(what, { filename: file.filename, length: file.png.byteLength, alt_txt: file.altText.slice(0, maxAltText) });
    const { upload_url: uploadUrl, file_id: fileId } = reserved as { upload_url?: unknown; file_id?: unknown };
    if (typeof uploadUrl !== 'string' || typeof fileId !== 'string') throw new Error('no upload_url or file_id in the answer');
    what = 'the upload';
    await uploadBytes(uploadUrl, file.png, timeoutMs);
    what = 'files.completeUploadExternal';
    const completed = await client.files.completeUploadExternal({ files: [{ id: fileId, title: file.title }], channel_id: channelId, blocks: [...blocks] });
    return { ok: true, fileId, ts: shareTs(completed.files?.[0] as SharedFile | undefined, channelId) };
  } catch (error) {
    return { ok: false, what, error };
  }
}

/**
 * The raw bytes to Slack's upload URL. The URL carries its own authorisation, so the bot token is not sent with
 * it (it came in an answer, and a token goes only to the Web API). Failures take the Web API client's shapes.
 */
async function uploadBytes(url: string, bytes: Uint8Array, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new webApi.WebAPIRequestError(error instanceof Error ? error : new Error(String(error)));
  }
  const headers = Object.fromEntries(response.headers.entries());
  await response.body?.cancel();
  if (response.status === 429) throw new webApi.WebAPIRateLimitedError(Math.max(1, Number.parseInt(headers['retry-after'] ?? '', 10) || 1));
  if (response.status !== 200) throw new webApi.WebAPIHTTPError(response.status, response.statusText, headers);
}

type SharedFile = { readonly shares?: { readonly public?: Record<string, ReadonlyArray<{ ts?: string }>>; readonly private?: Record<string, ReadonlyArray<{ ts?: string }>> } };

/** The ts of the message that shared the file in the channel, when Slack's answer has it already (sharing can lag). */
function shareTs(file: SharedFile | undefined, channelId: string): string | null {
  const share = file?.shares?.public?.[channelId]?.[0] ?? file?.shares?.private?.[channelId]?.[0];
  return share?.ts ?? null;
}
