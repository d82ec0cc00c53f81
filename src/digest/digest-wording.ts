import type { DigestRow } from './digest-view.js';

/**
 * How a digest words its numbers: thousands separated, shares as whole percentages, changes signed with a true
 * minus sign, ages in days, dates in the policy's time zone. One place, so every platform says the same.
 */
const count = new Intl.NumberFormat('en-GB');

export function counted(n: number): string {
  return count.format(n);
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '—' : `${Math.round((100 * part) / whole)}%`;
}

function signed(n: number, unit = ''): string {
  if (n === 0) return 'no change';
  return `${n > 0 ? '+' : '−'}${count.format(Math.abs(n))}${unit}`;
}

/** Which way is better for a figure: more coverage is, more overdue is not. */
export type Better = 'up' | 'down';

function trendOf(delta: number, better: Better): DigestRow['trend'] {
  if (delta === 0) return 'same';
  return (delta > 0) === (better === 'up') ? 'better' : 'worse';
}

/** A row for a count, with its change since `previous` (null on the first digest, or when it was not counted then). */
export function countRow(label: string, now: number, previous: number | null | undefined, better: Better, value = counted(now)): DigestRow {
  if (previous === null || previous === undefined) return { label, value, change: null };
  const delta = now - previous;
  return { label, value, change: signed(delta), trend: trendOf(delta, better) };
}

/** A row for a share ("1,204 of 1,310 (92%)"), its change in percentage points, to one decimal. */
export function shareRow(label: string, part: number, whole: number, previous: { part: number; whole: number } | null | undefined): DigestRow {
  const value = `${counted(part)} of ${counted(whole)} (${percent(part, whole)})`;
  if (previous === null || previous === undefined) return { label, value, change: null };
  // The difference of the exact shares, rounded once: 5 → 6 of 6 and 4 → 5 of 6 both moved 16.7 points.
  const points = Math.round((1000 * part) / whole - (1000 * previous.part) / previous.whole) / 10;
  // Against nothing counted (0 of 0), a share has not moved: only the count has.
  if (whole === 0 || previous.whole === 0) return { label, value, change: signed(part - previous.part), trend: trendOf(part - previous.part, 'up') };
  const items = part === previous.part ? 'same count' : signed(part - previous.part);
  const change = points === 0 ? (part === previous.part ? 'no change' : `${items}, same share`) : `${items}, ${signed(points, ' points')}`;
  return { label, value, change, trend: trendOf(points, 'up') };
}


const dayMs = 86_400_000;

/** Whole days from `since` to `now` ("today" under one). */
export function age(since: string, now: string): string {
  const days = Math.floor((Date.parse(now) - Date.parse(since)) / dayMs);
  return days < 1 ? 'under a day' : days === 1 ? '1 day' : `${counted(days)} days`;
}

/** A date as people read it, in the policy's time zone: "Mon 7 Dec 2026". */
export function day(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(Date.parse(iso)).replace(/,/g, '');
}

/** A date on the chart's axis: "7 Dec". */
export function shortDay(iso: string, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, day: 'numeric', month: 'short' }).format(Date.parse(iso));
}

/** A time with its zone: "Mon 7 Dec 2026, 09:00 (Europe/Paris)". */
export function dayAndTime(iso: string, timezone: string): string {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(iso));
  return `${day(iso, timezone)}, ${time} (${timezone})`;
}
