import { parentPort } from 'node:worker_threads';
import type { ChartJob, ChartJobResult } from '../../../../adapters/charts/chart-job.js';

/*
 * A chart thread that dies as a real one can (out of memory, a crash in a native module): it exits at a chart titled
 * "die", and answers any other with its title's bytes, so a test sees which thread answered what.
 */

const port = parentPort;
if (port === null) throw new Error('dying-chart-thread runs as a worker thread');

port.on('message', (job: ChartJob) => {
  if (job.chart.title === 'die') process.exit(3);
  port.postMessage({ id: job.id, ok: true, png: new TextEncoder().encode(job.chart.title) } satisfies ChartJobResult);
});
