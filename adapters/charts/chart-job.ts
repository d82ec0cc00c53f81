import type { DigestChart } from '../../src/digest/digest-view.js';

/** What crosses to the chart thread: one chart to draw. */
export interface ChartJob {
  readonly id: number;
  readonly chart: DigestChart;
}

/** What comes back: the PNG's bytes (moved, not copied), or why it could not be drawn. */
export type ChartJobResult =
  | { readonly id: number; readonly ok: true; readonly png: Uint8Array }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack: string } };
