/**
 * Where a bench:rollout run's time went, from the emulator's counters sampled about once a second, and the
 * machine's load over the run: the pure parts of bench:rollout's environment report (issue 17).
 */

export interface Sample {
  atMs: number;
  /** The emulator's cumulative 429 count (ARM throttling buckets). */
  throttled429: number;
  /** ARM operations (installs, upgrades) running at the sample. */
  inFlight: number;
}

export interface Breakdown {
  /** Intervals in which the emulator answered at least one 429: the ARM buckets held the work back. */
  throttledMs: number;
  /** Otherwise, intervals with an operation in flight: waiting on installs. */
  installingMs: number;
  /** Neither: nothing throttled, nothing running (dispatch, reconcile, queue latency, the store). */
  idleMs: number;
}

export function timeBreakdown(samples: readonly Sample[]): Breakdown {
  const out: Breakdown = { throttledMs: 0, installingMs: 0, idleMs: 0 };
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = Math.max(0, b.atMs - a.atMs);
    if (b.throttled429 > a.throttled429) out.throttledMs += dt;
    else if (a.inFlight > 0 || b.inFlight > 0) out.installingMs += dt;
    else out.idleMs += dt;
  }
  return out;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** Min, median and max of a list (NaN for an empty one). */
export function spread(values: readonly number[]): Spread {
  const v = [...values].sort((x, y) => x - y);
  if (v.length === 0) return { min: NaN, median: NaN, max: NaN };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { min: v[0]!, median, max: v[v.length - 1]! };
}
