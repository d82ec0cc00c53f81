const isoForm = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))?|Z)?$/i;

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * An ISO 8601 date or date-time as `toISOString()` would write it (UTC, milliseconds), or null when it is not
 * one. A time without a zone is taken as UTC, so the answer never depends on the machine's time zone.
 * Parsed by hand: `Date` parsing dominated million-row imports, and `Date` rolls impossible dates over
 * (`2027-02-30T09:00+02:00` became 2 March) instead of refusing them, so every form gets the same checks.
 */
export function normaliseIsoTime(value: string): string | null {
  const match = isoForm.exec(value);
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', sign, offsetH, offsetM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const ms = fraction.padEnd(3, '0').slice(0, 3);
  const asWritten = `${y}-${mo}-${d}T${pad(Number(h))}:${pad(Number(mi))}:${pad(Number(s))}.${ms}Z`;
  if (sign === undefined) return asWritten;
  if (Number(offsetH) > 23 || Number(offsetM) > 59) return null;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM));
  // A zero offset (the +00:00 every AWS time carries) is UTC as written.
  if (offsetMinutes === 0) return asWritten;
  const local = new Date(Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), Number(ms)));
  // Date.UTC reads years 0–99 as 19xx.
  if (year < 100) local.setUTCFullYear(year, month - 1, day);
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}
