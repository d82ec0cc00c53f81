import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { DigestChart } from '../../src/digest/digest-view.js';
import { chartColours, chartFontFamily, digestChartSvg } from './digest-chart-svg.js';

const require = createRequire(import.meta.url);

/**
 * The fonts the chart is drawn with, from the dejavu-fonts-ttf package: never the machine's own (`loadSystemFonts`
 * off), so the PNG is the same on a laptop, in CI and in a slim container without any font installed.
 */
export const chartFontFiles: readonly string[] = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => require.resolve(`dejavu-fonts-ttf/ttf/${file}`));

/** The digest's chart as a PNG, to upload to Slack or put in a Teams card. Takes about 0.1 s: run it off the event loop ({@link createChartRenderer}). */
export function digestChartPng(chart: DigestChart): Buffer {
  const svg = digestChartSvg(chart);
  const resvg = new Resvg(svg, {
    background: chartColours.background,
    font: { loadSystemFonts: false, fontFiles: [...chartFontFiles], defaultFontFamily: chartFontFamily, sansSerifFamily: chartFontFamily },
    fitTo: { mode: 'original' },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
