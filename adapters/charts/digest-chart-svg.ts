import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, type GridComponentOption, type LegendComponentOption, type TitleComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { DigestChart } from '../../src/digest/digest-view.js';

// Only the parts the digest chart draws: loading all of ECharts would double the renderer's start.
use([LineChart, BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

type DigestChartOption = ComposeOption<LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption>;

/** The chart's size in pixels: wide enough for twelve dates, small enough for an Adaptive Card's data URI. */
export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

export const defaultChartSize: ChartSize = { width: 720, height: 360 };

/** The font the SVG names; the PNG renderer loads this one from the dejavu-fonts-ttf package, never the machine's. */
export const chartFontFamily = 'DejaVu Sans';

/**
 * The series' colours, dark enough to read on white (contrast above 4.5:1) and apart for most colour-blind readers
 * by shape as well: coverage is a line with dots, overdue are bars.
 */
export const chartColours = { coverage: '#1a7f37', overdue: '#cf222e', text: '#1f2328', axis: '#57606a', grid: '#d0d7de', background: '#ffffff' } as const;

/** Overdue ticks: as many intervals as the coverage axis (0, 20 … 100), so both axes share the grid lines. */
const tickCount = 5;

/** The smallest whole step of 1, 2, 2.5 or 5 × 10ⁿ that fits the highest bar in five intervals (1 when none is overdue). */
export function overdueStep(highest: number): number {
  const wanted = Math.max(1, Math.ceil(highest / tickCount));
  for (let scale = 1; ; scale *= 10) {
    for (const step of [1, 2, 2.5, 5]) if (Number.isInteger(step * scale) && step * scale >= wanted) return step * scale;
  }
}

/** A whole number as the axis shows it ("1,204"); the locale is fixed so every machine draws the same. */
const count = (value: number) => value.toLocaleString('en-US');

/** A percentage to one decimal at most ("92.4", "100"). */
const percent = (value: number) => String(Math.round(value * 10) / 10);

/** Text as SVG character data. */
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Axis labels at 12 px DejaVu Sans are at most about 7.5 px a character: the axis name goes beside the widest. */
const labelWidth = (text: string) => Math.ceil(text.length * 7.5);

/** A date's width at 12 px DejaVu Sans, closer than {@link labelWidth}: spaces and narrow letters take half a digit, M and W a digit and a half. */
function dateWidth(text: string): number {
  let width = 0;
  for (const character of text) width += / |[.,:;'!|iIljft]/.test(character) ? 3.8 : /[MWmw]/.test(character) ? 11 : 7.6;
  return Math.ceil(width);
}

/** The ECharts option for a digest chart: coverage (%) as a line on the left axis, overdue as bars on the right. */
export function digestChartOption(chart: DigestChart, size: ChartSize = defaultChartSize): DigestChartOption {
  const step = overdueStep(Math.max(0, ...chart.points.map((point) => point.overdue)));
  const overdueMax = step * tickCount;
  const rightLabelWidth = labelWidth(count(overdueMax));
  const leftLabelWidth = labelWidth('100%');
  const grid = { left: 36 + leftLabelWidth, right: 36 + rightLabelWidth, top: 82 };
  // Dates wider than their place under the plot are slanted rather than overlapping (the core's "7 Dec" fit twelve).
  const place = (size.width - grid.left - grid.right) / Math.max(1, chart.points.length);
  const widestDate = Math.max(0, ...chart.points.map((point) => dateWidth(point.label)));
  const slanted = widestDate > place - 4;
  const datesHeight = slanted ? Math.ceil(widestDate / 2 + 11) : 12;
  const axisName = { color: chartColours.text, fontSize: 12, fontWeight: 'bold' as const };
  const axisLabel = { color: chartColours.text, fontSize: 12 };
  const axisLine = { show: true, lineStyle: { color: chartColours.axis } };
  return {
    animation: false,
    backgroundColor: chartColours.background,
    textStyle: { fontFamily: chartFontFamily, color: chartColours.text },
    title: { text: chart.title, left: 16, top: 10, textStyle: { fontSize: 16, fontWeight: 'bold', color: chartColours.text } },
    legend: {
      left: 16,
      top: 38,
      itemWidth: 22,
      itemHeight: 12,
      itemGap: 24,
      textStyle: { fontSize: 12, color: chartColours.text },
      data: [chart.axis.coverage, chart.axis.overdue],
    },
    grid: { ...grid, bottom: 46 + datesHeight },
    xAxis: {
      type: 'category',
      data: chart.points.map((point) => point.label),
      name: chart.axis.x,
      nameLocation: 'middle',
      nameGap: 20 + datesHeight,
      nameTextStyle: axisName,
      axisLabel: { ...axisLabel, interval: 0, rotate: slanted ? 30 : 0 },
      axisLine,
      axisTick: { alignWithLabel: true },
    },
    yAxis: [
      {
        type: 'value',
        name: chart.axis.coverage,
        nameLocation: 'middle',
        nameGap: 16 + leftLabelWidth,
        nameTextStyle: axisName,
        min: 0,
        max: 100,
        interval: 100 / tickCount,
        axisLabel: { ...axisLabel, formatter: '{value}%' },
        axisLine,
        splitLine: { lineStyle: { color: chartColours.grid } },
      },
      {
        type: 'value',
        name: chart.axis.overdue,
        nameLocation: 'middle',
        nameGap: 16 + rightLabelWidth,
        nameRotate: -90,
        nameTextStyle: axisName,
        min: 0,
        max: overdueMax,
        interval: step,
        axisLabel: { ...axisLabel, formatter: (value: number) => count(value) },
        axisLine,
        // The coverage axis draws the grid; the overdue ticks fall on the same lines.
        splitLine: { show: false },
      },
    ],
    series: [
      {
        type: 'bar',
        name: chart.axis.overdue,
        yAxisIndex: 1,
        data: chart.points.map((point) => point.overdue),
        itemStyle: { color: chartColours.overdue },
        barMaxWidth: 28,
        z: 1,
      },
      {
        type: 'line',
        name: chart.axis.coverage,
        yAxisIndex: 0,
        // The latest figure is written by its dot: the one number a reader looks for.
        data: chart.points.map((point, index) => {
          const value = Math.min(100, Math.max(0, point.coveragePercent));
          if (index < chart.points.length - 1) return value;
          return { value, label: { show: true, position: 'top', distance: 8, formatter: `${percent(value)}%`, color: chartColours.coverage, fontSize: 12, fontWeight: 'bold' } };
        }),
        lineStyle: { color: chartColours.coverage, width: 3 },
        itemStyle: { color: chartColours.coverage },
        symbol: 'circle',
        symbolSize: 8,
        showSymbol: true,
        // Drawn over the bars: the trend the security lead reads first.
        z: 3,
      },
    ],
  };
}

/**
 * The digest's chart as an SVG document, drawn by ECharts on the server (no browser, no DOM), with its alt text as
 * the document's title, which screen readers announce when the SVG is inlined (the evidence report).
 */
export function digestChartSvg(chart: DigestChart, size: ChartSize = defaultChartSize): string {
  // Disposed even when drawing fails: a live instance keeps a timer that holds the process open.
  const instance = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    instance.setOption(digestChartOption(chart, size));
    // ECharts' aria option does not reach a server-rendered SVG: the title goes in by hand.
    return instance.renderToSVGString().replace(/^<svg\b[^>]*>/, (open) => `${open.replace(/>$/, ' role="img">')}<title>${escapeXml(chart.altText)}</title>`);
  } finally {
    instance.dispose();
  }
}
