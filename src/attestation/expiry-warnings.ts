import type { Policy } from '../policy/policy.js';
import { addDays } from './days.js';

/**
 * The expiry warning due at `now` for a credential, if any: the smallest offset (days before expiry) whose
 * time has come and that was not sent yet. A tick that ran late sends the one that matters now (7 days), not
 * every one it missed (30 and 14). Offset 0 is the "has expired" notice.
 */
export function dueExpiryWarning(expiresAt: string, now: string, sentOffsets: readonly number[], policy: Policy): number | null {
  const offsets = [...new Set([...policy.credentials.expiryWarningDays, 0])].sort((a, b) => a - b);
  const due = offsets.filter((days) => addDays(expiresAt, -days) <= now);
  const smallest = due[0];
  if (smallest === undefined) return null;
  // Sending a nearer warning also answers every farther one.
  return sentOffsets.some((sent) => sent <= smallest) ? null : smallest;
}

/** When the next expiry warning falls due after `now`, for scheduling the next look. */
export function nextExpiryWarningAt(expiresAt: string, now: string, policy: Policy): string | null {
  const times = [...policy.credentials.expiryWarningDays, 0].map((days) => addDays(expiresAt, -days)).filter((t) => t > now);
  return times.sort()[0] ?? null;
}
