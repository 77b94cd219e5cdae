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
    const more = [run('r1'), run('r1'), run('r1')];
    const other = run('r2');
    expect(runs).toEqual(['r1', 'r2']);
    release();
    await Promise.all([first, ...more, other]);
    expect(runs).toEqual(['r1', 'r2', 'r1']);
    await run('r1');
    expect(runs).toEqual(['r1', 'r2', 'r1', 'r1']);
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
