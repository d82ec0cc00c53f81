import { describe, expect, test } from 'vitest';
import { chartFontFamily, digestChartSvg, overdueStep } from '../../../adapters/charts/digest-chart-svg.js';
import { axis, digestChart, firstDigest, twelveWeeks } from './support/digest-charts.js';

/*
 * The SVG that ECharts draws on the server: the words a person reads on it, as the text elements hold them. (What
 * the drawing looks like is checked on the PNG, in digest-chart-png.test.ts.)
 */

const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Every text element's words, in document order. */
const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) => unescape(match[1]!));

describe('digestChartSvg', () => {
  test('when twelve digests are drawn, then the title, both axes’ names, the legend and every digest’s date are written on it', () => {
    const words = texts(digestChartSvg(digestChart(twelveWeeks)));

    expect(words).toContain('Coverage and overdue attestations, last 12 digests');
    expect(words).toContain(axis.x);
    // Each series is named twice: on its axis and in the legend.
    expect(words.filter((word) => word === axis.coverage)).toHaveLength(2);
    expect(words.filter((word) => word === axis.overdue)).toHaveLength(2);
    for (const point of twelveWeeks) expect(words).toContain(point.label);
  });

  test('when drawn, then coverage reads 0% to 100% in steps of 20, the overdue counts share those grid lines, and the latest coverage is written by its dot', () => {
    const words = texts(digestChartSvg(digestChart(twelveWeeks)));

    expect(words).toEqual(expect.arrayContaining(['0%', '20%', '40%', '60%', '80%', '100%']));
    // The worst week had 41 overdue: 0 to 50 in steps of 10.
    expect(words).toEqual(expect.arrayContaining(['0', '10', '20', '30', '40', '50']));
    expect(words).not.toContain('60');
    expect(words).toContain('92.4%');
  });

  test('when it is the first digest, then its one date is on the axis', () => {
    const words = texts(digestChartSvg(digestChart(firstDigest)));

    expect(words).toContain('7 Dec');
    expect(words).toContain('64.5%');
  });

  test('when nothing was ever overdue, then the overdue axis still counts 0 to 5 in whole steps, not 0 to 0 or in fractions', () => {
    const words = texts(digestChartSvg(digestChart(twelveWeeks.map((point) => ({ ...point, overdue: 0 })))));

    expect(words).toEqual(expect.arrayContaining(['0', '1', '2', '3', '4', '5']));
    expect(words.filter((word) => /^\d*\.\d+$/.test(word))).toEqual([]);
  });

  test('when the dates are too long to sit side by side under the plot, then each is slanted rather than overlapping the next; the short ones stay level', () => {
    /** How each date's text element is turned: its transform's first numbers (the cosine and sine of its angle), or level. */
    const angles = (svg: string, labels: readonly string[]) =>
      labels.map((label) => {
        const element = [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].find((match) => match[2] === label);
        return /transform="matrix\(([-\d.]+),([-\d.]+),/.exec(element?.[1] ?? '')?.slice(1, 3).join(',') ?? 'level';
      });
    const long = twelveWeeks.map((point) => ({ ...point, label: `Mon ${point.label} 2026` }));

    expect(new Set(angles(digestChartSvg(digestChart(long)), long.map((point) => point.label)))).toEqual(new Set(['0.866,-0.5']));
    expect(new Set(angles(digestChartSvg(digestChart(twelveWeeks)), twelveWeeks.map((point) => point.label)))).toEqual(new Set(['level']));
  });

  test('when the alt text is given, then it is the SVG’s title, escaped, for screen readers', () => {
    const svg = digestChartSvg(digestChart(twelveWeeks, { altText: 'Coverage rose to 92% & 7 are <overdue>' }));

    expect(svg).toMatch(/^<svg\b[^>]*\brole="img"[^>]*><title>Coverage rose to 92% &amp; 7 are &lt;overdue&gt;<\/title>/);
  });

  test('when drawn, then every text names the DejaVu Sans font the PNG renderer loads, and nothing moves (no animation)', () => {
    const svg = digestChartSvg(digestChart(twelveWeeks));
    const fonts = new Set([...svg.matchAll(/font-family:([^;"]+)/g)].map((match) => match[1]));

    expect([...fonts]).toEqual([chartFontFamily]);
    expect(svg).not.toMatch(/<animate|@keyframes/);
  });
});

describe('overdueStep', () => {
  test.each([
    [0, 1],
    [3, 1],
    [5, 1],
    [6, 2],
    [41, 10],
    [12, 5],
    [120, 25],
    [12_345, 2_500],
    [30_001, 10_000],
  ])('when the most overdue is %i, then the axis counts in steps of %i (five steps reach it)', (highest, step) => {
    expect(overdueStep(highest)).toBe(step);
    expect(step * 5).toBeGreaterThanOrEqual(highest);
  });
});
