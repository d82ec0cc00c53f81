import type { DigestGroup, DigestRow, DigestView } from '../../../src/digest/digest-view.js';
import type { OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import { adaptiveCard, type AdaptiveCard, type CardElement, type Container, type Fact, type Spacing } from './adaptive-card.js';
import { cardBudgetBytes, cardBytes, frameLimits } from './card-size.js';
import { cardText, cutText } from './card-text.js';
import { chartImage, type DigestChartImage } from './digest-chart-image.js';

/**
 * How much of a digest one card shows, from the most to the least: the first level at which the card (without its
 * image, which Teams does not count) fits `cardBudgetBytes` is used. Figures are cut before they are dropped; what a
 * level leaves out is counted on the card ("…and 3 more lines"), never dropped silently.
 */
export interface DigestDetail {
  readonly rows: number;
  readonly label: number;
  readonly value: number;
  readonly notes: number;
  readonly note: number;
}

export const digestDetails: readonly [DigestDetail, ...DigestDetail[]] = [
  { rows: 30, label: 150, value: 200, notes: 10, note: 300 },
  { rows: 20, label: 100, value: 120, notes: 6, note: 200 },
  { rows: 12, label: 80, value: 80, notes: 3, note: 120 },
  { rows: 8, label: 60, value: 60, notes: 0, note: 0 },
];

/** A change in words ("+12", "−3 points") is short; anything longer is cut. */
const changeLength = 60;
const periodLength = 150;
const groupTitleLength = 100;

/** Where every line a card leaves out can be read. */
const fullList = '“steward digest --print” lists them all';

const chartMissing: Record<Extract<DigestChartImage, { status: 'not_drawn' }>['reason'], string> = {
  failed: 'The chart could not be drawn this time; the figures below are complete.',
  too_large: 'The chart came out too large for Teams to show, so it is left off; the figures below are complete.',
  refused: 'Teams refused the card with its chart, so it is posted without it; the figures below are complete.',
  no_renderer: 'This server draws no charts; the figures below are complete.',
};

const trendWord = { better: 'better', worse: 'worse', same: null } as const;

/** A figure and its change: "1,204 of 1,310 (92%) (+12, better)"; the value alone on the first digest. */
function factOf(row: DigestRow, detail: DigestDetail): Fact {
  const trend = row.trend === undefined ? null : trendWord[row.trend];
  const change = row.change === null ? '' : ` (${cutText(row.change, changeLength)}${trend === null ? '' : `, ${trend}`})`;
  // Escaped as one text, so markup cannot pair across the value and its change.
  return { title: cardText(row.label, detail.label), value: cardText(`${cutText(row.value, detail.value)}${change}`, detail.value + changeLength + 12) };
}

function smallLine(text: string, spacing: Spacing = 'none'): CardElement {
  return { type: 'TextBlock', text, wrap: true, size: 'small', isSubtle: true, spacing };
}

/** One group: its title, its figures as facts, its notes as small lines under them, and how many of each are left out. */
function groupContainer(group: DigestGroup, detail: DigestDetail): Container {
  const rows = group.rows.length > detail.rows ? group.rows.slice(0, detail.rows - 1) : group.rows;
  const hiddenRows = group.rows.length - rows.length;
  const facts = [...rows.map((row) => factOf(row, detail)), ...(hiddenRows > 0 ? [{ title: '…', value: `${hiddenRows} more figures: ${fullList}` }] : [])];
  const notes = group.notes ?? [];
  const shownNotes = notes.length > detail.notes ? notes.slice(0, Math.max(0, detail.notes - 1)) : notes;
  const hiddenNotes = notes.length - shownNotes.length;
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [
      { type: 'TextBlock', text: cardText(group.title, groupTitleLength), wrap: true, weight: 'bolder' },
      ...(facts.length > 0 ? [{ type: 'FactSet' as const, facts, spacing: 'small' as const }] : []),
      ...shownNotes.map((note, i) => smallLine(cardText(note, detail.note), i === 0 ? 'small' : 'none')),
      ...(hiddenNotes > 0 ? [smallLine(`${hiddenNotes === notes.length ? '' : '…and '}${hiddenNotes} more ${hiddenNotes === 1 ? 'line' : 'lines'}: ${fullList}`, shownNotes.length === 0 ? 'small' : 'none')] : []),
    ],
  };
}

