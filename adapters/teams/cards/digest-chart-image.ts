import type { DigestChart } from '../../../src/digest/digest-view.js';
import type { Image } from './adaptive-card.js';
import { plainText } from './card-text.js';

/**
 * A digest's chart as the Teams card gets it: the PNG drawn, or why there is none. Why is data; the card words it,
 * and the digest is posted either way (its figures are the message, the chart only shows their trend).
 * - `failed`: the renderer threw or did not answer in time.
 * - `too_large`: the PNG is past what Teams shows inline (over 1024 × 1024 pixels or 1 MB), or not a PNG.
 * - `refused`: Teams refused the card with the chart on it (400, or 413 MessageSizeTooBig), so it went without.
 * - `no_renderer`: this server was started without a chart renderer.
 */
export type DigestChartImage =
  | { readonly status: 'drawn'; readonly png: Uint8Array }
  | { readonly status: 'not_drawn'; readonly reason: 'failed' | 'too_large' | 'refused' | 'no_renderer' };

/**
 * Teams' limits for a card's inline image (learn.microsoft.com, "Format cards in Microsoft Teams": PNG, JPEG or GIF,
 * within 1024 × 1024 pixels and under 1 MB). Past them an image may be dropped without a word, so the card says so
 * instead. A data URI's bytes are not counted in the bot message limit ("Format your bot messages": the limit does
 * not include Base64-encoded images), which is why the card's budget is measured without it.
 */
export const teamsImageLimits = { pixels: 1024, bytes: 1024 * 1024 } as const;

/** The most of the chart's alternative text a card carries: a sentence or two, well inside the card's budget. */
export const altTextLength = 600;

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's width and height, read from its IHDR chunk (always the first, at byte 8), or null for what is not a PNG. */
export function pngSize(png: Uint8Array): { readonly width: number; readonly height: number } | null {
  if (png.length < 24 || pngSignature.some((byte, i) => png[i] !== byte)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Whether Teams would show this PNG inline: a PNG, within its pixels and its bytes. */
export function fitsTeamsImage(png: Uint8Array): boolean {
  const size = pngSize(png);
  return size !== null && size.width > 0 && size.height > 0 && size.width <= teamsImageLimits.pixels && size.height <= teamsImageLimits.pixels && png.byteLength <= teamsImageLimits.bytes;
}

/** The chart as a card Image: the PNG in a data URI, the core's sentence as its alternative text. */
export function chartImage(chart: DigestChart, png: Uint8Array): Image {
  return { type: 'Image', url: `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64')}`, altText: plainText(chart.altText, altTextLength), size: 'auto', spacing: 'medium' };
}
