import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignWaves, stableHash } from '../../shared/domain/assignWaves.js';

const ids = (n: number) =>
  Array.from(
    { length: n },
    (_, i) => `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c${i}`,
  );
const waves = [
  { name: 'canary', count: 5 },
  { name: 'early', percent: 25 },
  { name: 'rest', percent: 100 },
];

describe('assignWaves', () => {
  it('fills count waves, then cumulative percent waves', () => {
    const w = assignWaves(ids(100), waves);
    const sizes = [0, 1, 2].map((i) => w.filter((x) => x === i).length);
    expect(sizes).toEqual([5, 20, 75]);
  });

  it('puts every cluster in the canary when the fleet is smaller than it; the later waves stay empty', () => {
    expect(assignWaves(ids(3), waves)).toEqual([0, 0, 0]);
  });

  it('puts the clusters the waves do not reach in the last wave', () => {
    // 10 clusters: 2 by count, then up to 50% (5) cumulative: 3 more; the 5 left go to the last wave (index 1)
    const w = assignWaves(ids(10), [
      { name: 'canary', count: 2 },
      { name: 'half', percent: 50 },
    ]);
    expect([0, 1].map((i) => w.filter((x) => x === i).length)).toEqual([2, 8]);
  });

  it('hashes are stable across runs (golden values)', () => {
    expect(stableHash('')).toBe(0x811c9dc5);
    expect(stableHash('a')).toBe(0xe40c292c);
  });

  it('property: the same fleet in any order gets the same waves, ignoring ID case', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 300 }),
        fc.nat(),
        (names, seed) => {
          const list = names.map((n) => `/subscriptions/s/resourcegroups/rg/providers/x/${n}`);
          const first = new Map(list.map((id, i) => [id, assignWaves(list, waves)[i]]));
          const shuffled = [...list]
            .sort((a, b) => stableHash(a + seed) - stableHash(b + seed))
            .map((id) => id.toUpperCase());
          const again = assignWaves(shuffled, waves);
          shuffled.forEach((id, i) => expect(again[i]).toBe(first.get(id.toLowerCase())));
        },
      ),
    );
  });

  // Worked examples (sizes of the waves [count, percent, 100%]), computed by hand from the rule: a count wave
  // takes the next N clusters; a percent wave reaches ceil(percent% of the fleet) clusters in all, and never
  // fewer than the waves before it already took.
  it.each([
    { n: 0, count: 3, pct: 50, sizes: [0, 0, 0] },
    { n: 1, count: 1, pct: 1, sizes: [1, 0, 0] },
    { n: 10, count: 3, pct: 50, sizes: [3, 2, 5] }, // 50% of 10 = 5 in all: 2 after the canary's 3
    { n: 7, count: 2, pct: 33, sizes: [2, 1, 4] }, // 33% of 7 = 2.31, rounded up to 3 in all
    { n: 3, count: 5, pct: 25, sizes: [3, 0, 0] }, // the canary takes the whole fleet
    { n: 100, count: 5, pct: 3, sizes: [5, 0, 95] }, // 3% = 3 clusters, fewer than the canary already took
    { n: 201, count: 10, pct: 10, sizes: [10, 11, 180] }, // 10% of 201 = 20.1, rounded up to 21 in all
    { n: 2000, count: 50, pct: 99, sizes: [50, 1930, 20] },
  ])('$n clusters, canary $count, then $pct%: waves of $sizes', ({ n, count, pct, sizes }) => {
    const w = assignWaves(ids(n), [
      { name: 'a', count },
      { name: 'b', percent: pct },
      { name: 'c', percent: 100 },
    ]);
    expect([0, 1, 2].map((i) => w.filter((x) => x === i).length)).toEqual(sizes);
  });

  it('property: every cluster is in exactly one wave; a count wave never takes more than its count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 99 }),
        (n, count, pct) => {
          const w = assignWaves(ids(n), [
            { name: 'a', count },
            { name: 'b', percent: pct },
            { name: 'c', percent: 100 },
          ]);
          expect(w).toHaveLength(n);
          expect(w.every((x) => x === 0 || x === 1 || x === 2)).toBe(true);
          expect(w.filter((x) => x === 0).length).toBeLessThanOrEqual(count);
        },
      ),
    );
  });
});