/** The audit trail's head, to copy exactly (monospace), and what keeping it is for. */
function anchorLines(anchor: DigestView['anchor']): CardElement[] {
  if (anchor.events === 0) return [smallLine('The audit trail holds no events yet.', 'medium')];
  const head = `${anchor.events}:${anchor.headHash}`;
  return [
    { type: 'TextBlock', text: cardText(`Audit trail head: ${head}`, 120), wrap: true, size: 'small', isSubtle: true, fontType: 'monospace', spacing: 'medium' },
    smallLine('Keep it: “steward audit verify --expect-head” with it proves no event was removed since.'),
  ];
}

function compose(message: OutgoingMessage, digest: DigestView, chart: readonly CardElement[], groups: readonly Container[], droppedGroups: number): AdaptiveCard {
  const text = message.text.trim();
  return adaptiveCard(
    [
      { type: 'TextBlock', text: cardText(message.title, frameLimits.title), wrap: true, weight: 'bolder', size: 'medium', style: 'heading' },
      smallLine(cardText(digest.period, periodLength)),
      ...(text === '' || text === digest.period ? [] : [{ type: 'TextBlock' as const, text: cardText(text, frameLimits.text), wrap: true as const }]),
      ...chart,
      ...groups,
      ...(droppedGroups > 0 ? [smallLine(`${droppedGroups} more ${droppedGroups === 1 ? 'section' : 'sections'} did not fit on this card: ${fullList}`, 'small')] : []),
      ...anchorLines(digest.anchor),
    ],
    { fallbackText: cardText(`${message.title}: ${digest.period}`, frameLimits.fallbackText) },
  );
}

/**
 * A digest as one Adaptive Card: its title and period, the chart (an Image holding the PNG as a data URI, with the
 * core's sentence as alt text) or a line saying why there is none, a container per group with its figures and their
 * changes as facts and its notes as small text, then the audit trail's head in monospace. No buttons: a digest is read,
 * not answered. Within `cardBudgetBytes` without the image, however many notes the core wrote: see `digestDetails`.
 */
export function digestCard(message: OutgoingMessage, digest: DigestView, chart: DigestChartImage): AdaptiveCard {
  const chartElements = (png: Uint8Array): CardElement[] => (chart.status === 'drawn' ? [chartImage(digest.chart, png)] : [smallLine(chartMissing[chart.reason], 'medium')]);
  // Sized with an empty data URI: Teams does not count a Base64 image in a message's size (digest-chart-image.ts). A
  // group adds its JSON and a comma to the body, so the card's size is its frame's plus its groups'.
  const frameBytes = (dropped: number) => cardBytes(compose(message, digest, chartElements(new Uint8Array()), [], dropped));
  const finish = (groups: readonly Container[], dropped: number) => compose(message, digest, chartElements(chart.status === 'drawn' ? chart.png : new Uint8Array()), groups, dropped);

  let least: Container[] = [];
  let sizes: number[] = [];
  for (const detail of digestDetails) {
    least = digest.groups.map((group) => groupContainer(group, detail));
    sizes = least.map((group) => Buffer.byteLength(JSON.stringify(group), 'utf8') + 1);
    if (frameBytes(0) + sizes.reduce((sum, size) => sum + size, 0) <= cardBudgetBytes) return finish(least, 0);
  }
  // Hostile texts or hundreds of groups: the least detail, and the groups from the end left off, said on the card.
  let shown = 0;
  let used = 0;
  while (shown < least.length && frameBytes(least.length - shown - 1) + used + (sizes[shown] ?? 0) <= cardBudgetBytes) used += sizes[shown++] ?? 0;
  return finish(least.slice(0, shown), least.length - shown);
}
