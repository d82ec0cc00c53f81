import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, type GridComponentOption, type LegendComponentOption, type TitleComponentOption } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ControlId, EvidenceRecordType } from '../../src/evidence/evidence-record.js';
import type { CountFigures } from './html-summary.js';

use([BarChart, GridComponent, LegendComponent, TitleComponent, SVGRenderer]);

type EvidenceChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | TitleComponentOption>;

/** The page's own font stack: the SVG is inline, so the browser draws its text with the report's fonts (none downloaded). */
const fontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif';
const text = '#1f2328';
const axis = '#57606a';
const grid = '#d0d7de';

/** Dark enough to read on white and on paper; told apart by the legend's order and the table's words as well. */
export const typeColours: Readonly<Record<EvidenceRecordType, string>> = {
  attestation: '#0969da',
  approval: '#1a7f37',
  exception: '#9a6700',
  transfer: '#8250df',
  claim: '#57606a',
};

export const outcomeColours: Readonly<Record<string, string>> = {
  attested: '#1a7f37',
  snoozed: '#0969da',
  disputed: '#9a6700',
  decommission_requested: '#8250df',
  expired: '#cf222e',
};

/** One chart: its title (also the figure's accessible name), a caption saying how to read it, and the SVG itself. */
export interface EvidenceChart {
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

export interface ChartRow {
  readonly control: ControlId;
  readonly figures: CountFigures;
}

const chartWidth = 600;
const rowHeight = 34;

/** Words for an outcome in a legend: `decommission_requested` → `decommission requested`. */
export const outcomeWords = (outcome: string) => outcome.replaceAll('_', ' ');

function stackedBars(title: string, caption: string, rows: readonly ChartRow[], series: readonly { name: string; colour: string; value: (figures: CountFigures) => number }[]): EvidenceChart {
  // Horizontal bars, the first control at the top (ECharts draws the first category at the bottom).
  const ordered = [...rows].reverse();
  const height = 110 + rowHeight * Math.max(1, rows.length);
  const option: EvidenceChartOption = {
    animation: false,
    textStyle: { fontFamily, color: text },
    title: { text: title, left: 8, top: 6, textStyle: { fontSize: 16, fontWeight: 'bold', color: text } },
    // ECharts measures text without a browser (an estimate): a wide gap keeps one legend entry off the next.
    legend: { left: 8, top: 36, itemWidth: 14, itemHeight: 10, itemGap: 22, textStyle: { fontSize: 13, color: text }, data: series.map((s) => s.name) },
    grid: { left: 90, right: 40, top: 70, bottom: 34 },
    xAxis: {
      type: 'value',
      name: 'records',
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: text, fontSize: 12 },
      minInterval: 1,
      axisLabel: { color: text, fontSize: 12 },
      axisLine: { show: true, lineStyle: { color: axis } },
      splitLine: { lineStyle: { color: grid } },
    },
    yAxis: {
      type: 'category',
      data: ordered.map((row) => row.control),
      axisLabel: { color: text, fontSize: 12, fontWeight: 'bold' },
      axisLine: { lineStyle: { color: axis } },
    },
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      stack: 'all',
      barMaxWidth: 22,
      itemStyle: { color: s.colour },
      data: ordered.map((row) => s.value(row.figures)),
    })),
  };
  const instance = init(null, null, { renderer: 'svg', ssr: true, width: chartWidth, height });
  try {
    instance.setOption(option);
    return { title, caption, svg: instance.renderToSVGString() };
  } finally {
    instance.dispose();
  }
}

/** What the report draws: the records each control holds by type, and how its attestations ended. */
export function evidenceCharts(rows: readonly ChartRow[]): EvidenceChart[] {
  const types = (Object.keys(typeColours) as EvidenceRecordType[]).filter((type) => rows.some((row) => (row.figures.byType.get(type) ?? 0) > 0));
  const outcomes = new Set(rows.flatMap((row) => [...row.figures.attestations.byOutcome.keys()]));
  const orderedOutcomes = [...Object.keys(outcomeColours).filter((o) => outcomes.has(o)), ...[...outcomes].filter((o) => !(o in outcomeColours)).sort()];
  const spare = ['#bc4c00', '#1b7c83', '#6e7781', '#bf3989'];
  return [
    stackedBars(
      'Records per control, by type',
      'Each record counts once in every control it evidences.',
      rows,
      types.map((type) => ({ name: type, colour: typeColours[type], value: (figures) => figures.byType.get(type) ?? 0 })),
    ),
    stackedBars(
      'Attestations per control, by outcome',
      'Expired: nobody answered by the end of the escalation ladder.',
      rows,
      orderedOutcomes.map((outcome, index) => ({
        name: outcomeWords(outcome),
        colour: outcomeColours[outcome] ?? spare[index % spare.length] ?? axis,
        value: (figures) => figures.attestations.byOutcome.get(outcome) ?? 0,
      })),
    ),
  ];
}
