import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { runTick } from '../../src/attestation/run-tick.js';
import type { Policy } from '../../src/policy/policy.js';
import type { PlatformReach } from '../../src/ports/chat.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';
import type { Surface } from '../chat/surface.js';
import { type Environment, hasChatCredentials } from '../config/environment.js';
import { ConsoleChat } from '../console/console-chat.js';
import { type Health, type HttpServer, startHttpServer } from '../http/http-server.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { startOutboxPump, type OutboxPump } from '../scheduler/outbox-pump.js';
import { assertCron, startTickSchedule, type TickSchedule, type TickScheduleOptions } from '../scheduler/tick-schedule.js';
import { openDatabase } from './open-database.js';
import { StoreWorker, tickSummary } from './store-worker.js';
import { loadSampleInventoryIfEmpty, sampleSources } from './sample-inventory.js';
import { surfacesFor } from './surfaces-for.js';

export interface ServeOptions {
  readonly env: Environment;
  readonly dbPath: string;
  readonly policy: Policy;
  readonly logLevel: string;
  readonly clock: Clock;
  readonly input?: Readable & { readonly isTTY?: boolean };
  readonly output?: Writable;
  readonly errorOutput?: Writable;
  /** Stops the server; by default SIGTERM or SIGINT do. */
  readonly signal?: AbortSignal;
  /**
   * Also stop when the process that started this one goes away. Set under npm: `npx steward serve` runs it
   * through `sh -c`, and npm's SIGTERM stops that shell, not its child, which would be left running orphaned.
   */
  readonly stopWithParent?: boolean;
}

/**
 * With the console on the terminal, the log goes to a file beside the database instead of between the answers,
 * named after it (`data/steward.db` → `data/steward.log`), so two databases in one folder keep two logs.
 */
export function consoleLogFile(dbPath: string): string | undefined {
  if (dbPath === ':memory:') return undefined;
  const resolved = path.resolve(dbPath);
  const extension = path.extname(resolved);
  // A database named `x.log` keeps its log in `x.log.log`, never in itself.
  return extension === '' || extension === '.log' ? `${resolved}.log` : `${resolved.slice(0, -extension.length)}.log`;
}

function stopOnSignals(stopWithParent: boolean): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // An orphan is re-parented (to init or a subreaper): a changed parent id means the launcher is gone.
  const parent = process.ppid;
  const watch = stopWithParent ? setInterval(() => process.ppid !== parent && stop(), 500).unref() : undefined;
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      clearInterval(watch);
    },
  };
}

/** Healthy when every surface is; otherwise the first one's reason (each names its platform). */
function healthOf(surfaces: readonly Surface[]): () => Health {
  return () => surfaces.map((surface) => surface.health()).find((health) => !health.ok) ?? { ok: true };
}

/** A surface whose messages people read (a chat platform), as against the decision webhook, read by machines. */
const reachesPeople = (surface: Surface) => surface.chat !== null && surface.chat.reach.webhook !== true;

/**
 * The scheduler's job when service surfaces deliver: the tick (in the store worker when there is one, so a big
 * tick never holds up the thread that acknowledges requests), then the pumps are kicked to deliver what it queued.
 * With no chat platform at all (headless, or the decision webhook alone), its messages wait in the outbox, and the
 * log says so.
 */
function scheduledTick(options: { store: Store; policy: Policy; clock: Clock; logger: Logger; worker: StoreWorker | undefined; pumps: readonly OutboxPump[]; chatConnected: boolean }) {
  const { store, policy, clock, logger, worker, pumps } = options;
  return async () => {
    const report = worker === undefined ? tickSummary(await runTick(store, policy, clock.now())) : await worker.tick(clock.now());
    if (!options.chatConnected && (report.decisions > 0 || report.messages > 0))
      logger.info({ at: report.at, decisions: report.decisions, queued: report.messages }, `tick: ${report.messages} messages queued; no chat platform is connected yet, so they wait in the outbox`);
    else if (report.messages > 0) logger.info({ at: report.at, queued: report.messages }, `tick: ${report.messages} messages queued`);
    for (const pump of pumps) pump.kick();
    return { ...(report.notBefore === undefined ? {} : { notBefore: report.notBefore }) };
  };
}

/** Who holds this process's delivery leases on a platform: another process on the same database is another owner. */
const deliveryOwner = (platform: string) => `${os.hostname()}:${process.pid}:${platform}`;

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/**
 * `steward serve` (and `npm start`): the composition root of a running Steward. It opens the database, builds the
 * surfaces its configuration asks for (`surfacesFor`: Slack and/or Teams, or the console, or none; and the decision
 * webhook beside any of them), serves their routes and `GET /healthz` on one PORT, starts an outbox pump per
 * platform that takes deliveries (the console delivers its own), and runs the tick at start and on the
 * policy's `tick.cron`. A foreground surface (the console) runs until the person quits; otherwise it runs until
 * SIGTERM. Then it stops cleanly, in reverse: the scheduler after its run in progress, the pumps after their
 * delivery in progress, the surfaces, the HTTP server, and the database (its WAL checkpointed).
 */
