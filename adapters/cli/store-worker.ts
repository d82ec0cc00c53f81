import os from 'node:os';
import type { TickReport } from '../../src/attestation/run-tick.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Logger } from '../logging/logger.js';
import type { ChatReply } from '../chat/chat-reply.js';
import type { ChatCommandRequest } from '../chat/run-chat-command.js';
import { StoreThread } from './store-thread.js';

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
 * How many threads run chat commands side by side: one per core, at least two and at most four. A command is SQLite
 * work on its thread's own connection (WAL: readers never wait for each other or for the writer), and each thread
 * holds a connection with its page cache.
 */
export function defaultCommandThreads(cores = os.availableParallelism()): number {
  return Math.max(2, Math.min(4, cores));
}

/**
 * A command running this long is slow (a `who` that scans every name, a count of a million rows, a write waiting for
 * the lock): when every thread has one, the next command gets a thread of its own rather than waiting behind them.
 */
const slowCommandMs = 100;

export interface StoreWorkerOptions {
  readonly dbPath: string;
  readonly policy: Policy;
  readonly logger: Logger;
  /** Threads for chat commands; `defaultCommandThreads()` when absent. Up to as many again are added while all are slow. */
  readonly commandThreads?: number;
}

interface Queued {
  readonly job: StoreJob;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Jobs waiting, in order, for the first idle thread. `size` threads are kept; while every one of them is on a job
 * that has run for `slowMs`, more are started, up to `maxSize`, each ended once idle with nothing waiting, so a few
 * slow jobs never hold up the quick ones queued behind them (the CPU is shared, and a quick job ends quickly).
 */
class ThreadPool {
  private readonly threads: StoreThread[] = [];
  private readonly queue: Queued[] = [];
  private recheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: { readonly size: number; readonly maxSize: number; readonly slowMs: number },
    private readonly newThread: () => StoreThread,
  ) {}

  run(job: StoreJob): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Starts the kept threads now, so the first burst of jobs does not wait for them to start. */
  start(): void {
    while (this.threads.length < this.options.size) this.threads.push(this.newThread());
    for (const thread of this.threads) thread.start();
  }

  async close(): Promise<void> {
    clearTimeout(this.recheck);
    await Promise.all(this.threads.map((thread) => thread.close()));
  }

  private dispatch(): void {
    clearTimeout(this.recheck);
    for (;;) {
      const next = this.queue[0];
      if (next === undefined) return;
      const thread = this.freeThread();
      if (thread === undefined) return;
      this.queue.shift();
      // The thread's job is cleared before these callbacks run: the next job can go to it at once.
      void thread
        .run(next.job)
        .then(next.resolve, next.reject)
        .finally(() => this.done(thread));
    }
  }

  private done(thread: StoreThread): void {
    const extra = this.threads.length > this.options.size;
    if (extra && this.queue.length === 0 && !thread.busy()) {
      this.threads.splice(this.threads.indexOf(thread), 1);
      void thread.close();
    }
    this.dispatch();
  }

  /** An idle thread; else a new one if there is room; else undefined, with a look again once all could be slow. */
  private freeThread(): StoreThread | undefined {
    const idle = this.threads.find((thread) => !thread.busy());
    if (idle !== undefined) return idle;
    const { size, maxSize, slowMs } = this.options;
    const nowMs = performance.now();
    const quickest = Math.min(...this.threads.map((thread) => thread.busyForMs(nowMs)));
    if (this.threads.length < size || (this.threads.length < maxSize && quickest >= slowMs)) {
      const thread = this.newThread();
      this.threads.push(thread);
      return thread;
    }
    if (this.threads.length < maxSize) this.recheck = setTimeout(() => this.dispatch(), slowMs - quickest).unref();
    return undefined;
  }
}

/**
 * Worker threads, each with its own connection to the database, for what can block for seconds on a large
 * inventory: chat commands (a `who` that matches nothing scans every name; `unowned` counts a million rows) and the
 * tick (thousands of items due in one transaction). better-sqlite3 is synchronous, so run on the main thread these
 * would hold up every request behind them, and Slack wants each acknowledged within 3 seconds.
 *
 * Chat commands run side by side on a few threads (`commandThreads`, more while all are on slow ones), each taking
 * the oldest waiting command when it is free, so a slow command holds up its own thread only; they run at a lower
 * CPU priority than the main thread. A command that writes (`attest`, `claim`) writes in its own transaction
 * through SQLite's single writer, waiting its turn (the busy timeout) on its thread, not on the event loop. Ticks
 * run one at a time, in order, on a thread of their own. A thread that dies fails the job it held and is replaced
 * at the next.
 */
export class StoreWorker {
  private readonly commands: ThreadPool;
  private readonly ticks: ThreadPool;
  private readonly inflight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: StoreWorkerOptions) {
    const { dbPath, policy, logger } = options;
    const size = options.commandThreads ?? defaultCommandThreads();
    this.commands = new ThreadPool({ size, maxSize: 2 * size, slowMs: slowCommandMs }, () => new StoreThread({ dbPath, policy, logger, background: true }));
    this.ticks = new ThreadPool({ size: 1, maxSize: 1, slowMs: Infinity }, () => new StoreThread({ dbPath, policy, logger, background: false }));
  }

  /** Starts the command threads now (`serve` at start-up), so the first commands do not wait for them. */
  start(): void {
    this.commands.start();
  }

  /** The answer to a chat command, for its platform to render. */
  async chatCommand(request: ChatCommandRequest, now: Date): Promise<ChatReply> {
    return (await this.run(this.commands, { ...request, kind: 'chat_command', now: now.toISOString() })) as ChatReply;
  }

  async tick(now: Date): Promise<TickSummary> {
    return (await this.run(this.ticks, { kind: 'tick', now: now.toISOString() })) as TickSummary;
  }

  /** Waits for the jobs sent (running or waiting), then ends the threads (their connections close with them). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.inflight);
    await Promise.all([this.commands.close(), this.ticks.close()]);
  }

  private run(pool: ThreadPool, job: StoreJob): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the store worker is closed'));
    const done = pool.run(job);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(settled);
    void settled.then(() => this.inflight.delete(settled));
    return done;
  }
}
