import { CronExpressionParser } from 'cron-parser';
import { nextRunOf, nextTickOf } from '../src/domain/schedule-ticks';

const start = new Date('2026-12-04T22:58:30Z');
const minute = 60_000;

/** The next `count` ticks after `start`, each found from the one before. */
function ticks(next: (after: Date) => Date, count = 40): string[] {
  const found: string[] = [];
  for (let after = start; found.length < count;) {
    after = next(after);
    found.push(after.toISOString());
  }
  return found;
}

const cronParserTicks = (cron: string) =>
  ticks((after) => CronExpressionParser.parse(cron, { currentDate: after, tz: 'UTC' }).next().toDate());

describe("the local scheduler's ticks", () => {
  it.each([
    '* * * * *',
    '*/7 * * * *',
    '0 3 * * 1-5',
    '0 0 * * 5-7',
    '0 0 * * SUN',
    '30 */4 1-10/3 * *',
    '0 0 1 */2 *',
  ])('fire a five-field %s on the minutes cron-parser gives the same text', (cron) => {
    expect(ticks((after) => nextRunOf(cron, after))).toEqual(cronParserTicks(cron));
  });

  it.each([
    ['cron(0 3 ? * MON-FRI *)', '0 3 * * 1-5'],
    ['cron(0/15 * * * ? *)', '*/15 * * * *'],
    ['cron(0 0 ? * 1 *)', '0 0 * * 0'],
    ['cron(30 12 1,15 * ? *)', '30 12 1,15 * *'],
  ])("fire Barcelona's EventBridge %s as five-field %s", (expression, cron) => {
    expect(ticks((after) => nextRunOf(expression, after))).toEqual(cronParserTicks(cron));
  });

  it('fire a rate one interval after the deploy that applied it, then keep its phase however late a pass runs', () => {
    expect(nextRunOf('rate(5 minutes)', start).getTime()).toBe(start.getTime() + 5 * minute);
    expect(nextRunOf('rate(1 hour)', start).getTime()).toBe(start.getTime() + 60 * minute);
    const due = new Date('2026-12-04T23:00:00Z');
    // Claimed 700 ms late: the next tick is still on the five-minute grid of the first.
    expect(nextTickOf('rate(5 minutes)', due, new Date(due.getTime() + 700))?.toISOString()).toBe(
      '2026-12-04T23:05:00.000Z',
    );
    // No scheduler ran for 17 minutes: the missed ticks are skipped (run once now), as a cron's are.
    expect(nextTickOf('rate(5 minutes)', due, new Date(due.getTime() + 17 * minute))?.toISOString()).toBe(
      '2026-12-04T23:20:00.000Z',
    );
    expect(nextTickOf('*/5 * * * *', due, new Date(due.getTime() + 17 * minute))?.toISOString()).toBe(
      '2026-12-04T23:20:00.000Z',
    );
  });

  it('stop a stored schedule that no longer reads instead of failing every pass', () => {
    expect(nextTickOf('0 * * * * *', start, start)).toBeNull();
    expect(() => nextRunOf('0 * * * * *', start)).toThrow(/has 6 fields/);
  });
});
