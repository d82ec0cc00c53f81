import { PNG } from 'pngjs';

/** A decoded PNG, read pixel by pixel as a person would look at regions of it. */
export interface Picture {
  readonly width: number;
  readonly height: number;
  /** Red, green and blue of the pixel at (x, y); alpha is ignored (the chart is opaque). */
  rgb(x: number, y: number): readonly [number, number, number];
}

export function decodePng(bytes: Uint8Array): Picture {
  const png = PNG.sync.read(Buffer.from(bytes));
  return {
    width: png.width,
    height: png.height,
    rgb(x, y) {
      const at = (png.width * y + x) * 4;
      return [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
    },
  };
}

/** A rectangle of the picture, edges included: x from `left` to `right`, y from `top` to `bottom`. */
export interface Region {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** `#rrggbb` as numbers. */
export function colour(hex: string): readonly [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** Whether a pixel is this colour, give or take the blending at a shape's edge. */
export const near = (pixel: readonly number[], target: readonly number[], tolerance = 24) => pixel.every((channel, i) => Math.abs(channel - target[i]!) <= tolerance);

/** Text is drawn in near-black: a glyph's strokes have pixels this dark, nothing else on the chart does. */
export const dark = (pixel: readonly number[]) => pixel.every((channel) => channel < 90);

/** How many pixels of the region pass the test. */
export function countPixels(picture: Picture, region: Region, test: (pixel: readonly [number, number, number]) => boolean): number {
  let count = 0;
  for (let y = region.top; y <= region.bottom; y++) for (let x = region.left; x <= region.right; x++) if (test(picture.rgb(x, y))) count++;
  return count;
}

/** The x ranges, left to right, where row y has pixels that pass the test (each bar's span on a row just above the axis). */
export function runsOnRow(picture: Picture, y: number, test: (pixel: readonly [number, number, number]) => boolean): Array<{ from: number; to: number }> {
  const runs: Array<{ from: number; to: number }> = [];
  for (let x = 0; x < picture.width; x++) {
    if (!test(picture.rgb(x, y))) continue;
    const last = runs.at(-1);
    if (last !== undefined && last.to === x - 1) last.to = x;
    else runs.push({ from: x, to: x });
  }
  return runs;
}

/** The y of the pixels in column x that pass the test, top to bottom. */
export function columnHits(picture: Picture, x: number, region: Region, test: (pixel: readonly [number, number, number]) => boolean): number[] {
  const hits: number[] = [];
  for (let y = region.top; y <= region.bottom; y++) if (test(picture.rgb(x, y))) hits.push(y);
  return hits;
}
