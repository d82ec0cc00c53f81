import type { DigestChart } from '../../src/digest/digest-view.js';
import { ChartThread } from './chart-thread.js';

/**
 * The chart thread's module, beside this one: compiled JavaScript in dist/ (`bin/steward.js`), the TypeScript
 * source under the tests and the bench (as `adapters/cli/build-layout.ts` tells them apart).
 */
const fromSources = import.meta.url.endsWith('.ts');
const threadEntry = new URL(fromSources ? './chart-thread-main.ts' : './chart-thread-main.js', import.meta.url);

/**
 * Draws digest charts as PNG off the main thread, so the thread that acknowledges Slack and Teams never runs
 * ECharts or resvg (about 0.1 s a chart, 0.3 s for the first).
 */
export interface ChartRenderer {
  /** The chart as a PNG (720×360, about 30 KB for twelve digests); charts asked for together are drawn in turn. Fails when the thread fails or dies. */
  png(chart: DigestChart): Promise<Buffer>;
  /** Stops the thread: charts not drawn yet fail, later ones are refused. An idle renderer never keeps the process alive, closed or not. */
  close(): Promise<void>;
}

/** A chart renderer with one worker thread, started at the first chart and kept for the next. */
export function createChartRenderer(): ChartRenderer {
  const thread = new ChartThread(threadEntry);
  return { png: (chart) => thread.png(chart), close: () => thread.close() };
}
