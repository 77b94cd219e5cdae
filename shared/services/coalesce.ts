/**
 * Per-key single flight with one trailing run: while a run for a key is in progress, further calls for that
 * key do not start another; they are merged into one more run after it ends. Used for `onSlotFreed`: many
 * clusters of one rollout finishing at once cause one or two reconciles, not one each.
 */
export function coalesce(run: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const start = (key: string): Promise<void> => {
    const p = (async () => {
      try {
        do {
          again.delete(key);
          await run(key);
        } while (again.has(key));
      } finally {
        running.delete(key);
      }
    })();
    running.set(key, p);
    return p;
  };
  return (key) => {
    const current = running.get(key);
    if (!current) return start(key);
    again.add(key);
    return current;
  };
}
