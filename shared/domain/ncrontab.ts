/**
 * Six-field NCRONTAB, `{second} {minute} {hour} {day} {month} {day-of-week}`, read as Azure Functions reads
 * it: Azure's timer trigger uses the NCrontab library (learn.microsoft.com/azure/azure-functions/
 * functions-bindings-timer#ncrontab-expressions), whose schedule takes a day only when it matches **both**
 * the day field and the day-of-week field (NCrontab's CrontabSchedule.TryGetNextOccurrence picks a day from
 * the day field, then checks the day of week), unlike Vixie cron's OR. So `0 0 3 1-7 * 6` is the first
 * Saturday of the month.
 *
 * The grammar is NCrontab's: `*`, a value, `a-b`, lists with `,`, steps `*\/n`, `a-b/n` and `a/n` (from a to
 * the field's maximum); English month and day names, case-insensitive and abbreviable (`Jan`, `January`,
 * `Mon`); days of week 0 to 6 (Sunday is 0). Anything else (croner's `L`, `W`, `#`, `?`, a 7 for Sunday) is
 * refused, as Azure would refuse it. A schedule whose day and month fields never meet (`0 0 0 31 2 *`) is
 * refused too: it would never fire, yet searching for its next run cost 38 ms per policy per reconcile.
 *
 * The fields are checked and normalised here (names to numbers, `a/n` to `a-max/n`); croner, with
 * `domAndDow: true` (day AND day-of-week), computes the next occurrence.
 */
import { Cron } from 'croner';

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September'];
const FIELDS: readonly Field[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: [...MONTHS, 'October', 'November', 'December'] },
  {
    name: 'day-of-week',
    min: 0,
    max: 6,
    names: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  },
];
/** Days in each month at most (February in a leap year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface ParsedSchedule {
  /** The expression as croner reads it (numbers only, explicit ranges). */
  normalized: string;
  /** The values each field takes, in field order. */
  values: readonly (readonly number[])[];
}

/** Parses an NCRONTAB expression; returns the reason it is refused as a string. */
export function parseNcrontab(expr: string): ParsedSchedule | string {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 6)
    return `must have six fields ({second} {minute} {hour} {day} {month} {day-of-week}), not ${parts.length}`;
  const values: number[][] = [];
  const normalized: string[] = [];
  for (const [i, field] of FIELDS.entries()) {
    const r = parseField(parts[i] ?? '', field);
    if (typeof r === 'string') return `${field.name} field "${parts[i]}": ${r}`;
    values.push(r.values);
    normalized.push(r.normalized);
  }
  const [, , , days = [], months = []] = values;
  if (!months.some((m) => days.some((d) => d <= (MONTH_DAYS[m - 1] ?? 0))))
    return 'never fires: no month in the month field has a day in the day field';
  return { normalized: normalized.join(' '), values };
}

/** Whether `expr` is a six-field NCRONTAB expression that fires. */
export function isNcrontab(expr: string): boolean {
  return typeof parseNcrontab(expr) !== 'string';
}

/** The next time an NCRONTAB schedule fires strictly after `after`, or null if it never does (or is invalid). */
export function nextScheduledRun(expr: string, after: Date): Date | null {
  const parsed = parseNcrontab(expr);
  if (typeof parsed === 'string') return null;
  return new Cron(parsed.normalized, {
    paused: true,
    mode: '6-part',
    timezone: 'UTC',
    domAndDow: true,
  }).nextRun(after);
}

function parseField(text: string, f: Field): { values: number[]; normalized: string } | string {
  const values = new Set<number>();
  const out: string[] = [];
  for (const item of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(item);
    if (!m) return 'is not a value, range, list or step';
    const [, range = '', stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return 'a step must be at least 1';
    let lo = f.min;
    let hi = f.max;
    if (range !== '*') {
      const ends = range.split('-');
      if (ends.length > 2) return `"${range}" is not a value or a range`;
      const a = value(ends[0] ?? '', f);
      const b = ends.length === 2 ? value(ends[1] ?? '', f) : stepText === undefined ? a : f.max;
      if (typeof a === 'string') return a;
      if (typeof b === 'string') return b;
      if (a > b) return `the range ${a}-${b} runs backwards`;
      [lo, hi] = [a, b];
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
    const span = range === '*' ? '*' : lo === hi && stepText === undefined ? `${lo}` : `${lo}-${hi}`;
    out.push(`${span}${stepText === undefined ? '' : `/${step}`}`);
  }
  return { values: [...values].sort((a, b) => a - b), normalized: out.join(',') };
}

function value(text: string, f: Field): number | string {
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    return n >= f.min && n <= f.max ? n : `${n} is outside ${f.min}-${f.max}`;
  }
  const lower = text.toLowerCase();
  const i = /^[a-z]+$/.test(lower)
    ? (f.names?.findIndex((n) => n.toLowerCase().startsWith(lower)) ?? -1)
    : -1;
  if (i < 0)
    return f.names
      ? `"${text}" is neither a number from ${f.min} to ${f.max} nor a ${f.name} name`
      : `"${text}" is not a number from ${f.min} to ${f.max}`;
  return i + f.min;
}
