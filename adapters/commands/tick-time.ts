import type { TickTime } from '../../src/commands/grammar.js';
import type { Clock } from '../../src/ports/clock.js';

const dayMs = 86_400_000;

/** The time a `tick` runs at: the one given, so many days after the clock's now, or now. */
export function tickTime(at: TickTime | undefined, clock: Clock): Date {
  if (at === undefined) return clock.now();
  return 'iso' in at ? new Date(at.iso) : new Date(clock.now().getTime() + at.plusDays * dayMs);
}
