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

  it('puts every cluster in the last wave when the fleet is smaller than the canary', () => {
    expect(assignWaves(ids(3), waves)).toEqual([0, 0, 0]);
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

  it('property: wave sizes follow count and cumulative percent', () => {
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
          const a = w.filter((x) => x === 0).length;
          const b = w.filter((x) => x === 1).length;
          expect(a).toBe(Math.min(count, n));
          expect(a + b).toBe(Math.min(n, Math.max(a, Math.ceil((pct / 100) * n))));
          expect(w.length).toBe(n);
        },
      ),
    );
  });
});
