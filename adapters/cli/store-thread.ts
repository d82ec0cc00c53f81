import { Worker } from 'node:worker_threads';
import type { Policy } from '../../src/policy/policy.js';
import type { Logger } from '../logging/logger.js';
import { fromSources } from './build-layout.js';
import type { StoreJob, StoreJobResult } from './store-worker.js';

/** The thread's module: compiled beside this one in dist/, or the TypeScript source under the tests and the bench. */
const threadEntry = new URL(fromSources ? './store-worker-thread.ts' : './store-worker-thread.js', import.meta.url);
/** A worker thread starts without the main thread's module hooks: from the sources it registers tsx first. */
const threadBoot = fromSources ? new URL('./store-worker-boot.mjs', import.meta.url) : threadEntry;

interface Running {
  readonly id: number;
  /** When it was sent (performance.now()). */
  readonly sentAtMs: number;
  readonly worker: Worker;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * One worker thread with its own connection to the database, running one job at a time (its owner sends the next
 * when it is idle). The thread starts at the first job; one that dies fails its job and is replaced at the next.
 */
export class StoreThread {
  private worker: Worker | null = null;
  private running: Running | null = null;
  private nextId = 1;

  constructor(
    private readonly options: {
      readonly dbPath: string;
      readonly policy: Policy;
      readonly logger: Logger;
      /** Runs at a lower CPU priority than the main thread (chat commands; not the tick, which holds the write lock). */
      readonly background: boolean;
    },
  ) {}

  /** Whether a job is in progress here. */
  busy(): boolean {
    return this.running !== null;
  }

  /** How long the job in progress has been running, in milliseconds; 0 when idle. */
  busyForMs(nowMs: number): number {
    return this.running === null ? 0 : nowMs - this.running.sentAtMs;
  }

  /** Starts the thread now rather than at the first job, so that job does not wait for its start. */
  start(): void {
    this.thread();
  }

  run(job: StoreJob): Promise<unknown> {
    if (this.running !== null) throw new Error('a store thread runs one job at a time');
    return new Promise((resolve, reject) => {
      const worker = this.thread();
      const id = this.nextId++;
      this.running = { id, sentAtMs: performance.now(), worker, resolve, reject };
      // Held while it has work, so a job in progress keeps the process alive; let go when idle.
      worker.ref();
      worker.postMessage({ id, job });
    });
  }

  /** Ends the thread (its connection closes with it); the caller waits for its job first. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private thread(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(threadBoot, {
      workerData: { entry: threadEntry.href, dbPath: this.options.dbPath, policy: this.options.policy, background: this.options.background },
    });
    worker.on('message', (result: StoreJobResult) => {
      const running = this.running;
      if (running === null || running.worker !== worker || running.id !== result.id) return;
      this.running = null;
      worker.unref();
      if (result.ok) running.resolve(result.value);
      // The code crosses too: SQLITE_BUSY is how the scheduler knows an import holds the database.
      else running.reject(Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack, ...(result.error.code === undefined ? {} : { code: result.error.code }) }));
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the store worker stopped (exit code ${code})`)));
    // An idle thread must not keep the process alive on its own: shutdown closes it explicitly.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** A thread that failed or exited: its job fails (Node reports `error`, then `exit`: the second finds none). */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const running = this.running;
    if (running === null || running.worker !== worker) return;
    this.running = null;
    this.options.logger.error({ err: error, jobs: 1 }, 'the store worker failed; its jobs are failed and the next job starts a new one');
    running.reject(error);
  }
}
