import { Worker } from 'node:worker_threads';
import type { TickReport } from '../../src/attestation/run-tick.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Logger } from '../logging/logger.js';
import type { ChatReply } from '../chat/chat-reply.js';
import type { ChatCommandRequest } from '../chat/run-chat-command.js';

/** Work the store worker does off the main thread, each job at the time `now` the main thread's clock gave. */
export type StoreJob =
  | ({ readonly kind: 'chat_command'; readonly now: string } & ChatCommandRequest)
  | { readonly kind: 'tick'; readonly now: string };

export type StoreJobResult =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly stack: string; readonly code?: string } };

export interface TickSummary {
  readonly at: string;
  readonly messages: number;
  readonly decisions: number;
  /** Set when the tick did nothing because the database has records later than `now` (see `runTick`). */
  readonly notBefore?: string;
}

/** A tick's report as counts: its decisions other than rescheduling (which every tick does), its messages queued. */
export function tickSummary(report: TickReport): TickSummary {
  const decisions = report.decisions.filter((d) => d.type !== 'schedule' && d.type !== 'reschedule_attestation').length;
  return { at: report.at, messages: report.messages, decisions, ...(report.notBefore === undefined ? {} : { notBefore: report.notBefore }) };
}

/**
 * A worker thread with its own connection to the database, for what can block for seconds on a large
 * inventory: chat commands (a `who` that matches nothing scans every name; `unowned` counts a million rows)
 * and the tick (thousands of items due in one transaction). better-sqlite3 is synchronous, so run on the main
 * thread these would hold up every request behind them, and Slack wants each acknowledged within 3 seconds.
 * Jobs run one at a time, in order; a worker that dies is replaced at the next job, failing the jobs it held.
 */
export class StoreWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  /** Jobs sent and not answered, with the thread each went to (a dead thread fails its own jobs only). */
  private readonly pending = new Map<number, { readonly worker: Worker; resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(private readonly options: { readonly dbPath: string; readonly policy: Policy; readonly logger: Logger }) {}

  /** The answer to a chat command, for its platform to render. */
  async chatCommand(request: ChatCommandRequest, now: Date): Promise<ChatReply> {
    return (await this.run({ ...request, kind: 'chat_command', now: now.toISOString() })) as ChatReply;
  }

  async tick(now: Date): Promise<TickSummary> {
    return (await this.run({ kind: 'tick', now: now.toISOString() })) as TickSummary;
  }

  /** Waits for the job in progress, then ends the thread (its connection closes with it). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    if (worker === null) return;
    await Promise.allSettled(this.inflight);
    await worker.terminate();
  }

  private run(job: StoreJob): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the store worker is closed'));
    const id = this.nextId++;
    const done = new Promise((resolve, reject) => {
      const worker = this.thread();
      this.pending.set(id, { worker, resolve, reject });
      // Held while it has work, so a job in progress keeps the process alive; let go when idle.
      worker.ref();
      worker.postMessage({ id, job });
    });
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    return done;
  }

  private thread(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(new URL('./store-worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./store-worker-thread.ts', import.meta.url).href, dbPath: this.options.dbPath, policy: this.options.policy },
    });
    worker.on('message', (result: StoreJobResult) => {
      const waiting = this.pending.get(result.id);
      this.pending.delete(result.id);
      if (![...this.pending.values()].some((job) => job.worker === worker)) worker.unref();
      if (waiting === undefined) return;
      if (result.ok) waiting.resolve(result.value);
      // The code crosses too: SQLITE_BUSY is how the scheduler knows an import holds the database.
      else waiting.reject(Object.assign(new Error(result.error.message), { name: result.error.name, stack: result.error.stack, ...(result.error.code === undefined ? {} : { code: result.error.code }) }));
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the store worker stopped (exit code ${code})`)));
    // An idle thread must not keep the process alive on its own: shutdown closes it explicitly.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** A thread that failed or exited: its jobs fail (Node reports `error`, then `exit`: the second finds none). */
  private lost(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    const jobs = [...this.pending].filter(([, job]) => job.worker === worker);
    if (jobs.length === 0) return;
    this.options.logger.error({ err: error, jobs: jobs.length }, 'the store worker failed; its jobs are failed and the next job starts a new one');
    for (const [id, job] of jobs) {
      this.pending.delete(id);
      job.reject(error);
    }
  }
}
