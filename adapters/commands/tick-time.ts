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

/** Why a tick at `at` was refused: the database has recorded `notBefore` already. */
export function timeDoesNotGoBack(notBefore: string, at: Date): string {
  const reached = formatMinute(notBefore);
  return (
    `Steward's records already reach ${reached} (its last tick, answer or import), and time does not go back: ` +
    `a tick at ${formatMinute(at.toISOString())} would be recorded before them. Tick at ${reached} or later; --at +Nd counts from there.`
  );
}
