import { parseField, printField, ScheduleSyntaxError, type FieldSpec } from './cron-field';

/**
 * A service's schedule, in one of the three forms Overcast accepts (UTC):
 * - five-field cron `minute hour day-of-month month day-of-week` (day-of-week 0-7 or SUN-SAT, 0 and 7 Sunday);
 * - EventBridge's `cron(minute hour day-of-month month day-of-week year)` (day-of-week 1-7 or SUN-SAT from
 *   Sunday, one of the two day fields `?`, year `*`), as Barcelona's scheduled_tasks wrote them;
 * - EventBridge's `rate(N minute|minutes|hour|hours|day|days)`, singular only for 1.
 * Fields take `*`, values, `a-b` ranges, `/step` and comma lists; EventBridge's `L`, `W` and `#` and cron's
 * `@daily` forms are refused, as are two restricted day fields (EventBridge cannot run "this day of the month or
 * this day of the week"). Each form is read into the sets of minutes, hours… it fires on, and both the local
 * scheduler's cron and the EventBridge rule are written from those sets, so they fire on the same minutes.
 */
export type Schedule = CronSchedule | RateSchedule;

export interface CronSchedule {
  kind: 'cron';
  minutes: Set<number>;
  hours: Set<number>;
  /** Undefined: any day of the month (the day of the week decides). */
  daysOfMonth?: Set<number>;
  months: Set<number>;
  /** 0-6 from Sunday. Undefined: any day of the week (the day of the month decides). */
  daysOfWeek?: Set<number>;
}

export interface RateSchedule {
  kind: 'rate';
  every: number;
  unit: RateUnit;
}

export type RateUnit = 'minute' | 'hour' | 'day';

export { ScheduleSyntaxError } from './cron-field';

const rateUnitMs: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const monthNames = Object.fromEntries(
  ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'].map((name, i) => [name, i + 1]),
);
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const minute: FieldSpec = { name: 'minute', min: 0, max: 59 };
const hour: FieldSpec = { name: 'hour', min: 0, max: 23 };
const dayOfMonth: FieldSpec = { name: 'day-of-month', min: 1, max: 31 };
const month: FieldSpec = { name: 'month', min: 1, max: 12, names: monthNames };
/** Cron's numbering, 0-7 (7 is Sunday again). */
const cronDayOfWeek: FieldSpec = {
  name: 'day-of-week',
  min: 0,
  max: 7,
  names: Object.fromEntries(dayNames.map((name, i) => [name, i])),
};
/** EventBridge's numbering, 1-7 from Sunday. */
const eventBridgeDayOfWeek: FieldSpec = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: Object.fromEntries(dayNames.map((name, i) => [name, i + 1])),
};
const canonicalDays = { min: 0, max: 6 };

function fieldsOf(text: string): string[] {
  return text.trim().split(/\s+/);
}

/** EventBridge's last (`L`, `5L`), weekday (`15W`, `LW`) and nth (`2#1`) forms: the local scheduler has no such days. */
function refuseSpecials(fields: string[]): void {
  const special = fields.find(
    (field) => field.includes('#') || field.split(/[,/-]/).some((token) => /^(\d*L|\d+W|LW)$/i.test(token)),
  );
  if (special !== undefined) throw new ScheduleSyntaxError(`"${special}": L, W and # are not supported`);
}

function parseRate(text: string): RateSchedule {
  const match = /^rate\(\s*(\d{1,6})\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) throw new ScheduleSyntaxError('a rate is rate(N minute|minutes|hour|hours|day|days)');
  const every = Number(match[1]);
  const unit = match[2].replace(/s$/, '') as RateUnit;
  if (every < 1) throw new ScheduleSyntaxError('a rate must be at least 1');
  if ((every === 1) !== (match[2] === unit))
    throw new ScheduleSyntaxError(`write rate(1 ${unit}) or rate(N ${unit}s): EventBridge refuses the other`);
  return { kind: 'rate', every, unit };
}

function daysOfWeekIn(field: string, spec: FieldSpec, toCanonical: (day: number) => number): Set<number> {
  return new Set([...parseField(field, spec)].map(toCanonical));
}

