import { describe, expect, it } from 'vitest';
import { escalationRungs, firstActionAt, ladderStep, nextActionAt, type LadderStep } from '../../../src/attestation/ladder.js';
import { defaultPolicy, Policy } from '../../../src/policy/policy.js';

const openedAt = '2027-01-04T09:00:00.000Z';
const day = (n: number) => new Date(Date.parse(openedAt) + n * 86_400_000).toISOString();

/*
 * The default ladder: reminders on days 2 and 5; escalation to the backup on day 7, the team lead on 10, the
 * team channel on 12, the security channel on 14; expiry on day 21.
 */
describe('ladder: each rung at its time (default policy)', () => {
  it.each<[string, number, number, number, LadderStep]>([
    ['just opened', 0, 0, 0, { type: 'none', nextActionAt: day(2) }],
    ['a day in', 1, 0, 0, { type: 'none', nextActionAt: day(2) }],
    ['the first reminder is due', 2, 0, 0, { type: 'remind', remindersSent: 1, nextActionAt: day(5) }],
    ['the first reminder went out', 2, 1, 0, { type: 'none', nextActionAt: day(5) }],
    ['the second reminder is due', 5, 1, 0, { type: 'remind', remindersSent: 2, nextActionAt: day(7) }],
    ['the backup is due', 7, 2, 0, { type: 'escalate', level: 1, nextActionAt: day(10) }],
    ['the backup was told', 8, 2, 1, { type: 'none', nextActionAt: day(10) }],
    ['the team lead is due', 10, 2, 1, { type: 'escalate', level: 2, nextActionAt: day(12) }],
    ['the team channel is due', 12, 2, 2, { type: 'escalate', level: 3, nextActionAt: day(14) }],
    ['the security channel is due', 14, 2, 3, { type: 'escalate', level: 4, nextActionAt: day(21) }],
    ['the top of the ladder was reached', 15, 2, 4, { type: 'none', nextActionAt: day(21) }],
    ['the window ran out', 21, 2, 4, { type: 'expire' }],
    ['long after it ran out', 60, 0, 0, { type: 'expire' }],
  ])('when %s (day %i, %i reminders sent, level %i), then the step is as shown', (_, at, remindersSent, escalationLevel, step) => {
    expect(ladderStep({ openedAt, remindersSent, escalationLevel }, day(at), defaultPolicy.attestation)).toEqual(step);
  });

  it('when a step is taken exactly at its time, then it is due (not a moment later)', () => {
    expect(ladderStep({ openedAt, remindersSent: 0, escalationLevel: 0 }, new Date(Date.parse(day(2)) - 1).toISOString(), defaultPolicy.attestation).type).toBe('none');
    expect(ladderStep({ openedAt, remindersSent: 0, escalationLevel: 0 }, day(2), defaultPolicy.attestation).type).toBe('remind');
  });
});

describe('ladder: catch-up after missed ticks takes one step, the latest', () => {
  it.each<[string, number, number, number, LadderStep]>([
    ['no tick ran until both reminders were due', 6, 0, 0, { type: 'remind', remindersSent: 2, nextActionAt: day(7) }],
    ['a skipped week passed the reminders and the backup', 8, 0, 0, { type: 'escalate', level: 1, nextActionAt: day(10) }],
    ['a skipped week passed three rungs', 13, 1, 0, { type: 'escalate', level: 3, nextActionAt: day(14) }],
    ['two skipped weeks reached the security channel', 20, 2, 1, { type: 'escalate', level: 4, nextActionAt: day(21) }],
    ['three skipped weeks passed everything', 22, 0, 0, { type: 'expire' }],
  ])('when %s (day %i, %i reminders, level %i), then one step: %j', (_, at, remindersSent, escalationLevel, step) => {
    expect(ladderStep({ openedAt, remindersSent, escalationLevel }, day(at), defaultPolicy.attestation)).toEqual(step);
  });

  it('when the step was applied and the tick runs again at the same time, then there is nothing to do', () => {
    const first = ladderStep({ openedAt, remindersSent: 0, escalationLevel: 0 }, day(13), defaultPolicy.attestation);
    expect(first).toMatchObject({ type: 'escalate', level: 3 });
    expect(ladderStep({ openedAt, remindersSent: 0, escalationLevel: 3 }, day(13), defaultPolicy.attestation)).toEqual({ type: 'none', nextActionAt: day(14) });
  });
});

