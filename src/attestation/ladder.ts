import type { Policy } from '../policy/policy.js';
import { addDays, earliest } from './days.js';

/** Where an open attestation stands: how many reminders went out, how far up the ladder it has climbed. */
export interface LadderPosition {
  readonly openedAt: string;
  readonly remindersSent: number;
  /** 0: only the owner has been asked; n: the n-th rung of the policy's escalation ladder was taken. */
  readonly escalationLevel: number;
  /**
   * The level at which the person asked could not be reached on any platform (no such account, a DM that cannot
   * be opened), or null. While it is the current level, the next rung is due at once: nobody waits for an
   * answer from someone the question never reached.
   */
  readonly unreachableAtLevel?: number | null;
}

export type LadderStep =
  | { readonly type: 'none'; readonly nextActionAt: string | null }
  | { readonly type: 'remind'; readonly remindersSent: number; readonly nextActionAt: string | null }
  | { readonly type: 'escalate'; readonly level: number; readonly nextActionAt: string | null }
  | { readonly type: 'expire' };

export type EscalationRung = Policy['attestation']['escalation'][number];

/**
 * A ladder: when to remind, when to climb which rung, when to give up. The policy has one for attestations (and
 * transfer offers, which are asked of a person like an attestation: `policy.attestation`) and one for approval
 * requests (`policy.approvals`); the climbing is the same for both.
 */
export interface LadderSpec {
  readonly reminderOffsetsDays: readonly number[];
  readonly escalation: readonly EscalationRung[];
  readonly expireAfterDays: number;
}

/**
 * A ladder's rungs in the order they are climbed: by delay. Level n is the n-th rung of this list, so a policy
 * that lists its rungs out of order still climbs them in time order.
 */
export function escalationRungs(spec: LadderSpec): readonly EscalationRung[] {
  return [...spec.escalation].sort((a, b) => a.afterDays - b.afterDays);
}

/** The times of a ladder's steps: reminders, escalation levels, expiry. */
function milestones(openedAt: string, a: LadderSpec) {
  return {
    reminders: [...a.reminderOffsetsDays].sort((x, y) => x - y).map((d) => addDays(openedAt, d)),
    escalations: escalationRungs(a).map((rung) => addDays(openedAt, rung.afterDays)),
    expiry: addDays(openedAt, a.expireAfterDays),
  };
}

const reached = (times: readonly string[], now: string) => times.filter((t) => t <= now).length;

/**
 * When an attestation standing at `position` next needs the tick after `now`: its next reminder (only while
 * nobody has been escalated to), its next rung, or its expiry.
 */
export function nextActionAt(position: LadderPosition, now: string, spec: LadderSpec): string | null {
  const m = milestones(position.openedAt, spec);
  const level = Math.max(position.escalationLevel, reached(m.escalations, now));
  const reminders = Math.max(position.remindersSent, reached(m.reminders, now));
  return earliest(m.escalations[level], level === 0 ? m.reminders[reminders] : undefined, m.expiry);
}

/**
 * The one thing to do for an open attestation at `now`. Pure and catch-up safe: it looks only at where the
 * attestation stands and what time it is, so a tick that ran late takes the latest step due once (one
 * reminder, not seven), and a tick run twice finds nothing left to do the second time.
 * Reminders stop once escalation has begun; the escalation then speaks for the item.
 */
export function ladderStep(position: LadderPosition, now: string, spec: LadderSpec): LadderStep {
  const m = milestones(position.openedAt, spec);
  if (m.expiry <= now) return { type: 'expire' };
  const level = reached(m.escalations, now);
  const reminders = reached(m.reminders, now);
  const unreachable = position.unreachableAtLevel !== undefined && position.unreachableAtLevel !== null && position.unreachableAtLevel >= position.escalationLevel;
  if (unreachable && position.escalationLevel < m.escalations.length) {
    const next = Math.max(level, position.escalationLevel + 1);
    return { type: 'escalate', level: next, nextActionAt: nextActionAt({ ...position, escalationLevel: next }, now, spec) };
  }
  if (level > position.escalationLevel) return { type: 'escalate', level, nextActionAt: nextActionAt({ ...position, escalationLevel: level }, now, spec) };
  if (level === 0 && reminders > position.remindersSent) return { type: 'remind', remindersSent: reminders, nextActionAt: nextActionAt({ ...position, remindersSent: reminders }, now, spec) };
  return { type: 'none', nextActionAt: nextActionAt(position, now, spec) };
}

/** When a newly opened attestation first needs the tick's attention. */
export function firstActionAt(openedAt: string, spec: LadderSpec): string | null {
  return nextActionAt({ openedAt, remindersSent: 0, escalationLevel: 0 }, openedAt, spec);
}
