/**
 * A check whose result is reused for `ttlMs` and shared by concurrent callers (single flight): however many
 * callers ask, the check runs at most once per period. GET /api/health uses it so that anonymous callers
 * cannot multiply its ARM and Table calls (docs/security.md, item 1). A failed check is a result like any
 * other (cached for the same period); a check that throws is not cached.
 */
export interface Clock {
  now(): Date;
}

export function cachedCheck<T>(
  check: () => Promise<T>,
  ttlMs: number,
  clock: Clock,
): () => Promise<{ value: T; checkedAt: Date }> {
  let last: { value: T; checkedAt: Date } | undefined;
  let inFlight: Promise<{ value: T; checkedAt: Date }> | undefined;
  return () => {
    if (last && clock.now().getTime() - last.checkedAt.getTime() < ttlMs) return Promise.resolve(last);
    inFlight ??= check()
      .then((value) => (last = { value, checkedAt: clock.now() }))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
