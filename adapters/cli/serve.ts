import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { runTick } from '../../src/attestation/run-tick.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';
import { type Environment, hasChatCredentials, slackSettings } from '../config/environment.js';
import { runConsole } from '../console/run-console.js';
import { type HealthServer, startHealthServer } from '../http/health-server.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { startOutboxPump, type OutboxPump } from '../scheduler/outbox-pump.js';
import { assertCron, startTickSchedule, type TickSchedule, type TickScheduleOptions } from '../scheduler/tick-schedule.js';
import { startSlackApp, type SlackApp } from '../slack/slack-app.js';
import { sourceFormats } from '../sources/formats.js';
import { openDatabase } from './open-database.js';
import { StoreWorker } from './store-worker.js';
import { loadSampleInventoryIfEmpty, sampleSources } from './sample-inventory.js';

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

/** Headless, the scheduler's tick decides and queues; with no chat platform yet, its messages wait in the outbox. */
function headlessTick(store: Store, policy: Policy, clock: Clock, logger: Logger) {
  return async () => {
    const report = await runTick(store, policy, clock.now());
    const decided = report.decisions.filter((d) => d.type !== 'schedule' && d.type !== 'reschedule_attestation').length;
    if (decided > 0 || report.messages > 0)
      logger.info({ at: report.at, decisions: decided, queued: report.messages }, `tick: ${report.messages} messages queued; no chat platform is connected yet, so they wait in the outbox`);
    return { ...(report.notBefore === undefined ? {} : { notBefore: report.notBefore }) };
  };
}

/** With Slack connected, the tick runs in the store worker and its messages are handed to the outbox pump at once. */
function slackTick(worker: StoreWorker | undefined, store: Store, policy: Policy, clock: Clock, logger: Logger, pump: OutboxPump) {
  return async () => {
    const report = worker === undefined ? await runTick(store, policy, clock.now()) : await worker.tick(clock.now());
    if (report.messages > 0) logger.info({ at: report.at, queued: report.messages }, `tick: ${report.messages} messages queued for Slack`);
    pump.kick();
    return { ...(report.notBefore === undefined ? {} : { notBefore: report.notBefore }) };
  };
}

/** Who holds this process's delivery leases on a platform: another process on the same database is another owner. */
const deliveryOwner = (platform: string) => `${os.hostname()}:${process.pid}:${platform}`;

const aborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/**
 * `steward serve` (and `npm start`): opens the database, keeps `GET /healthz` on PORT, runs the tick at start and
 * on the policy's `tick.cron`, and runs the chat adapters: with SLACK_BOT_TOKEN, the Slack app (`POST
 * /slack/events` on the same PORT, or Socket Mode with SLACK_APP_TOKEN) with the outbox delivered to Slack;
 * with no chat credentials, the sample inventory in an empty database and the console when standard input is
 * a terminal (the tick's messages are delivered there). Under a service manager or in a container (no terminal) it runs headless until SIGTERM
 * (the tick's messages wait in the outbox), then stops cleanly: the scheduler stopped after its run in
 * progress, the HTTP server closed, the database closed (its WAL checkpointed).
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
  const interactive = input.isTTY === true;

  const store = openDatabase(options.dbPath);
  const slack = slackSettings(env);
  let server: HealthServer | undefined;
  let schedule: TickSchedule | undefined;
  let slackApp: SlackApp | undefined;
  let pump: OutboxPump | undefined;
  let worker: StoreWorker | undefined;
  try {
    // The console is the demo: the only run that loads the sample, and only into a new database.
    const demo = interactive && !hasChatCredentials(env);
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
    const empty = async () => {
      const counts = await store.countInventory();
      return counts.apis + counts.identities === 0;
    };
    if (!demo && (await empty()))
      say(
        `${options.dbPath} holds no inventory yet: import yours (npx steward import csv apis.csv, see the README)${slack === null ? '' : ', and the next tick asks its owners in Slack'}.`,
      );
    if (loaded) {
      const counts = await store.countInventory();
      say(`Loaded the sample inventory into ${options.dbPath}: ${counts.apis} APIs, ${counts.identities} identities, ${counts.teams} teams, ${counts.people} people.`);
    }
    if (slack !== null) {
      // Checks the token with Slack (auth.test) before anything listens: a refused token stops here, exit 2.
      // A database in memory is this connection's alone: the worker could not see it, so everything runs here.
      const jobs = options.dbPath === ':memory:' ? undefined : new StoreWorker({ dbPath: options.dbPath, policy: options.policy, logger });
      worker = jobs;
      slackApp = await startSlackApp({
        settings: slack,
        store,
        clock: options.clock,
        policy: options.policy,
        logger,
        changed: () => pump?.kick(),
        ...(jobs === undefined ? {} : { chatCommand: (request) => jobs.chatCommand(request, options.clock.now()) }),
      });
    }
    try {
      server = await startHealthServer(env.PORT, () => slackApp?.health() ?? true, slackApp?.route ? [slackApp.route] : []);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
      errorOutput.write(`steward: cannot listen on port ${env.PORT} (${code === 'EADDRINUSE' ? 'in use' : 'not allowed'}); set PORT to a free port.\n`);
      return exitCodes.badInput;
    }
    logger.info({ port: server.port, db: options.dbPath }, 'serving GET /healthz');
    if (slackApp === undefined && hasChatCredentials(env)) say('Teams credentials are set, but the Teams adapter is not part of this version yet; running without it.');
    else if (slackApp === undefined) say('No Slack or Teams credentials found (SLACK_BOT_TOKEN, MICROSOFT_APP_ID are not set).');

    const scheduleTicks = (job: TickScheduleOptions['job']) => {
      schedule = startTickSchedule({ cron: options.policy.tick.cron, timezone: options.policy.timezone, logger, job });
      void schedule.runNow();
      return schedule;
    };

    if (slackApp !== undefined) {
      const connected = slackApp;
      pump = startOutboxPump({
        store,
        chat: connected.chat,
        clock: options.clock,
        logger,
        owner: deliveryOwner(connected.chat.platform),
        platforms: [connected.chat.reach],
        delivery: options.policy.delivery,
        halted: () => connected.halted(),
      });
      await connected.start();
      const { name, teamId, botUserId } = connected.workspace;
      const how = connected.route === null ? `Socket Mode; GET /healthz on port ${server.port}` : `POST /slack/events and GET /healthz on port ${server.port}`;
      say(`Slack: connected to ${name} (${teamId}) as bot user ${botUserId}, over ${how}. Stop with SIGTERM or Ctrl-C.`);
      logger.info({ team: teamId, mode: slack?.mode }, 'Slack connected');
      scheduleTicks(slackTick(worker, store, options.policy, options.clock, logger, pump));
      await aborted(signal);
    } else if (interactive) {
      say(`GET /healthz on port ${server.port}.${logFile === undefined ? '' : ` Log: ${logFile}`}`);
      await runConsole({
        input,
        output,
        terminal: true,
        logger,
        signal,
        schedule: scheduleTicks,
        deps: { clock: options.clock, policy: options.policy, actor: 'console', formats: sourceFormats, openStore: async () => store },
      });
    } else {
      say(`No terminal on standard input: running headless. GET /healthz on port ${server.port}; stop with SIGTERM.`);
      say(`The scheduler ticks on "${options.policy.tick.cron}"; with no chat platform connected yet, its messages wait in the outbox.`);
      scheduleTicks(headlessTick(store, options.policy, options.clock, logger));
      await aborted(signal);
    }
    logger.info('stopping');
    return exitCodes.ok;
  } finally {
    await schedule?.stop();
    await pump?.stop();
    await slackApp?.stop();
    await worker?.close();
    await server?.close();
    await store.close();
    signals?.release();
  }
}
