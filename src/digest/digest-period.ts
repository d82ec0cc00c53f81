import { CronExpressionParser } from 'cron-parser';

/**
 * The scheduled time a digest at `now` stands for: the latest time on the policy's `digest.cron`, in its time
 * zone, at or before `now`. Ticks at any time after it (a late one, `tick --at`, catching up after a restart)
 * find the same period, which is posted once; a missed earlier period is not posted late, the next one reports
 * the changes since the last digest that was.
 */
export function scheduledDigestAt(cron: string, timezone: string, now: Date): string {
  // cron-parser's prev() is strictly before its current date: start just after `now`'s whole second.
  const after = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000);
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).prev().toDate().toISOString();
}