describe('ladder: reminders stop once escalation has begun', () => {
  const policy = Policy.parse({
    attestation: { reminderOffsetsDays: [2, 9], escalation: [{ afterDays: 7, to: 'backup' }, { afterDays: 12, to: 'security_channel' }] },
  });

  it('when a reminder falls after the first escalation, then it is not sent', () => {
    expect(ladderStep({ openedAt, remindersSent: 1, escalationLevel: 1 }, day(9), policy.attestation)).toEqual({ type: 'none', nextActionAt: day(12) });
  });

  it('when the first escalation is due, then its next look skips the later reminder', () => {
    expect(ladderStep({ openedAt, remindersSent: 1, escalationLevel: 0 }, day(7), policy.attestation)).toEqual({ type: 'escalate', level: 1, nextActionAt: day(12) });
  });

  it('when the reminders are given out of order, then they are taken in order', () => {
    const unsorted = Policy.parse({ attestation: { reminderOffsetsDays: [5, 2] } });
    expect(ladderStep({ openedAt, remindersSent: 0, escalationLevel: 0 }, day(2), unsorted.attestation)).toEqual({ type: 'remind', remindersSent: 1, nextActionAt: day(5) });
  });
});

describe('ladder: the first look', () => {
  it('when an attestation opens, then the tick first looks at it at the first reminder', () => {
    expect(firstActionAt(openedAt, defaultPolicy.attestation)).toBe(day(2));
  });

  it('when the policy has no reminders, then at the first escalation', () => {
    expect(firstActionAt(openedAt, Policy.parse({ attestation: { reminderOffsetsDays: [] } }).attestation)).toBe(day(7));
  });

  it('when the policy expires attestations before any rung, then at expiry', () => {
    expect(firstActionAt(openedAt, Policy.parse({ attestation: { reminderOffsetsDays: [], expireAfterDays: 3 } }).attestation)).toBe(day(3));
  });
});

describe('ladder: a policy that lists its rungs out of order', () => {
  const policy = Policy.parse({
    attestation: { escalation: [{ afterDays: 10, to: 'team_lead' }, { afterDays: 14, to: 'security_channel' }, { afterDays: 7, to: 'backup' }] },
  });

  it('when the rungs are listed out of order, then they are climbed by their delays', () => {
    expect(escalationRungs(policy.attestation).map((r) => r.to)).toEqual(['backup', 'team_lead', 'security_channel']);
    expect(ladderStep({ openedAt, remindersSent: 2, escalationLevel: 0 }, day(7), policy.attestation)).toEqual({ type: 'escalate', level: 1, nextActionAt: day(10) });
  });

  it('when an attestation stands higher than the time alone would put it (a skipped rung), then its next look is the rung after', () => {
    expect(nextActionAt({ openedAt, remindersSent: 2, escalationLevel: 2 }, day(7), defaultPolicy.attestation)).toBe(day(12));
  });
});

describe('ladderStep, when the person asked could not be reached', () => {
  const unreachable = (escalationLevel: number, at: number | null) => ({ openedAt, remindersSent: 0, escalationLevel, unreachableAtLevel: at });

  it.each([
    ['the owner, on day 0', 0, 0, day(0), 1],
    ['the owner, on day 3 (a reminder was due)', 0, 0, day(3), 1],
    ['the backup, escalated to on day 7', 1, 1, day(7), 2],
  ])('when %s was unreachable, then the next rung is taken at once', (_, level, at, now, next) => {
    expect(ladderStep(unreachable(level, at), now, defaultPolicy.attestation)).toMatchObject({ type: 'escalate', level: next });
  });

  it('when the unreachable person was an earlier rung, then the ladder keeps its own time', () => {
    expect(ladderStep(unreachable(1, 0), day(8), defaultPolicy.attestation).type).toBe('none');
  });

  it('when the last rung was unreachable, then nothing is left to climb and the attestation waits for its expiry', () => {
    const top = escalationRungs(defaultPolicy.attestation).length;
    expect(ladderStep(unreachable(top, top), day(15), defaultPolicy.attestation).type).toBe('none');
    expect(ladderStep(unreachable(top, top), day(21), defaultPolicy.attestation).type).toBe('expire');
  });
});
