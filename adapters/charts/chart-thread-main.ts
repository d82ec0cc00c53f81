import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { ChartJob, ChartJobResult } from './chart-job.js';
import { digestChartPng } from './digest-chart-png.js';

/*
 * The chart thread: ECharts and resvg run here, one chart at a time (`ChartThread` sends the next when this one is
 * answered), so the main thread's event loop stays free to acknowledge chat platforms in time (Slack: 3 seconds).
 */

/**
 * A chart is never urgent: the thread defers to the main thread for the CPU (nice 10), as the store's command
 * threads do. Linux keeps a nice value per thread; elsewhere it would lower the whole process, so it is left alone.
 */
if (process.platform === 'linux') os.setPriority(10);

const port = parentPort;
if (port === null) throw new Error('chart-thread-main runs as a worker thread');

port.on('message', (job: ChartJob) => {
  let result: ChartJobResult;
  try {
    // A copy of exactly the PNG's bytes, whose buffer is then moved to the main thread rather than cloned.
    result = { id: job.id, ok: true, png: new Uint8Array(digestChartPng(job.chart)) };
  } catch (error) {
    result = {
      id: job.id,
      ok: false,
      error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack ?? '' } : { name: 'Error', message: String(error), stack: '' },
    };
  }
  port.postMessage(result, result.ok ? [result.png.buffer as ArrayBuffer] : []);
});
