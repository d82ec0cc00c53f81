import { Worker } from 'node:worker_threads';
import type { DigestChart } from '../../src/digest/digest-view.js';
import type { ChartJob, ChartJobResult } from './chart-job.js';

/** A worker thread starts without the main thread's module hooks: a TypeScript entry (tests, bench) is started by this, which registers tsx first. */
const typescriptBoot = new URL('./chart-thread-boot.mjs', import.meta.url);

interface Waiting {
  readonly chart: DigestChart;
  resolve(png: Buffer): void;
  reject(error: Error): void;
}

interface Running extends Waiting {
  readonly id: number;
  readonly worker: Worker;
}

/**
 * One worker thread drawing charts, one at a time, the others waiting their turn in order. The thread starts at
 * the first chart and is kept for the next; one that dies fails its chart and is replaced at the next.
 */
export class ChartThread {
  private worker: Worker | null = null;
  private running: Running | null = null;
  private readonly waiting: Waiting[] = [];
  private nextId = 1;
  private closed = false;

  /** @param entry the thread's module: compiled JavaScript, or a TypeScript source (run through tsx). */
  constructor(private readonly entry: URL) {}

  png(chart: DigestChart): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the chart renderer is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ chart, resolve, reject });
      this.next();
    });
  }

  /** Ends the thread; charts not drawn yet fail. The process may then exit: nothing of the renderer holds it. */
  async close(): Promise<void> {
    this.closed = true;
    const unfinished = [...(this.running === null ? [] : [this.running]), ...this.waiting.splice(0)];
    this.running = null;
    for (const job of unfinished) job.reject(new Error('the chart renderer is closed'));
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private next(): void {
    if (this.running !== null) return;
    const job = this.waiting.shift();
    if (job === undefined) return;
    const worker = this.thread();
    const id = this.nextId++;
    this.running = { ...job, id, worker };
    // Held while it draws, so a chart in progress keeps the process alive; let go when idle.
    worker.ref();
    worker.postMessage({ id, chart: job.chart } satisfies ChartJob);
  }

  private thread(): Worker {
    if (this.worker !== null) return this.worker;
    const typescript = this.entry.pathname.endsWith('.ts');
    const worker = new Worker(typescript ? typescriptBoot : this.entry, typescript ? { workerData: { entry: this.entry.href } } : {});
    worker.on('message', (result: ChartJobResult) => {
      const running = this.running;
      if (running === null || running.worker !== worker || running.id !== result.id) return;
      this.running = null;
      worker.unref();
      if (result.ok) running.resolve(Buffer.from(result.png.buffer, result.png.byteOffset, result.png.byteLength));
      else running.reject(Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack }));
      this.next();
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the chart thread stopped (exit code ${code})`)));
    // An idle thread must not keep the process alive on its own.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** A thread that failed or exited: its chart fails, and the next chart starts a new thread (Node reports `error`, then `exit`: the second finds none). */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const running = this.running;
    if (running === null || running.worker !== worker) return;
    this.running = null;
    running.reject(error);
    this.next();
  }
}
