import { fiveFieldCronOf, parseSchedule, rateIntervalMs, ScheduleSyntaxError } from '@overcast/providers';
import { CronExpressionParser } from 'cron-parser';

/**
 * The first tick after `after` (UTC) of a schedule in any form parseSchedule reads: a cron's next matching minute,
 * or one rate interval after `after`. Throws a ScheduleSyntaxError on a schedule it cannot read.
 */
export function nextRunOf(schedule: string, after: Date): Date {
  const parsed = parseSchedule(schedule);
  if (parsed.kind === 'rate') return new Date(after.getTime() + rateIntervalMs(parsed));
  return CronExpressionParser.parse(fiveFieldCronOf(parsed), { currentDate: after, tz: 'UTC' }).next().toDate();
}

/**
 * The tick after the one due at `due`, claimed at `now`: a cron's next matching minute after `now`; a rate keeps
 * its phase (`due` plus whole intervals, as EventBridge's rate counts from the rule, not from each late run) and
 * skips the ticks missed while no scheduler ran, as the cron does. Null, to stop the schedule until a deploy
 * applies another, for a stored schedule that no longer reads (written before the schedule syntax was checked).
 */
export function nextTickOf(schedule: string, due: Date, now: Date): Date | null {
  let parsed;
  try {
    parsed = parseSchedule(schedule);
  } catch (error) {
    if (error instanceof ScheduleSyntaxError) return null;
    throw error;
  }
  if (parsed.kind === 'cron') return nextRunOf(schedule, now);
  const interval = rateIntervalMs(parsed);
  const missed = Math.floor((now.getTime() - due.getTime()) / interval);
  return new Date(due.getTime() + (Math.max(missed, 0) + 1) * interval);
}
