/**
 * Schedules are read as Azure Functions reads NCRONTAB (issue 14, item 7; docs/security.md). The worked
 * examples are those of Microsoft's timer-trigger page, "NCRONTAB expressions" and "NCRONTAB examples"
 * (learn.microsoft.com/azure/azure-functions/functions-bindings-timer; source MicrosoftDocs/azure-docs,
 * articles/azure-functions/functions-bindings-timer.md), which also says Azure uses the NCrontab library.
 * Day and day-of-week are AND-ed as NCrontab's CrontabSchedule.TryGetNextOccurrence does.
 */
import { describe, expect, it } from 'vitest';
import { isNcrontab, nextScheduledRun, parseNcrontab } from '../../shared/domain/ncrontab.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import { ValidationError } from '../../shared/domain/errors.js';

/** The next `n` runs strictly after `from`. */
function runs(expr: string, from: string, n: number): string[] {
  const out: string[] = [];
  let at: Date | null = new Date(from);
  while (out.length < n && at) {
    at = nextScheduledRun(expr, at);
    if (at) out.push(at.toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

// 2026-12-04 is a Friday.
const FRI = '2026-12-04T17:30:00Z';

describe('NCRONTAB, the examples of the Azure Functions timer-trigger documentation', () => {
  it.each<[string, string, string, string[]]>([
    // "NCRONTAB expressions" table
    ['a specific value', '0 5 * * * *', FRI, ['2026-12-04T18:05:00Z', '2026-12-04T19:05:00Z']],
    ['all values', '0 * 5 * * *', FRI, ['2026-12-05T05:00:00Z', '2026-12-05T05:01:00Z']],
    [
      'a range',
      '5-7 * * * * *',
      FRI,
      ['2026-12-04T17:30:05Z', '2026-12-04T17:30:06Z', '2026-12-04T17:30:07Z', '2026-12-04T17:31:05Z'],
    ],
    [
      'a set',
      '5,8,10 * * * * *',
      FRI,
      ['2026-12-04T17:30:05Z', '2026-12-04T17:30:08Z', '2026-12-04T17:30:10Z'],
    ],
    ['an interval', '0 */5 * * * *', FRI, ['2026-12-04T17:35:00Z', '2026-12-04T17:40:00Z']],
    // "NCRONTAB examples" table
    [
      'once every five minutes',
      '0 */5 * * * *',
      '2026-12-04T17:58:00Z',
      ['2026-12-04T18:00:00Z', '2026-12-04T18:05:00Z'],
    ],
    ['once at the top of every hour', '0 0 * * * *', FRI, ['2026-12-04T18:00:00Z', '2026-12-04T19:00:00Z']],
    ['once every two hours', '0 0 */2 * * *', FRI, ['2026-12-04T18:00:00Z', '2026-12-04T20:00:00Z']],
    [
      'once every hour from 9 AM to 5 PM',
      '0 0 9-17 * * *',
      FRI,
      ['2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z'],
    ],
    ['at 9:30 AM every day', '0 30 9 * * *', FRI, ['2026-12-05T09:30:00Z', '2026-12-06T09:30:00Z']],
    ['at 9:30 AM every weekday', '0 30 9 * * 1-5', FRI, ['2026-12-07T09:30:00Z', '2026-12-08T09:30:00Z']],
    [
      'at 9:30 AM every Monday in January',
      '0 30 9 * Jan Mon',
      FRI,
      [
        '2027-01-04T09:30:00Z',
        '2027-01-11T09:30:00Z',
        '2027-01-18T09:30:00Z',
        '2027-01-25T09:30:00Z',
        '2028-01-03T09:30:00Z',
      ],
    ],
  ])('%s: %s', (_what, expr, from, expected) => {
    expect(runs(expr, from, expected.length)).toEqual(expected);
  });

  it('takes names in English, any case, abbreviated (the page: "Names can be abbreviated")', () => {
    const expected = runs('0 30 9 * 1 1', FRI, 3);
    expect(runs('0 30 9 * January Monday', FRI, 3)).toEqual(expected);
    expect(runs('0 30 9 * jan MON', FRI, 3)).toEqual(expected);
  });
});

describe('NCRONTAB, as NCrontab reads what the documentation does not show', () => {
  it('ANDs day and day-of-week: "0 0 3 1-7 * 6" is the first Saturday of each month only', () => {
    expect(runs('0 0 3 1-7 * 6', '2026-12-01T00:00:00Z', 4)).toEqual([
      '2026-12-05T03:00:00Z',
      '2027-01-02T03:00:00Z',
      '2027-02-06T03:00:00Z',
      '2027-03-06T03:00:00Z',
    ]);
  });

  it('reads "a/n" as a to the maximum in steps of n', () => {
    expect(runs('0 5/20 * * * *', FRI, 3)).toEqual([
      '2026-12-04T17:45:00Z',
      '2026-12-04T18:05:00Z',
      '2026-12-04T18:25:00Z',
    ]);
  });

  it('fires on February 29 in leap years', () => {
    expect(runs('0 0 0 29 2 *', FRI, 2)).toEqual(['2028-02-29T00:00:00Z', '2032-02-29T00:00:00Z']);
  });

  it.each([
    ['0 0 0 31 2 *', /never fires/],
    ['0 0 0 30,31 2 *', /never fires/],
    ['0 0 0 31 4,6,9,11 *', /never fires/],
    ['0 0 3 * * 7', /day-of-week.*outside 0-6/],
    ['0 0 0 L * *', /day field "L"/],
    ['0 0 0 ? * 1', /day field "\?"/],
    ['0 0 0 * * 1#2', /day-of-week/],
    ['0 0 0 15W * *', /day field/],
    ['0 0 0 5-3 * *', /backwards/],
    ['0 */0 * * * *', /step/],
    ['0 0 3 * * Funday', /day-of-week name/],
    ['0 3 * * 6', /six fields/],
    ['61 0 3 * * 6', /second field.*outside 0-59/],
  ])('refuses %s, saying why', (expr, why) => {
    const r = parseNcrontab(expr);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
    expect(isNcrontab(expr)).toBe(false);
    expect(nextScheduledRun(expr, new Date(FRI))).toBeNull();
  });

  it('policy validation refuses a schedule that never fires, naming the field and the reason', () => {
    let err: unknown;
    try {
      parsePolicy('p', { osm: { version: '1.2.6' }, schedule: '0 0 0 31 2 *' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.code).toBe('InvalidPolicy');
    expect(v.details).toEqual([{ path: 'schedule', message: expect.stringMatching(/never fires/) }]);
  });
});
