/**
 * Maintenance windows: `days` + local `start` + `durationHours` in an IANA `timeZone`.
 *
 * - A window opens on each listed local day at `start` (wall-clock time in `timeZone`) and stays open for
 *   `durationHours` of elapsed time, so it may run past midnight (Sat 22:00 for 6 h closes Sun 04:00) and
 *   over a daylight-saving change it keeps its length in real hours.
 * - A `start` that falls in a spring-forward gap is shifted by the gap (02:30 -> 03:30), as Temporal's
 *   `compatible` disambiguation does; an ambiguous fall-back `start` uses the earlier instant.
 * - Day names are `Mon`..`Sun`, case-insensitive (`sat`, `SAT`); an empty list means every day.
 * Time zones go through `Intl.DateTimeFormat`; no Node built-ins.
 */
import type { MaintenanceWindow } from './rolloutState.js';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface LocalDate {
  year: number;
  month: number; // 1..12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of `ms` in `timeZone`, as if they were UTC (milliseconds since the epoch). */
function wallClockAsUtc(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const get = (k: string): number => parts[k] ?? 0;
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
}

/** Offset of `timeZone` from UTC at instant `ms`, in milliseconds (east positive). */
function offsetAt(ms: number, timeZone: string): number {
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  return wallClockAsUtc(whole, timeZone) - whole;
}

/** The instant at which the local wall clock in `timeZone` reads `date` `minutes` after midnight. */
function localToInstant(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (first === second) return first;
  // Around a DST change the two guesses differ: prefer one that reads back as the wall time; in a gap
  // (no such instant) take the later guess, which is the wall time shifted forward by the gap.
  if (wallClockAsUtc(first, timeZone) === wall) return Math.min(first, second);
  if (wallClockAsUtc(second, timeZone) === wall) return second;
  return Math.max(first, second);
}

function localDateOf(ms: number, timeZone: string): LocalDate {
  const d = new Date(wallClockAsUtc(ms, timeZone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate & { weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
  };
}

function openDays(w: MaintenanceWindow): Set<number> {
  if (w.days.length === 0) return new Set([0, 1, 2, 3, 4, 5, 6]);
  const out = new Set<number>();
  for (const name of w.days) {
    const i = DAY_NAMES.indexOf(name.trim().slice(0, 3).toLowerCase() as (typeof DAY_NAMES)[number]);
    if (i >= 0) out.add(i);
  }
  return out;
}

function startMinutes(w: MaintenanceWindow): number {
  const [h = '0', m = '0'] = w.start.split(':');
  return Number(h) * 60 + Number(m);
}

/** Window start instants (ms) on local days `from`..`to` relative to the local day of `now`. */
function starts(w: MaintenanceWindow, now: Date, from: number, to: number): number[] {
  const days = openDays(w);
  const today = localDateOf(now.getTime(), w.timeZone);
  const minutes = startMinutes(w);
  const out: number[] = [];
  for (let k = from; k <= to; k++) {
    const d = addDays(today, k);
    if (days.has(d.weekday)) out.push(localToInstant(d, minutes, w.timeZone));
  }
  return out;
}

/** True when `now` falls inside an open window (start inclusive, end exclusive). */
export function isInWindow(w: MaintenanceWindow, now: Date): boolean {
  const t = now.getTime();
  const length = w.durationHours * HOUR_MS;
  const back = Math.ceil(length / DAY_MS) + 1;
  return starts(w, now, -back, 0).some((s) => s <= t && t < s + length);
}

/**
 * The first instant after `now` at which a window opens (strictly after: when `now` is inside a window,
 * this is the start of the following one).
 */
export function nextWindowStart(w: MaintenanceWindow, now: Date): Date {
  const t = now.getTime();
  const next = starts(w, now, 0, 8).find((s) => s > t);
  return new Date(next ?? t + 7 * DAY_MS);
}
