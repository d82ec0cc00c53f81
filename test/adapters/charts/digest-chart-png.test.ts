import { describe, expect, test } from 'vitest';
import { digestChartPng } from '../../../adapters/charts/digest-chart-png.js';
import { chartColours } from '../../../adapters/charts/digest-chart-svg.js';
import type { DigestChartPoint } from '../../../src/digest/digest-view.js';
import { digestChart, firstDigest, twelveWeeks } from './support/digest-charts.js';
import { colour, columnHits, countPixels, dark, decodePng, near, runsOnRow, type Picture, type Region } from './support/png-pixels.js';

/*
 * The PNG as a security lead sees it in Slack or Teams: decoded and looked at region by region. At 720×360 the plot
 * sits between the axes' labels (left and right) and the dates (below); the title and the legend are above it.
 */

const green = colour(chartColours.coverage);
const red = colour(chartColours.overdue);
const isGreen = (pixel: readonly number[]) => near(pixel, green);
const isRed = (pixel: readonly number[]) => near(pixel, red);

const regions = {
  legend: { left: 0, top: 34, right: 719, bottom: 56 },
  plot: { left: 72, top: 84, right: 665, bottom: 300 },
  /** The rotated name of the coverage axis, along the left edge. */
  leftName: { left: 0, top: 84, right: 24, bottom: 300 },
  /** 0% … 100%. */
  leftLabels: { left: 28, top: 76, right: 64, bottom: 308 },
  /** The overdue counts. */
  rightLabels: { left: 672, top: 76, right: 696, bottom: 308 },
  /** The rotated name of the overdue axis, along the right edge. */
  rightName: { left: 698, top: 84, right: 719, bottom: 300 },
  /** The digests' dates. */
  bottomLabels: { left: 60, top: 306, right: 680, bottom: 324 },
  /** The x axis's name, under the dates. */
  bottomName: { left: 300, top: 328, right: 440, bottom: 352 },
} satisfies Record<string, Region>;

const textIn = (picture: Picture, region: Region) => countPixels(picture, region, dark);

/** The image's outermost two pixels all round: anything drawn there was cut by the edge. */
function edgePixelsDrawn(picture: Picture): number {
  const { width, height } = picture;
  const notWhite = (pixel: readonly number[]) => !near(pixel, [255, 255, 255], 8);
  return [
    { left: 0, top: 0, right: width - 1, bottom: 1 },
    { left: 0, top: height - 2, right: width - 1, bottom: height - 1 },
    { left: 0, top: 0, right: 1, bottom: height - 1 },
    { left: width - 2, top: 0, right: width - 1, bottom: height - 1 },
  ].reduce((sum, region) => sum + countPixels(picture, region, notWhite), 0);
}

/** Each bar, left to right: its centre column and its height in pixels (the line may cross it: it is measured top to bottom). */
function bars(picture: Picture): Array<{ x: number; height: number }> {
  return runsOnRow(picture, regions.plot.bottom - 2, isRed).map((run) => {
    const x = Math.round((run.from + run.to) / 2);
    const hits = columnHits(picture, x, regions.plot, isRed);
    return { x, height: hits.at(-1)! - hits[0]! + 1 };
  });
}

/** Where the coverage line crosses column x: the middle of its longest green run there. */
function lineAt(picture: Picture, x: number): number {
  const hits = columnHits(picture, x, regions.plot, isGreen);
  const runs: number[][] = [];
  for (const y of hits) {
    const last = runs.at(-1);
    if (last !== undefined && last.at(-1) === y - 1) last.push(y);
    else runs.push([y]);
  }
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a));
  return (longest[0]! + longest.at(-1)!) / 2;
}

