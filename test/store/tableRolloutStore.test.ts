import { beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError, ConflictError, ValidationError } from '../../shared/domain/errors.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import type { ClusterState } from '../../shared/domain/rolloutState.js';
import { TableClient } from '@azure/data-tables';
import { rolloutEntity } from '../../shared/store/rolloutEntities.js';
import { TableRolloutStore } from '../../shared/store/tableRolloutStore.js';
import { newStore } from '../support/storeFixture.js';
import { clusterRow, rolloutRecord } from './storeRecords.js';

let store: Awaited<ReturnType<typeof newStore>>;
beforeAll(async () => {
  store = await newStore();
});

const STATES: ClusterState[] = ['Pending', 'InProgress', 'Succeeded'];

describe('TableRolloutStore', () => {
  it('creates a rollout with 1,050 cluster rows in batches and lists them by state', async () => {
    const id = '20240601T030000000Z-0000big1';
    const rows = Array.from({ length: 1050 }, (_, i) =>
      clusterRow(id, `c${String(i).padStart(4, '0')}`, STATES[i % 3]),
    );
    const etag = await store.rollouts.create(rolloutRecord(id, 'Pending', rows.length), rows);
    const got = await store.rollouts.get(id);
    expect(got?.etag).toBe(etag);
    expect(got?.value.rollout.id).toBe(id);
    expect(got?.value.clusterCount).toBe(1050);

    const all = await store.rollouts.listClusters(id);
    expect(all.items).toHaveLength(1050);
    expect(all.continuationToken).toBeUndefined();
    const succeeded = await store.rollouts.listClusters(id, { state: 'Succeeded' });
    expect(succeeded.items).toHaveLength(350);
    expect(succeeded.items.every((r) => r.value.state === 'Succeeded')).toBe(true);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.rollouts.listClusters(
        id,
        { state: 'Pending' },
        { top: 100, ...(token ? { continuationToken: token } : {}) },
      );
      seen.push(...page.items.map((r) => r.value.clusterId));
      token = page.continuationToken;
    } while (token);
    expect(new Set(seen).size).toBe(350);

    const one = await store.rollouts.getCluster(id, rows[5]?.clusterId.toUpperCase() ?? '');
    expect(one?.value).toEqual(rows[5]);
  });

  it('a second create of the same id is a ConflictError and changes nothing', async () => {
    const id = 'r-dup';
    await store.rollouts.create(rolloutRecord(id), [clusterRow(id, 'a')]);
    const row = await store.rollouts.getCluster(id, clusterRow(id, 'a').clusterId);
    await store.rollouts.updateCluster({ ...clusterRow(id, 'a'), state: 'Succeeded' }, row?.etag ?? '');
    await expect(store.rollouts.create(rolloutRecord(id), [clusterRow(id, 'a')])).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await store.rollouts.getCluster(id, clusterRow(id, 'a').clusterId))?.value.state).toBe(
      'Succeeded',
    );
    await expect(
      store.rollouts.create(rolloutRecord('r-x'), [clusterRow('r-y', 'a')]),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('listActive returns Pending, Running, Paused and Halted rollouts only; update needs the current ETag', async () => {
    const { rollouts } = await newStore();
    for (const state of [
      'Pending',
      'Running',
      'Paused',
      'Halted',
      'Succeeded',
      'Failed',
      'Cancelled',
    ] as const)
      await rollouts.create(rolloutRecord(`r-${state.toLowerCase()}`, state), []);
    const active = await rollouts.listActive();
    expect(active.map((r) => r.value.rollout.state).sort()).toEqual([
      'Halted',
      'Paused',
      'Pending',
      'Running',
    ]);

    const running = await rollouts.get('r-running');
    const record = running?.value ?? rolloutRecord('x');
    const etag = await rollouts.update(
      { ...record, rollout: { ...record.rollout, state: 'Succeeded' } },
      running?.etag ?? '',
    );
    await expect(
      rollouts.update({ ...record, rollout: { ...record.rollout, state: 'Paused' } }, running?.etag ?? ''),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await rollouts.get('r-running'))?.etag).toBe(etag);
    expect((await rollouts.listActive()).map((r) => r.value.rollout.state).sort()).toEqual([
      'Halted',
      'Paused',
      'Pending',
    ]);
    expect((await rollouts.list({ top: 3 })).items).toHaveLength(3);
  });

  it('lists rollouts newest first (by createdAt), paged, whatever order they were created in', async () => {
    const { rollouts } = await newStore();
    const at = (min: number) => `2026-11-25T10:${String(min).padStart(2, '0')}:00.000Z`;
    // Ids that sort the other way round from their creation time, created in a shuffled order.
    for (const [id, min] of [
      ['b-mid', 20],
      ['z-oldest', 5],
      ['a-newest', 59],
      ['m-older', 10],
    ] as const) {
      const r = rolloutRecord(id);
      await rollouts.create({ ...r, rollout: { ...r.rollout, createdAt: at(min) } }, []);
    }
    const first = await rollouts.list({ top: 3 });
    expect(first.items.map((r) => r.value.rollout.id)).toEqual(['a-newest', 'b-mid', 'm-older']);
    const rest = await rollouts.list({ top: 3, continuationToken: first.continuationToken ?? '' });
    expect(rest.items.map((r) => r.value.rollout.id)).toEqual(['z-oldest']);
    expect(rest.continuationToken).toBeUndefined();
  });

  it('backfillNewestIndex lists rollouts written before the index existed, once', async () => {
    const store = await newStore();
    const client = (name: string) =>
      TableClient.fromConnectionString(store.connectionString, `${store.prefix}${name}`, {
        allowInsecureConnection: true,
      });
    const table = client('rollouts');
    const rollouts = new TableRolloutStore(table, client('rolloutClusters'));
    const r = rolloutRecord('r-legacy');
    await table.createEntity(rolloutEntity(r)); // as the store wrote rollouts before: no index row
    expect((await rollouts.list()).items).toEqual([]);
    expect(await rollouts.backfillNewestIndex()).toBe(1);
    expect(await rollouts.backfillNewestIndex()).toBe(1); // idempotent: still one index row
    expect((await rollouts.list()).items.map((x) => x.value.rollout.id)).toEqual(['r-legacy']);
  });

  it('updateClusters is atomic: one stale ETag fails them all', async () => {
    const id = 'r-atomic';
    const rows = ['a', 'b', 'c'].map((n) => clusterRow(id, n));
    await store.rollouts.create(rolloutRecord(id), rows);
    const read = async () => (await store.rollouts.listClusters(id)).items;
    const before = await read();
    const stale = before[1];
    if (!stale) throw new Error('no row');
    await store.rollouts.updateCluster({ ...stale.value, attempts: 1 }, stale.etag); // someone else wins
    const bump = (r: RolloutClusterRecord): RolloutClusterRecord => ({ ...r, state: 'InProgress' });
    await expect(
      store.rollouts.updateClusters(before.map((v) => ({ value: bump(v.value), etag: v.etag }))),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await read()).map((r) => r.value.state)).toEqual(['Pending', 'Pending', 'Pending']);

    const fresh = await read();
    await store.rollouts.updateClusters(fresh.map((v) => ({ value: bump(v.value), etag: v.etag })));
    expect((await read()).map((r) => r.value.state)).toEqual(['InProgress', 'InProgress', 'InProgress']);
    await expect(
      store.rollouts.updateClusters(fresh.map((v) => ({ value: v.value, etag: v.etag }))),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('updateCluster with a stale ETag is a ConcurrencyError', async () => {
    const id = 'r-one';
    await store.rollouts.create(rolloutRecord(id), [clusterRow(id, 'a')]);
    const row = await store.rollouts.getCluster(id, clusterRow(id, 'a').clusterId);
    if (!row) throw new Error('no row');
    await store.rollouts.updateCluster({ ...row.value, hop: 1 }, row.etag);
    await expect(store.rollouts.updateCluster({ ...row.value, hop: 2 }, row.etag)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
  });
});

describe('TableRolloutStore failures', () => {
  it('writes the rollout row last: when the cluster rows fail, the rollout is not visible', async () => {
    const { TableClient } = await import('@azure/data-tables');
    const { TableRolloutStore } = await import('../../shared/store/tableRolloutStore.js');
    const { NotFoundError } = await import('../../shared/domain/errors.js');
    const client = (name: string) =>
      TableClient.fromConnectionString(store.connectionString, name, { allowInsecureConnection: true });
    const broken = new TableRolloutStore(client(store.tableNames.rollouts), client(`${store.prefix}missing`));
    const id = 'r-half';
    await expect(broken.create(rolloutRecord(id), [clusterRow(id, 'a')])).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await store.rollouts.get(id)).toBeUndefined();
    expect(await store.rollouts.listActive()).not.toContainEqual(
      expect.objectContaining({
        value: expect.objectContaining({ rollout: expect.objectContaining({ id }) }),
      }),
    );
  });

  it('refuses a row too large for one entity before writing anything', async () => {
    const id = 'r-huge';
    const huge = { ...clusterRow(id, 'b'), message: 'x'.repeat(600_000) };
    await expect(store.rollouts.create(rolloutRecord(id), [clusterRow(id, 'a'), huge])).rejects.toMatchObject(
      {
        code: 'EntityTooLarge',
      },
    );
    expect((await store.rollouts.listClusters(id)).items).toHaveLength(0);
  });
});
