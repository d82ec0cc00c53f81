import type { TickTime } from '../../src/commands/grammar.js';
import type { Clock } from '../../src/ports/clock.js';
import { formatMinute } from '../text/render-tick.js';

const dayMs = 86_400_000;

/**
 * The time a `tick` runs at: the one given, or so many days from now, or now. "Now" for `+Nd` and `-Nd` is the
 * later of the clock and `latestRecordedAt` (the database's last tick or record): a database moved ahead by
 * `tick --at` is moved on from where it stands, as the console's clock is.
 */
export function tickTime(at: TickTime | undefined, clock: Clock, latestRecordedAt: string | null = null): Date {
  if (at === undefined) return clock.now();
  if ('iso' in at) return new Date(at.iso);
  const from = Math.max(clock.now().getTime(), latestRecordedAt === null ? Number.NEGATIVE_INFINITY : Date.parse(latestRecordedAt));
  return new Date(from + at.relativeDays * dayMs);
}

/** A tick this far ahead of the clock is taken for a typo (2207 for 2027), not a plan. */
export const furthestTickAheadDays = 366;

/**
 * Why a tick at `at` is refused for being too far ahead, or null. A tick moves a database's time for good: after
 * one in 2207, nothing could be ticked or answered before then, and `serve`'s scheduler would wait until then.
 * A dry run writes nothing and may look at any time.
 */
export function tooFarAhead(at: Date, clock: Clock, dryRun: boolean): string | null {
  if (dryRun || at.getTime() <= clock.now().getTime() + furthestTickAheadDays * dayMs) return null;
  return (
    `--at ${formatMinute(at.toISOString())} is more than a year ahead of the clock: a typo? A tick moves this database's time for good, ` +
    `and nothing could be recorded before it after (the scheduler would wait until then). Look that far with --dry-run.`
  );
}

/** Why a tick at `at` was refused: the database has recorded `notBefore` already. */
export function timeDoesNotGoBack(notBefore: string, at: Date): string {
  const reached = formatMinute(notBefore);
  return (
    `Steward's records already reach ${reached} (its last tick, answer or import), and time does not go back: ` +
    `a tick at ${formatMinute(at.toISOString())} would be recorded before them. Tick at ${reached} or later; --at +Nd counts from there.`
  );
}
