import { describe, expect, it } from 'vitest';
import { dueExpiryWarning, nextExpiryWarningAt } from '../../../src/attestation/expiry-warnings.js';
import { defaultPolicy, Policy } from '../../../src/policy/policy.js';

const expiresAt = '2027-03-01T00:00:00.000Z';
const before = (days: number) => new Date(Date.parse(expiresAt) - days * 86_400_000).toISOString();

/* The default offsets: 30, 14, 7 and 1 days before expiry, and the "has expired" notice at 0. */
describe('expiry warnings: which one is due', () => {
  it.each<[string, number, number[], number | null]>([
    ['31 days before', 31, [], null],
    ['30 days before', 30, [], 30],
    ['29 days before, the 30-day one sent', 29, [30], null],
    ['14 days before, the 30-day one sent', 14, [30], 14],
    ['7 days before, 30 and 14 sent', 7, [30, 14], 7],
    ['1 day before, 30, 14 and 7 sent', 1, [30, 14, 7], 1],
    ['at expiry, all before it sent', 0, [30, 14, 7, 1], 0],
    ['at expiry, the 0 one sent', 0, [30, 14, 7, 1, 0], null],
    ['five days after, nothing sent', -5, [], 0],
    ['five days after, the 0 one sent', -5, [0], null],
  ])('when %s (%i days before, sent %j), then the offset due is %s', (_, daysBefore, sent, due) => {
    expect(dueExpiryWarning(expiresAt, before(daysBefore), sent, defaultPolicy)).toBe(due);
  });

  it.each<[string, number, number[], number | null]>([
    ['ticks stopped from 31 days before to 10 before', 10, [], 14],
    ['ticks stopped from 31 days before to 3 before', 3, [], 7],
    ['ticks stopped after the 30-day warning until 3 before', 3, [30], 7],
    ['ticks stopped after the 30-day warning until after expiry', -1, [30], 0],
  ])('when %s (%i days before, sent %j), then only the nearest is sent: %s', (_, daysBefore, sent, due) => {
    expect(dueExpiryWarning(expiresAt, before(daysBefore), sent, defaultPolicy)).toBe(due);
  });

  it('when a nearer warning went out, then no farther one is sent after it', () => {
    expect(dueExpiryWarning(expiresAt, before(10), [7], defaultPolicy)).toBeNull();
  });

  it('when the policy names other offsets, then they are used', () => {
    const policy = Policy.parse({ credentials: { expiryWarningDays: [60, 3] } });
    expect(dueExpiryWarning(expiresAt, before(60), [], policy)).toBe(60);
    expect(dueExpiryWarning(expiresAt, before(30), [60], policy)).toBeNull();
    expect(dueExpiryWarning(expiresAt, before(3), [60], policy)).toBe(3);
  });
});

describe('expiry warnings: when to look next', () => {
  it.each<[string, number, string | null]>([
    ['40 days before', 40, before(30)],
    ['exactly 30 days before (sent now)', 30, before(14)],
    ['20 days before', 20, before(14)],
    ['2 days before', 2, before(1)],
    ['1 day before', 1, expiresAt],
    ['at expiry', 0, null],
    ['after expiry', -3, null],
  ])('when %s (%i days before), then at %s', (_, daysBefore, next) => {
    expect(nextExpiryWarningAt(expiresAt, before(daysBefore), defaultPolicy)).toBe(next);
  });
});
