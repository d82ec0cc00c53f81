import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { runTick } from '../../src/attestation/run-tick.js';
import type { Policy } from '../../src/policy/policy.js';
import { runChatCommand } from '../chat/run-chat-command.js';
import { openDatabase } from './open-database.js';
import { tickSummary, type StoreJob, type StoreJobResult } from './store-worker.js';

/*
 * A store worker's thread: its own connection to the database (WAL lets it read while other connections write;
 * writes take turns through the busy timeout), running the jobs that can take seconds on a large inventory, one at
 * a time (`StoreThread` sends the next when this one is answered), so the main thread's event loop stays free to
 * acknowledge chat platforms in time (Slack: 3 seconds). Several run chat commands side by side; one runs the tick.
 */

/*
 * A tick batch holds the database's write lock while it decides and writes (about 0.4 s per 1,000 items due on
 * the bench machine); the main thread's writes (a click's answer, the outbox, an event id) wait for it with
 * the event loop blocked. So the worker ticks in small batches and pauses between them: in a catch-up tick
 * with thousands due the main thread waits at most one batch. (A batch takes in all the due items of the people
 * in it, so each person still gets one prompt in the tick.)
 */
const tickBatchInWorker = 1_000;
const letOthersWrite = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

/**
 * How much a command thread defers to the others for the CPU (nice 10). The main thread's event loop acknowledges
 * each Slack request within 3 seconds; with commands busy on every core it must still get the CPU first. Linux
 * keeps a nice value per thread; elsewhere it would lower the whole process, so it is left alone there. The tick's
 * thread keeps its priority: it holds the write lock that the main thread's writes wait for.
 */
const backgroundNice = 10;

const { dbPath, policy, background } = workerData as { readonly dbPath: string; readonly policy: Policy; readonly background: boolean };
if (background && process.platform === 'linux') os.setPriority(backgroundNice);
const store = openDatabase(dbPath);
const port = parentPort;
if (port === null) throw new Error('store-worker-thread runs as a worker thread');

async function run(job: StoreJob): Promise<unknown> {
  const clock = { now: () => new Date(job.now) };
  switch (job.kind) {
    case 'chat_command': {
      const { kind: _kind, now: _now, ...request } = job;
      return runChatCommand({ store, clock, policy }, request);
    }
    case 'tick': {
      const report = await runTick(store, policy, clock.now(), { batchSize: tickBatchInWorker, between: letOthersWrite });
      return tickSummary(report);
    }
  }
}

port.on('message', (message: { readonly id: number; readonly job: StoreJob }) => {
  void run(message.job).then(
    (value): void => port.postMessage({ id: message.id, ok: true, value } satisfies StoreJobResult),
    (error: unknown): void => {
      const code = (error as { code?: unknown } | null)?.code;
      const failure =
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack ?? '', ...(typeof code === 'string' ? { code } : {}) }
          : { name: 'Error', message: String(error), stack: '' };
      port.postMessage({ id: message.id, ok: false, error: failure } satisfies StoreJobResult);
    },
  );
});

port.on('close', () => void store.close());
