import type { Policy } from '../policy/policy.js';
import { addDays, earliest } from './days.js';

/** Where an open attestation stands: how many reminders went out, how far up the ladder it has climbed. */
export interface LadderPosition {
  readonly openedAt: string;
  readonly remindersSent: number;
  /** 0: only the owner has been asked; n: the n-th step of the policy's escalation ladder was taken. */
  readonly escalationLevel: number;
}

export type LadderStep =
  | { readonly type: 'none'; readonly nextActionAt: string | null }
  | { readonly type: 'remind'; readonly remindersSent: number; readonly nextActionAt: string | null }
  | { readonly type: 'escalate'; readonly level: number; readonly nextActionAt: string | null }
  | { readonly type: 'expire' };

/** The times of a ladder's steps: reminders, escalation levels, expiry. */
function milestones(openedAt: string, policy: Policy) {
  const a = policy.attestation;
  return {
    reminders: [...a.reminderOffsetsDays].sort((x, y) => x - y).map((d) => addDays(openedAt, d)),
    escalations: a.escalation.map((step) => addDays(openedAt, step.afterDays)),
    expiry: addDays(openedAt, a.expireAfterDays),
  };
}

/**
 * The one thing to do for an open attestation at `now`. Pure and catch-up safe: it looks only at where the
 * attestation stands and what time it is, so a tick that ran late takes the latest step due once (one
 * reminder, not seven), and a tick run twice finds nothing left to do the second time.
 * Reminders stop once escalation has begun; the escalation then speaks for the item.
 */
export function ladderStep(position: LadderPosition, now: string, policy: Policy): LadderStep {
  const m = milestones(position.openedAt, policy);
  if (m.expiry <= now) return { type: 'expire' };
  const level = m.escalations.filter((t) => t <= now).length;
  const reminders = m.reminders.filter((t) => t <= now).length;
  const next = (afterLevel: number, afterReminders: number) =>
    earliest(m.escalations[afterLevel], afterLevel === 0 ? m.reminders[afterReminders] : undefined, m.expiry);
  if (level > position.escalationLevel) return { type: 'escalate', level, nextActionAt: next(level, reminders) };
  if (level === 0 && reminders > position.remindersSent) return { type: 'remind', remindersSent: reminders, nextActionAt: next(level, reminders) };
  return { type: 'none', nextActionAt: next(Math.max(level, position.escalationLevel), Math.max(reminders, position.remindersSent)) };
}

/** When a newly opened attestation first needs the tick's attention. */
export function firstActionAt(openedAt: string, policy: Policy): string | null {
  const step = ladderStep({ openedAt, remindersSent: 0, escalationLevel: 0 }, openedAt, policy);
  return step.type === 'expire' ? openedAt : step.nextActionAt;
}
