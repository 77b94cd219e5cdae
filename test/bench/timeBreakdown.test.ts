import { describe, expect, it } from 'vitest';
import { spread, timeBreakdown } from '../../bench/support/timeBreakdown.js';

describe('bench:rollout time breakdown', () => {
  it('charges each interval to throttling, then installs in flight, then idle', () => {
    const s = (atMs: number, throttled429: number, inFlight: number) => ({ atMs, throttled429, inFlight });
    expect(
      timeBreakdown([s(0, 0, 0), s(1000, 0, 5), s(2000, 3, 5), s(3500, 3, 0), s(4500, 3, 0), s(5000, 4, 0)]),
    ).toEqual({ throttledMs: 1000 + 500, installingMs: 1000 + 1500, idleMs: 1000 });
    expect(timeBreakdown([s(0, 0, 0)])).toEqual({ throttledMs: 0, installingMs: 0, idleMs: 0 });
  });

  it.each([
    [[3, 1, 2], { min: 1, median: 2, max: 3 }],
    [[4, 1, 2, 3], { min: 1, median: 2.5, max: 4 }],
  ])('spread of %j', (values, expected) => {
    expect(spread(values)).toEqual(expected);
  });
});
