import { eventBridgeExpressionOf, fiveFieldCronOf, parseSchedule, type CronSchedule } from './schedule-expression';

const cronOf = (text: string) => parseSchedule(text) as CronSchedule;

describe('schedule expressions', () => {
  it.each([
    ['* * * * *', 'cron(* * * * ? *)'],
    ['*/5 * * * *', 'cron(0/5 * * * ? *)'],
    ['0 3 * * 1-5', 'cron(0 3 ? * 2-6 *)'],
    ['0 3 * * mon-fri', 'cron(0 3 ? * 2-6 *)'],
    ['30 2 1 * *', 'cron(30 2 1 * ? *)'],
    ['0 0 * * 0,6', 'cron(0 0 ? * 1,7 *)'],
    ['0 0 * * 7', 'cron(0 0 ? * 1 *)'],
    ['0 0 * * 5-7', 'cron(0 0 ? * 1,6,7 *)'],
    ['0 0 * * */2', 'cron(0 0 ? * 1/2 *)'],
    ['15 */6 1,15 JAN-MAR *', 'cron(15 0/6 1,15 1-3 ? *)'],
    ['10-50/20 8-17 * * *', 'cron(10/20 8-17 * * ? *)'],
    ['10-40/15 * * * *', 'cron(10,25,40 * * * ? *)'],
  ])('writes five-field %s as EventBridge %s', (cron, expected) => {
    expect(eventBridgeExpressionOf(parseSchedule(cron))).toBe(expected);
  });

  it.each([
    ['cron(0 3 ? * MON-FRI *)', '0 3 * * 1-5'],
    ['cron(0/15 * * * ? *)', '*/15 * * * *'],
    ['cron(5/15 * * * ? *)', '5-59/15 * * * *'],
    ['cron(0 12 1 * ? *)', '0 12 1 * *'],
    ['cron(0 12 * * ? *)', '0 12 * * *'],
    ['cron(0 0 ? * 1 *)', '0 0 * * 0'],
    ['cron(0 0 ? * 7 *)', '0 0 * * 6'],
    ['cron(0 0 ? * SUN,SAT *)', '0 0 * * 0,6'],
  ])("reads Barcelona's EventBridge %s as the local scheduler's %s", (expression, cron) => {
    expect(fiveFieldCronOf(cronOf(expression))).toBe(cron);
  });

  it.each([
    '* * * * *',
    '*/7 * * * *',
    '0 3 * * 1-5',
    '0 0 * * 5-7',
    '0 0 * * */3',
    '1-5/2 */5 2-30/7 */4 *',
    '0 0 * * 1,3-4',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0/10 0-6 1-6 * ? *)',
  ])('fires %s on the same minutes locally and on EventBridge (the rule it writes reads back the same)', (text) => {
    const schedule = cronOf(text);
    expect(fiveFieldCronOf(cronOf(eventBridgeExpressionOf(schedule)))).toBe(fiveFieldCronOf(schedule));
  });

  it.each([
    ['rate(1 minute)', 'rate(1 minute)'],
    ['rate(5 minutes)', 'rate(5 minutes)'],
    ['rate(1 hour)', 'rate(1 hour)'],
    ['rate(2 days)', 'rate(2 days)'],
  ])('keeps %s as %s', (text, expected) => {
    expect(eventBridgeExpressionOf(parseSchedule(text))).toBe(expected);
  });

  it.each([
    ['0 * * * * *', /has 6 fields \(a leading seconds field is not supported/],
    ['* * * *', /has 4 fields: write five-field cron/],
    ['@daily', /write the five fields it stands for/],
    ['0 0 1 * 1', /day-of-month and day-of-week cannot both be restricted/],
    ['0 0 ? * *', /\? belongs to EventBridge cron/],
    ['60 * * * *', /minute 60 is outside 0-59/],
    ['0 0 * * 8', /day-of-week 8 is outside 0-7/],
    ['5-1 * * * *', /minute range "5-1" runs backwards/],
    ['*/0 * * * *', /step in "\*\/0" must be at least 1/],
    ['0 0 * FOO *', /month "FOO" is not a number or a name/],
    ['0 0 L * *', /L, W and # are not supported/],
    ['cron(0 0 ? * 2#1 *)', /L, W and # are not supported/],
    ['cron(0 0 15W * ? *)', /L, W and # are not supported/],
    ['cron(0 3 * * MON *)', /\? in exactly one of day-of-month and day-of-week/],
    ['cron(0 3 ? * ? *)', /\? in exactly one of day-of-month and day-of-week/],
    ['cron(0 3 ? * MON 2027)', /year "2027": only \* is supported/],
    ['cron(0 3 * * ?)', /six fields/],
    ['cron(0 0 ? * 0 *)', /day-of-week 0 is outside 1-7/],
    ['rate(1 minutes)', /rate\(1 minute\) or rate\(N minutes\)/],
    ['rate(5 minute)', /rate\(1 minute\) or rate\(N minutes\)/],
    ['rate(0 minutes)', /at least 1/],
    ['rate(2 weeks)', /rate\(N minute\|minutes\|hour\|hours\|day\|days\)/],
    ['every minute', /has 2 fields/],
  ])('refuses %s, saying why', (text, message) => {
    expect(() => parseSchedule(text)).toThrow(message);
  });
});
