import { describe, expect, it } from 'vitest';
import { normaliseIsoTime } from '../../../src/inventory/iso-time.js';

describe('normaliseIsoTime: accepted forms become UTC toISOString() text', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['2027-01-31', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T09:00Z', '2027-01-31T09:00:00.000Z'],
    ['2027-01-31T09:00:05Z', '2027-01-31T09:00:05.000Z'],
    ['2027-01-31T09:00:05.1Z', '2027-01-31T09:00:05.100Z'],
    ['2027-01-31T09:00:05.123456789Z', '2027-01-31T09:00:05.123Z'],
    ['2027-01-31 09:00:05', '2027-01-31T09:00:05.000Z'],
    ['2027-01-31t09:00:05z', '2027-01-31T09:00:05.000Z'],
    ['2027-01-31T09:00:05', '2027-01-31T09:00:05.000Z'],
    ['2027-01-31T09:00:05+02:00', '2027-01-31T07:00:05.000Z'],
    ['2027-01-31T09:00:05-05:30', '2027-01-31T14:30:05.000Z'],
    ['2027-01-31T09:00+0200', '2027-01-31T07:00:00.000Z'],
    ['2019-09-27T19:06:38+00:00', '2019-09-27T19:06:38.000Z'],
    ['2027-01-31T09:00:05.123456+02:00', '2027-01-31T07:00:05.123Z'],
    ['2027-01-01T01:00:00+02:00', '2026-12-31T23:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T12:00:00+01:00', '2000-02-29T11:00:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
    ['2027-03-01T00:30:00+01:00', '2027-02-28T23:30:00.000Z'],
    ['2028-03-01T00:30:00+01:00', '2028-02-29T23:30:00.000Z'],
    ['2027-12-31T23:30:00-01:00', '2028-01-01T00:30:00.000Z'],
    ['0099-06-01T12:00:00+00:00', '0099-06-01T12:00:00.000Z'],
    ['2019-09-27T19:06:38.5-00:00', '2019-09-27T19:06:38.500Z'],
    ['2019-09-27T19:06+0000', '2019-09-27T19:06:00.000Z'],
    ['0000-01-01T00:00:00+00:00', '0000-01-01T00:00:00.000Z'],
  ];
  it.each(cases)('when the time is %s, then it is %s', (input, expected) => {
    expect(normaliseIsoTime(input)).toBe(expected);
  });
});

describe('normaliseIsoTime: anything else is refused', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['2027-02-29', 'a 29 February outside a leap year'],
    ['1900-02-29', 'a 29 February in a century that is not a leap year'],
    ['2027-04-31', 'a 31st in a 30-day month'],
    ['2027-13-01', 'month 13'],
    ['2027-00-10', 'month 0'],
    ['2027-01-00', 'day 0'],
    ['2027-01-31T24:00:00Z', 'hour 24'],
    ['2027-01-31T09:60:00Z', 'minute 60'],
    ['2027-01-31T09:00:60Z', 'second 60'],
    ['2027-02-30T09:00:00+02:00', 'a 30 February with an offset'],
    ['2027-04-31T00:00:00-05:00', 'a 31 April with an offset'],
    ['2027-01-31T24:00:00+02:00', 'hour 24 with an offset'],
    ['2027-01-31T09:00:00+24:00', 'an offset of 24 hours'],
    ['2027-01-31T09:00:00+02:60', 'an offset with 60 minutes'],
    ['31/01/2027', 'a day-first date'],
    ['Jan 31 2027', 'a date in words'],
    ['2027-1-31', 'a one-digit month'],
    ['1738314000', 'epoch seconds'],
    ['N/A', 'N/A'],
    ['', 'an empty string'],
    ['2027-01-31T09', 'an hour without minutes'],
    ['2027-01-31T09:00ZZ', 'two zones'],
    ['2027-01-31T09:00+02:00Z', 'an offset and a Z'],
    ['2027-01-31+02:00', 'an offset on a date without a time'],
  ];
  it.each(cases)('when the time is %s (%s), then it is null', (input) => {
    expect(normaliseIsoTime(input)).toBeNull();
  });
});
