/**
 * Per-key single flight with one trailing run: while a run for a key is in progress, further calls for that
 * key do not start another; they are merged into one more run after it ends, made by the caller that
 * started the first. Merged callers return at once: they do not wait for a run they did not start. Used for
 * `onSlotFreed`: many clusters of one rollout finishing at once cause one or two reconciles, not one each,
 * and hold one queue slot while it runs, not every slot of the instance (when every finishing check waited,
 * a reconcile at 3,000 clusters stalled the whole check queue for 10-20 s; docs/performance.md).
 */
export function coalesce(
  run: (key: string) => Promise<void>,
  /** Runs one caller makes at most, so no invocation runs for as long as clusters keep finishing; a call
   * merged into the last of them is served by the next call's run (or, if none comes, the reconcile timer). */
  maxRuns = 5,
): (key: string) => Promise<void> {
  const running = new Set<string>();
  const again = new Set<string>();
  const start = (key: string): Promise<void> => {
    // Started on the next tick, so `running` holds the key before `run` is called (a call from inside
    // `run` merges instead of starting a second flight).
    const p = Promise.resolve().then(async () => {
      try {
        let runs = 0;
        do {
          again.delete(key);
          await run(key);
        } while (again.has(key) && ++runs < maxRuns);
      } finally {
        running.delete(key);
      }
    });
    running.add(key);
    return p;
  };
  return (key) => {
    if (!running.has(key)) return start(key);
    again.add(key);
    return Promise.resolve();
  };
}
