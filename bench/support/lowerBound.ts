/**
 * The lower bound on a rollout's makespan that the emulator's parameters allow: per subscription, the
 * canary wave's install (soak 0) before the rest may start, then W writes through a token bucket of
 * `burst` tokens refilled at `refill`/s (the first `burst` at once, the rest at the refill rate), then the
 * install time of the last hop. The slowest subscription binds. Install time is the configured mean
 * (jitter ±j is symmetric; the last hop's jitter is not counted).
 */
export interface BoundInput {
  /** Writes (hops) per subscription in the waves after the canary. */
  writesPerSubscription: number[];
  burst: number;
  refillPerSecond: number;
  installMs: number;
  canaryInstallMs: number;
  soakMs: number;
}

export interface Bound {
  ms: number;
  formula: string;
}

export function lowerBound(b: BoundInput): Bound {
  const w = Math.max(0, ...b.writesPerSubscription);
  const drainMs = (Math.max(0, w - b.burst) / b.refillPerSecond) * 1000;
  const ms = b.canaryInstallMs + b.soakMs + drainMs + b.installMs;
  const formula =
    `canary install ${b.canaryInstallMs} ms + soak ${b.soakMs} ms + max over subscriptions of ` +
    `max(0, W - burst) / refill = max(0, ${w} - ${b.burst}) / ${b.refillPerSecond}/s = ` +
    `${(drainMs / 1000).toFixed(1)} s + last hop's install ${b.installMs} ms = ${(ms / 1000).toFixed(1)} s`;
  return { ms, formula };
}

/** The same bucket arithmetic for reads, at a given number of reads per hop: what reads alone would allow. */
export function readBound(
  hopsPerSubscription: number[],
  readsPerHop: number,
  burst: number,
  refillPerSecond: number,
): number {
  const r = Math.max(0, ...hopsPerSubscription) * readsPerHop;
  return (Math.max(0, r - burst) / refillPerSecond) * 1000;
}