function parseEventBridgeCron(text: string): CronSchedule {
  const inner = /^cron\((.*)\)$/.exec(text.trim())?.[1];
  const fields = fieldsOf(inner ?? '');
  if (inner === undefined || fields.length !== 6)
    throw new ScheduleSyntaxError(
      'EventBridge cron(…) has six fields: minute hour day-of-month month day-of-week year',
    );
  refuseSpecials(fields);
  const [min, hr, dom, mon, dow, year] = fields as [string, string, string, string, string, string];
  if (year !== '*') throw new ScheduleSyntaxError(`year "${year}": only * is supported`);
  if ((dom === '?') === (dow === '?'))
    throw new ScheduleSyntaxError('EventBridge cron(…) needs ? in exactly one of day-of-month and day-of-week');
  return {
    kind: 'cron',
    minutes: parseField(min, minute),
    hours: parseField(hr, hour),
    ...(dom === '?' || dom === '*' ? {} : { daysOfMonth: parseField(dom, dayOfMonth) }),
    months: parseField(mon, month),
    ...(dow === '?' || dow === '*' ? {} : { daysOfWeek: daysOfWeekIn(dow, eventBridgeDayOfWeek, (day) => day - 1) }),
  };
}

function parseFiveFieldCron(text: string): CronSchedule {
  const fields = fieldsOf(text);
  if (fields.length !== 5) {
    const hint =
      fields.length === 6 ? ' (a leading seconds field is not supported: schedules run at most once a minute)' : '';
    throw new ScheduleSyntaxError(
      `has ${fields.length} fields${hint}: write five-field cron (minute hour day-of-month month day-of-week), ` +
        'cron(…) with six as EventBridge does, or rate(…)',
    );
  }
  refuseSpecials(fields);
  if (fields.includes('?')) throw new ScheduleSyntaxError('? belongs to EventBridge cron(…); five-field cron uses *');
  const [min, hr, dom, mon, dow] = fields as [string, string, string, string, string];
  if (dom !== '*' && dow !== '*')
    throw new ScheduleSyntaxError('day-of-month and day-of-week cannot both be restricted: make one of them *');
  return {
    kind: 'cron',
    minutes: parseField(min, minute),
    hours: parseField(hr, hour),
    ...(dom === '*' ? {} : { daysOfMonth: parseField(dom, dayOfMonth) }),
    months: parseField(mon, month),
    ...(dow === '*' ? {} : { daysOfWeek: daysOfWeekIn(dow, cronDayOfWeek, (day) => day % 7) }),
  };
}

/** The schedule `text` means, or a ScheduleSyntaxError saying what is wrong with it. */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  if (trimmed.startsWith('rate(')) return parseRate(trimmed);
  if (trimmed.startsWith('cron(')) return parseEventBridgeCron(trimmed);
  if (trimmed.startsWith('@')) throw new ScheduleSyntaxError(`"${trimmed}": write the five fields it stands for`);
  return parseFiveFieldCron(trimmed);
}

/** EventBridge's ScheduleExpression for the schedule. */
export function eventBridgeExpressionOf(schedule: Schedule): string {
  if (schedule.kind === 'rate') return `rate(${schedule.every} ${schedule.unit}${schedule.every === 1 ? '' : 's'})`;
  const days = schedule.daysOfWeek
    ? ['?', printField(new Set([...schedule.daysOfWeek].map((day) => day + 1)), eventBridgeDayOfWeek, 'eventbridge')]
    : [schedule.daysOfMonth ? printField(schedule.daysOfMonth, dayOfMonth, 'eventbridge') : '*', '?'];
  const fields = [
    printField(schedule.minutes, minute, 'eventbridge'),
    printField(schedule.hours, hour, 'eventbridge'),
    days[0],
    printField(schedule.months, month, 'eventbridge'),
    days[1],
    '*',
  ];
  return `cron(${fields.join(' ')})`;
}

/** The five-field cron of a cron schedule, numbers only (day-of-week 0-6), as the local scheduler's parser reads it. */
export function fiveFieldCronOf(schedule: CronSchedule): string {
  return [
    printField(schedule.minutes, minute, 'cron'),
    printField(schedule.hours, hour, 'cron'),
    schedule.daysOfMonth ? printField(schedule.daysOfMonth, dayOfMonth, 'cron') : '*',
    printField(schedule.months, month, 'cron'),
    schedule.daysOfWeek ? printField(schedule.daysOfWeek, canonicalDays, 'cron') : '*',
  ].join(' ');
}

/** How long a rate schedule waits between runs. */
export function rateIntervalMs(schedule: RateSchedule): number {
  return schedule.every * rateUnitMs[schedule.unit];
}
