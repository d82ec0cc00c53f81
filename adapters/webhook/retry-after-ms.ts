/**
 * A Retry-After in seconds, or as an HTTP date, in milliseconds from `nowMs`; a second when it is missing or
 * unreadable (still "slow down"). Checked by shape: Number('') is 0 and Date.parse('-5') a date in 2001, and a 0
 * would have the pump ask again at once.
 */
export function retryAfterMs(header: string | null, nowMs: number): number {
  const text = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? 1000 : Math.max(0, at - nowMs);
}
