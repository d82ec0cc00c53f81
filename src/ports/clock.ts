/** Where the core gets the time. The system clock lives at the edge; tests and `--at` use a fixed one. */
export interface Clock {
  now(): Date;
}

export function fixedClock(at: Date | string): Clock {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) throw new RangeError(`fixedClock: not a date: ${String(at)}`);
  return { now: () => new Date(time) };
}
