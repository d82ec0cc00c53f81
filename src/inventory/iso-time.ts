const utcForm = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z)?$/i;
const anyIsoForm = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An ISO 8601 date or date-time as `toISOString()` would write it (UTC, milliseconds), or null when it is not
 * one. A time without a zone is taken as UTC, so the answer never depends on the machine's time zone.
 * The common UTC forms are normalised by hand because `Date` parsing dominated million-row imports;
 * times with an offset take the `Date` path.
 */
export function normaliseIsoTime(value: string): string | null {
  const utc = utcForm.exec(value);
  if (utc) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = utc;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
    const ms = fraction.padEnd(3, '0').slice(0, 3);
    return `${y}-${mo}-${d}T${pad(Number(h))}:${pad(Number(mi))}:${pad(Number(s))}.${ms}Z`;
  }
  if (!anyIsoForm.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
