import type { Clock } from '../../src/ports/clock.js';

/**
 * The console's clock: the real one, moved by `tick --at`. It keeps running from where it was moved to, so the
 * scheduler under `serve` and every answer after a `tick --at` happen at the console's time, not the wall's.
 */
export class VirtualClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  moveTo(at: Date): void {
    this.offsetMs = at.getTime() - this.base.now().getTime();
  }
}
