import { describe, expect, it } from 'vitest';
import { age, countRow, day, dayAndTime, shareRow } from '../../../src/digest/digest-wording.js';

describe('digest wording: every change signed, with which way is better', () => {
  it.each([
    ['more overdue is worse', 14, 11, 'down', { value: '14', change: '+3', trend: 'worse' }],
    ['fewer overdue is better', 11, 14, 'down', { value: '11', change: '−3', trend: 'better' }],
    ['the same is neither', 5, 5, 'down', { value: '5', change: 'no change', trend: 'same' }],
    ['more owned is better', 1_204, 1_150, 'up', { value: '1,204', change: '+54', trend: 'better' }],
  ] as const)('when %s, then the row says so', (_case, now, previous, better, expected) => {
    expect(countRow('Overdue now', now, previous, better)).toEqual({ label: 'Overdue now', ...expected });
  });

  it('when there is no previous digest, then a row has no change', () => {
    expect(countRow('Overdue now', 3, null, 'down')).toEqual({ label: 'Overdue now', value: '3', change: null });
  });

  it.each([
    ['a share that rose', 1_204, 1_310, { part: 1_150, whole: 1_310 }, '1,204 of 1,310 (92%)', '+54, +4.1 points', 'better'],
    ['a share that fell as the inventory grew', 900, 1_000, { part: 900, whole: 900 }, '900 of 1,000 (90%)', 'same count, −10 points', 'worse'],
    ['more items, the same share', 20, 40, { part: 10, whole: 20 }, '20 of 40 (50%)', '+10, same share', 'same'],
    ['nothing changed', 3, 4, { part: 3, whole: 4 }, '3 of 4 (75%)', 'no change', 'same'],
  ] as const)('when %s, then its change is in items and percentage points', (_case, part, whole, previous, value, change, trend) => {
    expect(shareRow('Owned', part, whole, previous)).toEqual({ label: 'Owned', value, change, trend });
  });

  it('when two shares of the same whole move by the same count, then their points are the same (rounded once, not twice)', () => {
    expect(shareRow('Owned', 6, 6, { part: 5, whole: 6 }).change).toBe('+1, +16.7 points');
    expect(shareRow('Accountable', 5, 6, { part: 4, whole: 6 }).change).toBe('+1, +16.7 points');
  });

  it('when nothing is counted, then a share is a dash, not a division by zero, and its change is the count alone', () => {
    expect(shareRow('Answered on time', 0, 0, null).value).toBe('0 of 0 (—)');
    expect(shareRow('Answered on time', 1, 1, { part: 0, whole: 0 })).toEqual({ label: 'Answered on time', value: '1 of 1 (100%)', change: '+1', trend: 'better' });
    expect(shareRow('Answered on time', 0, 0, { part: 2, whole: 3 })).toMatchObject({ value: '0 of 0 (—)', change: '−2' });
  });

  it('when dates are shown, then they are in the policy’s time zone, whatever the machine’s', () => {
    expect(day('2026-12-06T23:30:00.000Z', 'Europe/Paris')).toBe('Mon 7 Dec 2026');
    expect(dayAndTime('2026-12-07T08:00:00.000Z', 'Europe/Paris')).toBe('Mon 7 Dec 2026, 09:00 (Europe/Paris)');
    expect(age('2026-11-25T09:00:00.000Z', '2026-12-07T09:00:00.000Z')).toBe('12 days');
    expect(age('2026-12-07T01:00:00.000Z', '2026-12-07T09:00:00.000Z')).toBe('under a day');
  });
});
