import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/*
 * Draws the two icons a Teams app package carries, and writes them as PNG with node:zlib alone (no image library):
 * - color.png, 192×192, full bleed: the accent colour as background, a white shield with a green check mark inside
 *   the 120×120 safe area Teams keeps clear of its masks;
 * - outline.png, 32×32: the same shield as a white outline with its check, on a transparent background (Teams
 *   tints it; any other colour would show).
 * The committed PNGs are this file's output: `npx tsx adapters/teams/manifest/draw-icons.ts` writes them again beside
 * it, and a test holds the committed pixels equal to what it draws.
 */

/** An image as 8-bit RGBA rows, top to bottom. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/** The manifest's accentColor: the background of the colour icon. */
export const accentColor = '#1d3b53';
const white = [0xff, 0xff, 0xff] as const;
const checkGreen = [0x2e, 0xa0, 0x6b] as const;

type Point = readonly [number, number];

/** A quadratic Bézier from `a` to `b` bent towards `control`, as `steps` points (without `a`). */
function quadratic(a: Point, control: Point, b: Point, steps: number): Point[] {
  return Array.from({ length: steps }, (_, i) => {
    const t = (i + 1) / steps;
    const u = 1 - t;
    return [u * u * a[0] + 2 * u * t * control[0] + t * t * b[0], u * u * a[1] + 2 * u * t * control[1] + t * t * b[1]] as const;
  });
}

/** The shield in a unit square (y down): a low roof, straight sides, and two curves meeting in a point at the bottom. */
const shield: readonly Point[] = [
  [0.06, 0.14],
  [0.5, 0.02],
  [0.94, 0.14],
  [0.94, 0.5],
  ...quadratic([0.94, 0.5], [0.93, 0.84], [0.5, 1], 24),
  ...quadratic([0.5, 1], [0.07, 0.84], [0.06, 0.5], 24),
];

/** The check mark inside the shield, in the shield's unit square. */
const check: readonly Point[] = [
  [0.28, 0.54],
  [0.44, 0.7],
  [0.73, 0.38],
];

/** Where the shield's unit square lands in an image, in pixels. */
interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const place = (points: readonly Point[], box: Box): Point[] => points.map(([x, y]) => [box.left + x * box.width, box.top + y * box.height] as const);

/** Even-odd rule: is `p` inside the closed polygon? */
function inside(p: Point, polygon: readonly Point[]): boolean {
  let crossings = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i] as Point;
    const [xj, yj] = polygon[j] as Point;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) crossings = !crossings;
  }
  return crossings;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** Distance from `p` to a polyline (closed: back to its first point too). */
function distanceToPath(p: Point, path: readonly Point[], closed: boolean): number {
  let nearest = Number.POSITIVE_INFINITY;
  const segments = closed ? path.length : path.length - 1;
  for (let i = 0; i < segments; i++) nearest = Math.min(nearest, distanceToSegment(p, path[i] as Point, path[(i + 1) % path.length] as Point));
  return nearest;
}

/** How much of pixel (x, y) a shape covers, 0 to 1: a 4×4 grid of samples, so edges are smooth. */
function coverage(x: number, y: number, shape: (p: Point) => boolean): number {
  const grid = 4;
  let hits = 0;
  for (let i = 0; i < grid; i++) for (let j = 0; j < grid; j++) if (shape([x + (i + 0.5) / grid, y + (j + 0.5) / grid])) hits++;
  return hits / (grid * grid);
}

function hexRgb(hex: string): readonly [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

const mix = (under: readonly number[], over: readonly number[], amount: number) => under.map((c, i) => Math.round(c + ((over[i] as number) - c) * amount));

/** 192×192, full bleed: accent background, white shield, green check, the shield 120 px high in the middle. */
export function drawColorIcon(): RgbaImage {
  const size = 192;
  const box: Box = { left: 44, top: 36, width: 104, height: 120 };
  const outline = place(shield, box);
  const mark = place(check, box);
  const markWidth = 0.11 * box.width;
  const background = hexRgb(accentColor);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let colour = mix(background, white, coverage(x, y, (p) => inside(p, outline)));
      colour = mix(colour, checkGreen, coverage(x, y, (p) => distanceToPath(p, mark, false) <= markWidth / 2));
      rgba.set([...colour, 0xff], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, rgba };
}

/** 32×32: the shield's border and the check in white; everything else fully transparent. */
export function drawOutlineIcon(): RgbaImage {
  const size = 32;
  const box: Box = { left: 4.5, top: 2.5, width: 23, height: 27 };
  const outline = place(shield, box);
  const mark = place(check, box);
  const border = 2;
  const markWidth = 2.6;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const drawn = (p: Point) => (inside(p, outline) && distanceToPath(p, outline, true) <= border) || distanceToPath(p, mark, false) <= markWidth / 2;
      const alpha = Math.round(coverage(x, y, drawn) * 0xff);
      // A fully transparent pixel is black-transparent (0,0,0,0), as encoders write it; every other one is white.
      if (alpha > 0) rgba.set([...white, alpha], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, rgba };
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** PNG, 8-bit RGBA, not interlaced, every row unfiltered (filter type 0): a few kilobytes for these icons. */
export function encodePng(image: RgbaImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  const stride = image.width * 4;
  const rows = Buffer.alloc((stride + 1) * image.height);
  for (let y = 0; y < image.height; y++) rows.set(image.rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

/** The icons' file names, as the manifest's `icons` names them. */
export const iconFiles = { color: 'color.png', outline: 'outline.png' } as const;

/** Writes color.png and outline.png into `folder`. */
export function writeIcons(folder: string): void {
  writeFileSync(path.join(folder, iconFiles.color), encodePng(drawColorIcon()));
  writeFileSync(path.join(folder, iconFiles.outline), encodePng(drawOutlineIcon()));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folder = fileURLToPath(new URL('.', import.meta.url));
  writeIcons(folder);
  process.stdout.write(`wrote ${iconFiles.color} and ${iconFiles.outline} in ${folder}\n`);
}
