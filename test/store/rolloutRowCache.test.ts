/**
 * RolloutRowCache against Azurite's real `Timestamp`: a cached read equals a fresh full read while fetching
 * only the rows written since the last one; `full` and eviction fall back to reading every row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RolloutStore } from '../../shared/domain/ports.js';
import { RolloutRowCache } from '../../shared/services/rolloutRowCache.js';
import { loadRolloutClusters } from '../../shared/services/loadRolloutClusters.js';
import { newStore } from '../support/storeFixture.js';
import { clusterRow, rolloutRecord } from './storeRecords.js';

let store: Awaited<ReturnType<typeof newStore>>;
/** Rows the store returned, and the filters it was asked with. */
let fetched = 0;
let filters: unknown[] = [];
let counting: RolloutStore;

beforeAll(async () => {
  store = await newStore();
  const rollouts = store.rollouts;
  counting = Object.assign(Object.create(rollouts) as RolloutStore, {
    listClusters: async (...args: Parameters<RolloutStore['listClusters']>) => {
      filters.push(args[1]);
      const page = await rollouts.listClusters(...args);
      fetched += page.items.length;
      return page;
    },
  });
});

async function createRollout(id: string, n: number) {
  const rows = Array.from({ length: n }, (_, i) => clusterRow(id, `c${String(i).padStart(3, '0')}`));
  await store.rollouts.create(rolloutRecord(id, 'Running', n), rows);
  return rows;
}

const byId = (rows: { value: { clusterId: string }; etag: string }[]) =>
  new Map(rows.map((r) => [r.value.clusterId, { value: r.value, etag: r.etag }]));

describe('RolloutRowCache', () => {
  it('reads only what changed since its last read, and answers what a full read answers', async () => {
    const id = 'cache-1';
    await createRollout(id, 300);
    const cache = new RolloutRowCache(0);
    fetched = 0;
    expect(await cache.rows(counting, id)).toHaveLength(300);
    expect(fetched).toBe(300);

    await new Promise((r) => setTimeout(r, 50));
    const moved = (await loadRolloutClusters(store, id)).slice(10, 13);
    for (const row of moved)
      await store.rollouts.updateCluster({ ...row.value, state: 'Succeeded' }, row.etag);

    fetched = 0;
    filters = [];
    const cached = await cache.rows(counting, id);
    // Rows written at the watermark itself are read again (at most the last batch of 100), and the moved ones.
    expect(fetched).toBeLessThanOrEqual(103);
    expect(filters.every((f) => (f as { changedSince?: Date })?.changedSince instanceof Date)).toBe(true);
    expect(byId(cached)).toEqual(byId(await loadRolloutClusters(store, id)));
    expect(cached.filter((r) => r.value.state === 'Succeeded').map((r) => r.value.clusterId)).toEqual(
      moved.map((r) => r.value.clusterId),
    );
  });

  it('a full read and an evicted rollout read every row again', async () => {
    await createRollout('cache-a', 120);
    await createRollout('cache-b', 5);
    const cache = new RolloutRowCache(0, 1);
    await cache.rows(counting, 'cache-a');
    fetched = 0;
    await cache.rows(counting, 'cache-a', true);
    expect(fetched).toBe(120);
    await cache.rows(counting, 'cache-b'); // evicts cache-a (one rollout kept)
    fetched = 0;
    expect(await cache.rows(counting, 'cache-a')).toHaveLength(120);
    expect(fetched).toBe(120);
  });
});
