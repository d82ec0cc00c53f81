import { afterEach, describe, expect, test } from 'vitest';
import { assertCron, startTickSchedule, type TickSchedule, type TickScheduleOptions } from '../../../adapters/scheduler/tick-schedule.js';
import { InputError } from '../../../src/errors.js';
import { recordingLogger } from '../../support/recording-logger.js';

/*
 * The scheduler's job runner, driven through runNow (as the cron would call it): never a timer waited on.
 * The schedules use a yearly expression so the cron never fires during a test.
 */

const yearly = '0 0 1 1 *';
const started: TickSchedule[] = [];
afterEach(async () => {
  for (const schedule of started.splice(0)) await schedule.stop();
});

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function schedule(job: TickScheduleOptions['job']) {
  const { logger, records } = recordingLogger();
  const ticks = startTickSchedule({ cron: yearly, timezone: 'UTC', logger, job });
  started.push(ticks);
  return { schedule: ticks, records };
}

describe('startTickSchedule', () => {
  test('when a run fails, then it is logged with a reference, and the next run still runs', async () => {
    let runs = 0;
    const { schedule: ticks, records } = schedule(async () => {
      runs += 1;
      if (runs === 1) throw new Error('database is locked');
    });

    await ticks.runNow();
    await ticks.runNow();

    expect(runs).toBe(2);
    expect(records).toEqual([
      expect.objectContaining({ level: 50, msg: 'scheduled tick failed; the schedule carries on', reference: expect.stringMatching(/^[0-9a-f]{8}$/), err: expect.objectContaining({ message: 'database is locked' }) }),
    ]);
  });

  test('when a run is still going, then another is not started beside it', async () => {
    const gate = deferred();
    let runs = 0;
    const { schedule: ticks } = schedule(async () => {
      runs += 1;
      await gate.promise;
    });

    const first = ticks.runNow();
    const second = ticks.runNow();
    gate.resolve();
    await Promise.all([first, second]);

    expect(runs).toBe(1);
  });

  test('when stopped during a run, then stop waits for it, and nothing runs after', async () => {
    const gate = deferred();
    let finished = false;
    let runs = 0;
    const { schedule: ticks } = schedule(async () => {
      runs += 1;
      await gate.promise;
      finished = true;
    });
    const running = ticks.runNow();

    const stopping = ticks.stop();
    gate.resolve();
    await stopping;

    expect(finished).toBe(true);
    await running;
    await ticks.runNow();
    expect(runs).toBe(1);
  });

  test('when the cron expression cannot run, then it is refused naming the policy field', () => {
    expect(() => assertCron('61 * * * *')).toThrow(InputError);
    expect(() => assertCron('61 * * * *')).toThrow('policy tick.cron: "61 * * * *" is not a valid cron expression');
    expect(() => assertCron('*/5 * * * *')).not.toThrow();
  });
});

describe('startTickSchedule, when another process holds the database', () => {
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  test('when three rounds in a row meet a busy database, then one warning is logged, no error, and the first free round says ticks resumed', async () => {
    let runs = 0;
    const { schedule: ticks, records } = schedule(async () => {
      runs += 1;
      if (runs <= 3) throw busy();
    });

    for (let round = 0; round < 4; round += 1) await ticks.runNow();

    expect(runs).toBe(4);
    expect(records.filter((r) => Number(r.level) >= 40)).toEqual([
      expect.objectContaining({ level: 40, msg: 'tick skipped: another process is writing to the database (an import, most likely); the next round tries again' }),
    ]);
    expect(records.at(-1)).toEqual(expect.objectContaining({ level: 30, msg: 'the database is free again: ticks resumed' }));
  });
});

describe('startTickSchedule, when the database is ahead of the clock', () => {
  test('when rounds do nothing because the database was moved ahead, then one warning names the time, and one note says when ticks resume', async () => {
    const results = [{ notBefore: '2027-01-05T09:00:00.000Z' }, { notBefore: '2027-01-05T09:00:00.000Z' }, { notBefore: '2027-01-05T09:00:00.000Z' }, {}];
    const { schedule: ticks, records } = schedule(async () => results.shift());

    for (let round = 0; round < 4; round += 1) await ticks.runNow();

    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [40, 'ticks wait: the database has records up to 2027-01-05T09:00:00.000Z, ahead of the clock (a tick --at moved it); time does not go back'],
      [30, 'the clock has passed the database: ticks resumed'],
    ]);
  });
});
