import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isInWindow, nextWindowStart } from '../../shared/domain/maintenanceWindow.js';
import type { MaintenanceWindow } from '../../shared/domain/rolloutState.js';

const weekend: MaintenanceWindow = {
  days: ['Sat', 'Sun'],
  start: '02:00',
  durationHours: 6,
  timeZone: 'UTC',
};
const lateSat: MaintenanceWindow = { days: ['sat'], start: '22:00', durationHours: 6, timeZone: 'UTC' };
const paris: MaintenanceWindow = {
  days: ['SAT'],
  start: '22:00',
  durationHours: 6,
  timeZone: 'Europe/Paris',
};
const tokyo: MaintenanceWindow = { days: ['Mon'], start: '01:00', durationHours: 2, timeZone: 'Asia/Tokyo' };
const daily: MaintenanceWindow = { days: [], start: '23:30', durationHours: 1, timeZone: 'UTC' };

describe('isInWindow', () => {
  it.each([
    ['start is inclusive', weekend, '2024-06-01T02:00:00Z', true],
    ['inside on Saturday', weekend, '2024-06-01T05:59:59Z', true],
    ['end is exclusive', weekend, '2024-06-01T08:00:00Z', false],
    ['before the start', weekend, '2024-06-01T01:59:00Z', false],
    ['Sunday window', weekend, '2024-06-02T03:00:00Z', true],
    ['Monday is closed', weekend, '2024-06-03T03:00:00Z', false],
    ['crossing midnight: Saturday side', lateSat, '2024-06-01T23:00:00Z', true],
    ['crossing midnight: Sunday side', lateSat, '2024-06-02T03:59:00Z', true],
    ['crossing midnight: closed after', lateSat, '2024-06-02T04:00:00Z', false],
    ['crossing midnight: Friday night closed', lateSat, '2024-05-31T23:00:00Z', false],
    ['Paris 22:00 CEST is 20:00 UTC', paris, '2024-06-01T20:00:00Z', true],
    ['Paris: 19:59 UTC is before', paris, '2024-06-01T19:59:00Z', false],
    ['Paris: 01:59 UTC Sunday inside', paris, '2024-06-02T01:59:00Z', true],
    ['Paris in winter (CET, +1)', paris, '2024-01-06T21:00:00Z', true],
    ['Paris in winter: 20:30 UTC is before', paris, '2024-01-06T20:30:00Z', false],
    ['Tokyo Monday 01:00 is Sunday 16:00 UTC', tokyo, '2024-06-02T16:30:00Z', true],
    ['Tokyo: Monday 16:30 UTC is closed', tokyo, '2024-06-03T16:30:00Z', false],
    ['every day (empty list), across midnight', daily, '2024-06-04T00:15:00Z', true],
    ['every day: closed midday', daily, '2024-06-04T12:00:00Z', false],
  ])('%s', (_name, w, at, expected) => {
    expect(isInWindow(w, new Date(at))).toBe(expected);
  });

  it('a window longer than a day stays open across days', () => {
    const w: MaintenanceWindow = { days: ['Fri'], start: '20:00', durationHours: 60, timeZone: 'UTC' };
    expect(isInWindow(w, new Date('2024-06-02T12:00:00Z'))).toBe(true); // Sunday noon
    expect(isInWindow(w, new Date('2024-06-03T08:00:00Z'))).toBe(false); // Monday 08:00
  });
});

describe('nextWindowStart', () => {
  it.each([
    ['from Monday: next Saturday', weekend, '2024-06-03T10:00:00Z', '2024-06-08T02:00:00.000Z'],
    ['before the start on the day', weekend, '2024-06-01T01:00:00Z', '2024-06-01T02:00:00.000Z'],
    ['inside a window: the following one', weekend, '2024-06-01T03:00:00Z', '2024-06-02T02:00:00.000Z'],
    ['Saturday after close: Sunday', weekend, '2024-06-01T09:00:00Z', '2024-06-02T02:00:00.000Z'],
    ['Paris summer', paris, '2024-06-03T00:00:00Z', '2024-06-08T20:00:00.000Z'],
    ['Paris winter', paris, '2024-01-01T00:00:00Z', '2024-01-06T21:00:00.000Z'],
    ['Tokyo Monday from Sunday UTC', tokyo, '2024-06-02T10:00:00Z', '2024-06-02T16:00:00.000Z'],
    [
      'spring-forward gap: 02:30 becomes 03:30 EDT',
      { ...weekend, days: ['Sun'], start: '02:30', timeZone: 'America/New_York' },
      '2024-03-09T12:00:00Z',
      '2024-03-10T07:30:00.000Z',
    ],
    [
      'fall-back day: 02:30 EST',
      { ...weekend, days: ['Sun'], start: '02:30', timeZone: 'America/New_York' },
      '2024-11-02T12:00:00Z',
      '2024-11-03T07:30:00.000Z',
    ],
  ])('%s', (_name, w, at, expected) => {
    expect(nextWindowStart(w, new Date(at)).toISOString()).toBe(expected);
  });

  const zones = [
    'UTC',
    'Europe/Paris',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Kiritimati',
  ];
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const windowArb = fc.record({
    days: fc.subarray(days, { minLength: 1 }),
    start: fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
    durationHours: fc.integer({ min: 1, max: 48 }),
    timeZone: fc.constantFrom(...zones),
  });
  const instant = fc
    .integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2026, 0, 1) })
    .map((t) => new Date(t));

  it('property: the next start is in the future, within 8 days, and opens a window', () => {
    fc.assert(
      fc.property(windowArb, instant, (w, now) => {
        const next = nextWindowStart(w, now);
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(8 * 24 * 3_600_000);
        expect(isInWindow(w, next)).toBe(true);
        expect(isInWindow(w, new Date(next.getTime() + w.durationHours * 3_600_000 - 1))).toBe(true);
      }),
    );
  });
});