export async function serve(options: ServeOptions): Promise<ExitCode> {
  // A schedule node-cron cannot run is bad configuration: refused before anything starts.
  assertCron(options.policy.tick.cron);
  const { env } = options;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const errorOutput = options.errorOutput ?? process.stderr;
  const say = (text: string) => output.write(`${text}\n`);
  const signals = options.signal ? undefined : stopOnSignals(options.stopWithParent === true);
  const signal = options.signal ?? signals?.signal ?? new AbortController().signal;

  const store = openDatabase(options.dbPath);
  let server: HttpServer | undefined;
  let schedule: TickSchedule | undefined;
  let worker: StoreWorker | undefined;
  const pumps: OutboxPump[] = [];
  const surfaces: Surface[] = [];
  try {
    // The console is the demo: the only run that loads the sample, and only into a new database.
    const demo = input.isTTY === true && !hasChatCredentials(env);
    const logFile = demo ? consoleLogFile(options.dbPath) : undefined;
    const logger = createLogger(options.logLevel, { stacks: true, ...(logFile === undefined ? {} : { file: logFile }) });
    // The sample names people of a made-up company and queues messages to the security channel: a run that is
    // not the demo (headless, or connected to a workspace) would deliver them there, so it never starts on it.
    if (!demo && (await store.hasItemsFrom(sampleSources))) {
      errorOutput.write(
        `steward: ${options.dbPath} holds the sample inventory of the console demo, whose made-up owners and queued messages must not reach a real workspace. Start clean: point STEWARD_DB (or --db) at a new file, or remove ${options.dbPath} and its -wal and -shm files, then import your inventory.\n`,
      );
      return exitCodes.badInput;
    }
    const loaded = demo && (await loadSampleInventoryIfEmpty(store, options.clock));
    const counts = await store.countInventory();
    if (!demo && counts.apis + counts.identities === 0)
      say(`${options.dbPath} holds no inventory yet: import yours (npx steward import csv apis.csv, see the README)${hasChatCredentials(env) ? ', and the next tick asks its owners' : ''}.`);
    if (loaded) say(`Loaded the sample inventory into ${options.dbPath}: ${counts.apis} APIs, ${counts.identities} identities, ${counts.teams} teams, ${counts.people} people.`);

    // A database in memory is this connection's alone: a worker could not see it, so everything runs here.
    worker = hasChatCredentials(env) && options.dbPath !== ':memory:' ? new StoreWorker({ dbPath: options.dbPath, policy: options.policy, logger }) : undefined;
    // Its command threads start now, so the first commands do not wait for them.
    worker?.start();
    // The console uses the outbox up only on the demo's database: a real one's messages are for Slack or Teams.
    const consoleDelivers = demo && (options.dbPath === ':memory:' || (await store.hasItemsFrom(sampleSources)));
    surfaces.push(
      ...(await surfacesFor({
        env,
        store,
        clock: options.clock,
        policy: options.policy,
        logger,
        worker,
        changed: () => pumps.forEach((pump) => pump.kick()),
        console: demo ? { input, output, signal, logFile, deliversOutbox: consoleDelivers } : null,
      })),
    );
    try {
      server = await startHttpServer(env.PORT, healthOf(surfaces), surfaces.flatMap((surface) => surface.routes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      errorOutput.write(`steward: cannot listen on port ${env.PORT} (${code === 'EADDRINUSE' ? 'in use' : 'not allowed'}); set PORT to a free port.\n`);
      return exitCodes.badInput;
    }
    logger.info({ port: server.port, db: options.dbPath, surfaces: surfaces.map((surface) => surface.name) }, 'serving GET /healthz');
    const delivering = surfaces.filter((surface) => surface.chat !== null);
    const chatConnected = surfaces.some(reachesPeople);
    if (!hasChatCredentials(env)) say('No Slack or Teams credentials found (SLACK_BOT_TOKEN, MICROSOFT_APP_ID are not set).');

    // Every platform this process delivers to routes messages to the others too: a message goes where it can. The
    // console delivers the demo's outbox itself (no pump), but a pump beside it (the decision webhook's) routes
    // people's and channels' messages to it, as the console would, instead of leaving them waiting for a platform.
    const reaches: PlatformReach[] = [
      ...delivering.flatMap((surface) => (surface.chat === null ? [] : [surface.chat.reach])),
      ...(consoleDelivers ? [new ConsoleChat(() => undefined).reach] : []),
    ];
    for (const surface of delivering)
      if (surface.chat !== null)
        pumps.push(
          startOutboxPump({
            store,
            chat: surface.chat,
            clock: options.clock,
            logger,
            owner: deliveryOwner(surface.chat.platform),
            platforms: reaches,
            delivery: options.policy.delivery,
            halted: () => surface.halted(),
          }),
        );
    for (const surface of surfaces) await surface.start({ port: server.port, say });

    const scheduleTicks = (job: TickScheduleOptions['job']) => {
      schedule = startTickSchedule({ cron: options.policy.tick.cron, timezone: options.policy.timezone, logger, job });
      void schedule.runNow();
      return schedule;
    };
    const foreground = surfaces.find((surface) => surface.foreground !== undefined)?.foreground;
    if (foreground !== undefined) await foreground(scheduleTicks);
    else {
      if (!chatConnected) {
        say(`No terminal on standard input: running headless. GET /healthz on port ${server.port}; stop with SIGTERM.`);
        const webhook = delivering.length > 0 ? ' (decisions still go to the decision webhook)' : '';
        say(`The scheduler ticks on "${options.policy.tick.cron}"; with no chat platform connected yet, its messages wait in the outbox${webhook}.`);
      }
      scheduleTicks(scheduledTick({ store, policy: options.policy, clock: options.clock, logger, worker, pumps, chatConnected }));
      await aborted(signal);
    }
    logger.info('stopping');
    return exitCodes.ok;
  } finally {
    await schedule?.stop();
    for (const pump of pumps) await pump.stop();
    for (const surface of [...surfaces].reverse()) await surface.stop();
    await worker?.close();
    await server?.close();
    await store.close();
    signals?.release();
  }
}