describe('digestChartPng, twelve digests', () => {
  const picture = decodePng(digestChartPng(digestChart(twelveWeeks)));

  test('when drawn, then it is a 720×360 PNG with nothing cut at its edges', () => {
    expect([picture.width, picture.height]).toEqual([720, 360]);
    expect(edgePixelsDrawn(picture)).toBe(0);
  });

  test('when drawn, then the plot holds the coverage line in green and the overdue bars in red, and the legend shows both colours', () => {
    expect(countPixels(picture, regions.plot, isGreen)).toBeGreaterThan(1_000);
    expect(countPixels(picture, regions.plot, isRed)).toBeGreaterThan(20_000);
    expect(countPixels(picture, regions.legend, isGreen)).toBeGreaterThan(30);
    expect(countPixels(picture, regions.legend, isRed)).toBeGreaterThan(100);
    expect(textIn(picture, regions.legend)).toBeGreaterThan(100);
  });

  test('when drawn, then there is one bar per digest, each as tall as its overdue count on a shared scale', () => {
    const drawn = bars(picture);
    const pixelsPerAttestation = drawn[0]!.height / twelveWeeks[0]!.overdue;

    expect(drawn).toHaveLength(12);
    drawn.forEach((bar, i) => expect(Math.abs(bar.height - twelveWeeks[i]!.overdue * pixelsPerAttestation)).toBeLessThanOrEqual(2));
  });

  test('when drawn, then the line passes over each bar at the height of that digest’s coverage', () => {
    const drawn = bars(picture);
    const ys = drawn.map((bar) => lineAt(picture, bar.x));
    // From the first and the last points, the scale; every point between must fall on it.
    const first = twelveWeeks[0]!.coveragePercent;
    const last = twelveWeeks.at(-1)!.coveragePercent;
    const pixelsPerPoint = (ys[0]! - ys.at(-1)!) / (last - first);

    expect(pixelsPerPoint).toBeGreaterThan(1);
    ys.forEach((y, i) => expect(Math.abs(y - (ys[0]! - (twelveWeeks[i]!.coveragePercent - first) * pixelsPerPoint))).toBeLessThanOrEqual(2));
  });

  test('when drawn, then both y axes are named and labelled in the side margins, and the dates and the x axis name are under the plot', () => {
    expect(textIn(picture, regions.leftName)).toBeGreaterThan(100);
    expect(textIn(picture, regions.leftLabels)).toBeGreaterThan(100);
    expect(textIn(picture, regions.rightLabels)).toBeGreaterThan(60);
    expect(textIn(picture, regions.rightName)).toBeGreaterThan(150);
    expect(textIn(picture, regions.bottomLabels)).toBeGreaterThan(300);
    expect(textIn(picture, regions.bottomName)).toBeGreaterThan(60);
    // No text inside the plot: the labels sit outside it, not over the data.
    expect(textIn(picture, regions.plot)).toBe(0);
  });

  test('when the axes have no names, then the margins where the names were are blank: the regions above measure the names, not something else', () => {
    const unnamed = decodePng(digestChartPng(digestChart(twelveWeeks, { axis: { x: '', coverage: '', overdue: '' } })));

    expect(textIn(unnamed, regions.leftName)).toBe(0);
    expect(textIn(unnamed, regions.rightName)).toBe(0);
    expect(textIn(unnamed, regions.bottomName)).toBe(0);
    expect(textIn(unnamed, regions.bottomLabels)).toBeGreaterThan(300);
  });

  test('when drawn, then the PNG stays small enough for an Adaptive Card data URI', () => {
    expect(digestChartPng(digestChart(twelveWeeks)).byteLength).toBeLessThan(40_000);
  });

  test('when drawn twice, then the bytes are the same: the fonts come from the package, not the machine', () => {
    expect(Buffer.compare(digestChartPng(digestChart(twelveWeeks)), digestChartPng(digestChart(twelveWeeks)))).toBe(0);
  });
});

describe('digestChartPng, the first digest', () => {
  const picture = decodePng(digestChartPng(digestChart(firstDigest)));

  test('when there is one point, then it shows one bar, a coverage dot, and labelled axes', () => {
    expect(bars(picture)).toHaveLength(1);
    expect(countPixels(picture, regions.plot, isGreen)).toBeGreaterThan(30);
    for (const region of [regions.leftName, regions.leftLabels, regions.rightLabels, regions.rightName, regions.bottomLabels, regions.bottomName]) expect(textIn(picture, region)).toBeGreaterThan(20);
    expect(edgePixelsDrawn(picture)).toBe(0);
  });
});

describe('digestChartPng, unusual figures', () => {
  test('when nothing is overdue, then no bar is drawn, and the overdue axis is still labelled', () => {
    const picture = decodePng(digestChartPng(digestChart(twelveWeeks.map((point) => ({ ...point, overdue: 0 })))));

    expect(countPixels(picture, regions.plot, isRed)).toBe(0);
    expect(countPixels(picture, regions.plot, isGreen)).toBeGreaterThan(1_000);
    expect(textIn(picture, regions.rightLabels)).toBeGreaterThan(40);
    expect(textIn(picture, regions.rightName)).toBeGreaterThan(150);
  });

  test('when thousands are overdue, then the wider counts and the axis name still fit inside the image', () => {
    const many: DigestChartPoint[] = twelveWeeks.map((point, i) => ({ ...point, overdue: 12_345 - i * 700 }));
    const picture = decodePng(digestChartPng(digestChart(many)));

    expect(edgePixelsDrawn(picture)).toBe(0);
    expect(bars(picture)).toHaveLength(12);
    expect(textIn(picture, regions.bottomLabels)).toBeGreaterThan(300);
  });

  test('when the dates are long and slanted, then they, the plot and the x axis name all fit inside the image', () => {
    const picture = decodePng(digestChartPng(digestChart(twelveWeeks.map((point) => ({ ...point, label: `Mon ${point.label} 2026` })))));

    expect(edgePixelsDrawn(picture)).toBe(0);
    // The plot is shorter, to make room for the dates: the bars are still there.
    expect(countPixels(picture, { left: 0, top: 60, right: 719, bottom: 359 }, isRed)).toBeGreaterThan(10_000);
    expect(textIn(picture, regions.bottomName)).toBeGreaterThan(60);
  });

  test('when a date label or the title has characters special in XML, then the chart is still drawn', () => {
    const picture = decodePng(digestChartPng(digestChart([{ label: 'Q4 <&>', coveragePercent: 50, overdue: 2 }], { title: 'Payments & "Ledger" <team>' })));

    expect(bars(picture)).toHaveLength(1);
    expect(textIn(picture, { left: 0, top: 0, right: 719, bottom: 32 })).toBeGreaterThan(100);
  });
});
