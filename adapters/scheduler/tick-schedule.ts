import { randomBytes } from 'node:crypto';
import cron from 'node-cron';
import { InputError } from '../../src/errors.js';
import { isDatabaseBusy } from '../commands/database-busy.js';
import type { Logger } from '../logging/logger.js';

export interface TickSchedule {
  /** Runs the job now, as the schedule would (skipped if a run is still going). */
  runNow(): Promise<void>;
  /** Stops the schedule and waits for a run in progress to finish, so the database can be closed after. */
  stop(): Promise<void>;
}

export interface TickScheduleOptions {
  /** node-cron syntax (the policy's `tick.cron`). */
  readonly cron: string;
  readonly timezone: string;
  readonly logger: Logger;
  /**
   * One scheduled tick. It may report `notBefore`: the tick did nothing because the database has records up to
   * then, ahead of this clock (`steward tick --at` moved it); time does not go back, so ticks wait for the clock.
   */
  readonly job: () => Promise<void | { readonly notBefore?: string }>;
}

/** Refuses a cron expression node-cron cannot run, naming the policy field (the policy checks only its shape). */
export function assertCron(expression: string): void {
  if (!cron.validate(expression)) throw new InputError(`policy tick.cron: "${expression}" is not a valid cron expression (e.g. "* * * * *", every minute)`);
}

/**
 * Runs the scheduler's job on a cron schedule (node-cron), one run at a time. This is the job runner's error
 * boundary: a failed run is logged with a reference and the schedule carries on, so a bad tick never ends the
 * process. A run that is still going when the next is due makes that one skip (the tick catches up by itself).
 */
export function startTickSchedule(options: TickScheduleOptions): TickSchedule {
  const { logger } = options;
  assertCron(options.cron);
  let running: Promise<void> | null = null;
  let stopped = false;
  // A long import holds the write lock for minutes, and a database moved ahead waits for the clock for days:
  // each is said once when it starts and once when it ends, not each minute.
  let busy = false;
  let waitingFor: string | null = null;

  const run = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      logger.debug('tick skipped: the previous one is still running');
      return running;
    }
    running = options
      .job()
      .then((result) => {
        if (busy) logger.info('the database is free again: ticks resumed');
        busy = false;
        const notBefore = result?.notBefore ?? null;
        if (notBefore !== null && waitingFor === null)
          logger.warn({ notBefore }, `ticks wait: the database has records up to ${notBefore}, ahead of the clock (a tick --at moved it); time does not go back`);
        else if (notBefore === null && waitingFor !== null) logger.info({ notBefore: waitingFor }, 'the clock has passed the database: ticks resumed');
        waitingFor = notBefore;
      })
      .catch((error: unknown) => {
        if (isDatabaseBusy(error)) {
          if (busy) logger.debug('tick skipped: the database is still busy');
          else logger.warn('tick skipped: another process is writing to the database (an import, most likely); the next round tries again');
          busy = true;
          return;
        }
        const reference = randomBytes(4).toString('hex');
        logger.error({ err: error, reference }, 'scheduled tick failed; the schedule carries on');
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  const task = cron.schedule(options.cron, () => run(), {
    timezone: options.timezone,
    name: 'steward-tick',
    // node-cron's own notices (a missed run after a pause) go to our log, not the terminal the console is on.
    logger: {
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message, err) => logger.error({ err: err ?? message }, 'node-cron'),
      debug: (message) => logger.debug({ msg: String(message) }),
    },
  });

  return {
    runNow: run,
    stop: async () => {
      stopped = true;
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}
