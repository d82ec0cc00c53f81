import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/ports/clock.js';

describe('fixedClock', () => {
  it('when asked the time, then it always answers the time it was given', () => {
    const clock = fixedClock('2027-01-05T09:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-05T09:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2027-01-05T09:00:00.000Z');
  });

  it('when a caller changes the Date it was given, then the clock is not changed', () => {
    const clock = fixedClock(new Date('2027-01-05T09:00:00Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });

  it('when the time is not a date, then it throws', () => {
    expect(() => fixedClock('next tuesday')).toThrow(RangeError);
  });
});
