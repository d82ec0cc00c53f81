export const dayMs = 86_400_000;

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * dayMs).toISOString();
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / dayMs);
}

export function earliest(...times: ReadonlyArray<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const time of times) if (time != null && (best === null || time < best)) best = time;
  return best;
}
