import type { Clock } from '../../src/ports/clock.js';

/** The real clock, for the edge; the core never reads the time itself. */
export const systemClock: Clock = { now: () => new Date() };
