import { describe, expect, it } from 'vitest';
import { coalesce } from '../../shared/services/coalesce.js';

describe('coalesce', () => {
  it('merges calls made during a run into one trailing run per key', async () => {
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const run = coalesce(async (key) => {
      runs.push(key);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = run('r1');
    let firstDone = false;
    void first.then(() => (firstDone = true));
    const other = run('r2');
    await new Promise((r) => setTimeout(r, 0)); // runs start on the next tick
    expect(runs).toEqual(['r1', 'r2']);
    // Merged callers do not wait for the run in progress (they would hold their queue slots meanwhile).
    await Promise.all([run('r1'), run('r1'), run('r1')]);
    expect(firstDone).toBe(false);
    release();
    // The caller that started the run makes the one trailing run before it returns.
    await first;
    expect(runs).toEqual(['r1', 'r2', 'r1']);
    await other;
    await run('r1');
    expect(runs).toEqual(['r1', 'r2', 'r1', 'r1']);
  });

  it('one caller makes at most maxRuns runs; the next call starts a fresh flight', async () => {
    let runs = 0;
    const run = coalesce(async (key) => {
      runs++;
      // Every run is followed by another call for the key, as when clusters keep finishing.
      if (runs < 10) void run(key);
      await Promise.resolve();
    }, 3);
    await run('k');
    expect(runs).toBe(3);
    await run('k');
    expect(runs).toBe(6);
  });

  it('a failing run does not wedge the key', async () => {
    let n = 0;
    const run = coalesce(async () => {
      n++;
      if (n === 1) throw new Error('boom');
    });
    await expect(run('k')).rejects.toThrow('boom');
    await run('k');
    expect(n).toBe(2);
  });
});
