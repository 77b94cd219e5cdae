import { Cron } from 'croner';

/** Azure Functions timers use six-field NCRONTAB: {second} {minute} {hour} {day} {month} {day-of-week}. */
export function isNcrontab(expr: string): boolean {
  if (expr.trim().split(/\s+/).length !== 6) return false;
  try {
    new Cron(expr, { paused: true, mode: '6-part', timezone: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/** The next time an NCRONTAB schedule fires strictly after `after`, or null if it never does. */
export function nextScheduledRun(expr: string, after: Date): Date | null {
  return new Cron(expr, { paused: true, mode: '6-part', timezone: 'UTC' }).nextRun(after);
}
