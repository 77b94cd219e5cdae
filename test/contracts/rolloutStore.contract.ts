/** The RolloutStore contract, run against the in-memory double and the Table Storage adapter. */
import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import { ROLLOUT_STATES } from '../../shared/domain/rolloutState.js';
import { MAX_ROWS_PER_TRANSACTION } from '../../shared/domain/storeRules.js';
import { clusterRow, rolloutRecord } from '../store/storeRecords.js';
import type { MakeStores } from './storesUnderTest.js';

const states = (rows: { value: RolloutClusterRecord }[]) => rows.map((r) => r.value.state);

export function rolloutStoreContract(make: MakeStores): void {
  describe('RolloutStore contract', () => {
    it('create writes the rollout and its rows; ids compare case-insensitively', async () => {
      const { rollouts } = await make();
      const rows = ['a', 'b', 'c'].map((n) => clusterRow('r-new', n));
      const etag = await rollouts.create(rolloutRecord('r-new', 'Pending', 3), rows);
      expect((await rollouts.get('R-NEW'))?.etag).toBe(etag);
      expect((await rollouts.get('r-new'))?.value).toEqual(rolloutRecord('r-new', 'Pending', 3));
      expect((await rollouts.getCluster('r-new', rows[1]!.clusterId.toUpperCase()))?.value).toEqual(rows[1]);
      expect((await rollouts.listClusters('r-new')).items.map((r) => r.value.clusterName).sort()).toEqual([
        'a',
        'b',
        'c',
      ]);
      expect(await rollouts.get('r-other')).toBeUndefined();
      expect(await rollouts.getCluster('r-new', rows[0]!.clusterId + 'x')).toBeUndefined();
    });

    it('a second create of an existing rollout is ConflictError RolloutExists and changes no row', async () => {
      const { rollouts } = await make();
      await rollouts.create(rolloutRecord('r-dup'), [clusterRow('r-dup', 'a')]);
      const row = (await rollouts.getCluster('r-dup', clusterRow('r-dup', 'a').clusterId))!;
      await rollouts.updateCluster({ ...row.value, state: 'Succeeded' }, row.etag);
      const again = rollouts.create(rolloutRecord('r-dup'), [clusterRow('r-dup', 'a')]);
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toMatchObject({ code: 'RolloutExists' });
      expect((await rollouts.getCluster('r-dup', row.value.clusterId))?.value.state).toBe('Succeeded');
    });

    it('a create retried after a crash between the rows and the rollout row completes, the rows rewritten', async () => {
      const stores = await make();
      const stale = { ...clusterRow('r-half', 'a'), state: 'Failed' as const };
      await stores.halfCreate([stale]);
      expect(await stores.rollouts.get('r-half')).toBeUndefined();
      await stores.rollouts.create(rolloutRecord('r-half', 'Pending', 2), [
        clusterRow('r-half', 'a'),
        clusterRow('r-half', 'b'),
      ]);
      expect(states((await stores.rollouts.listClusters('r-half')).items)).toEqual(['Pending', 'Pending']);
      expect(await stores.rollouts.listActive()).toHaveLength(1);
    });

    it('create keeps the last of two rows of one cluster, and refuses a row of another rollout before writing', async () => {
      const { rollouts } = await make();
      const a = clusterRow('r-twice', 'a');
      await rollouts.create(rolloutRecord('r-twice'), [a, { ...a, wave: 3 }]);
      const rows = (await rollouts.listClusters('r-twice')).items;
      expect(rows.map((r) => r.value.wave)).toEqual([3]);

      await expect(
        rollouts.create(rolloutRecord('r-x'), [clusterRow('r-x', 'a'), clusterRow('r-y', 'b')]),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(await rollouts.get('r-x')).toBeUndefined();
      expect((await rollouts.listClusters('r-x')).items).toEqual([]);
    });

    it('listActive returns exactly the active states; update needs the current ETag', async () => {
      const { rollouts } = await make();
      for (const state of ROLLOUT_STATES)
        await rollouts.create(rolloutRecord(`r-${state.toLowerCase()}`, state), []);
      const active = (await rollouts.listActive()).map((r) => r.value.rollout.state).sort();
      expect(active).toEqual(['Halted', 'Paused', 'Pending', 'Planning', 'Running']);

      const running = (await rollouts.get('r-running'))!;
      const done = { ...running.value, rollout: { ...running.value.rollout, state: 'Succeeded' as const } };
      const etag = await rollouts.update(done, running.etag);
      await expect(rollouts.update(done, running.etag)).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await rollouts.get('r-running'))?.etag).toBe(etag);
      expect((await rollouts.listActive()).map((r) => r.value.rollout.id).sort()).toEqual([
        'r-halted',
        'r-paused',
        'r-pending',
        'r-planning',
      ]);
      await expect(rollouts.update(rolloutRecord('r-missing'), etag)).rejects.toBeInstanceOf(NotFoundError);
      expect((await rollouts.list({ top: 3 })).items).toHaveLength(3);
    });

    it('listClusters filters by state and pages without losing or repeating a row', async () => {
      const { rollouts } = await make();
      const rows = Array.from({ length: 25 }, (_, i) =>
        clusterRow('r-page', `c${String(i).padStart(2, '0')}`, i % 2 ? 'Succeeded' : 'Pending'),
      );
      await rollouts.create(rolloutRecord('r-page', 'Running', 25), rows);
      await rollouts.create(rolloutRecord('r-next'), [clusterRow('r-next', 'c00')]);
      expect((await rollouts.listClusters('r-page', { state: 'Succeeded' })).items).toHaveLength(12);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await rollouts.listClusters(
          'r-page',
          { state: 'Pending' },
          { top: 5, ...(token ? { continuationToken: token } : {}) },
        );
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((r) => r.value.clusterName));
        token = page.continuationToken;
      } while (token);
      expect(seen.sort()).toEqual(rows.filter((r) => r.state === 'Pending').map((r) => r.clusterName));
    });

    it('listClusters changedSince lists the rows written at or after that moment', async () => {
      const { rollouts } = await make();
      await rollouts.create(rolloutRecord('r-since'), [
        clusterRow('r-since', 'a'),
        clusterRow('r-since', 'b'),
      ]);
      const since = new Date();
      const b = (await rollouts.getCluster('r-since', clusterRow('r-since', 'b').clusterId))!;
      await rollouts.updateCluster({ ...b.value, attempts: 1 }, b.etag);
      const changed = (await rollouts.listClusters('r-since', { changedSince: since })).items;
      expect(changed.map((r) => r.value.clusterName)).toContain('b');
      expect(changed.every((r) => r.changedAt !== undefined)).toBe(true);
      const future = new Date(Date.now() + 60 * 60_000);
      expect((await rollouts.listClusters('r-since', { changedSince: future })).items).toEqual([]);
    });

    it('updateCluster: a stale ETag is ConcurrencyError, a missing row NotFoundError', async () => {
      const { rollouts } = await make();
      await rollouts.create(rolloutRecord('r-one'), [clusterRow('r-one', 'a')]);
      const row = (await rollouts.getCluster('r-one', clusterRow('r-one', 'a').clusterId))!;
      await rollouts.updateCluster({ ...row.value, hop: 1 }, row.etag);
      await expect(rollouts.updateCluster({ ...row.value, hop: 2 }, row.etag)).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(rollouts.updateCluster(clusterRow('r-one', 'zz'), row.etag)).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it('updateClusters is all or none: one stale ETag fails them all', async () => {
      const { rollouts } = await make();
      await rollouts.create(
        rolloutRecord('r-atomic'),
        ['a', 'b', 'c'].map((n) => clusterRow('r-atomic', n)),
      );
      const read = async () => (await rollouts.listClusters('r-atomic')).items;
      const before = await read();
      await rollouts.updateCluster({ ...before[1]!.value, attempts: 1 }, before[1]!.etag);
      const bump = (r: RolloutClusterRecord): RolloutClusterRecord => ({ ...r, state: 'InProgress' });
      await expect(
        rollouts.updateClusters(before.map((v) => ({ value: bump(v.value), etag: v.etag }))),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      expect(states(await read())).toEqual(['Pending', 'Pending', 'Pending']);
      const fresh = await read();
      await rollouts.updateClusters(fresh.map((v) => ({ value: bump(v.value), etag: v.etag })));
      expect(states(await read())).toEqual(['InProgress', 'InProgress', 'InProgress']);
      expect(await rollouts.updateClusters([])).toEqual([]);
    });

    it('updateClusters returns the new ETag of each row in order: the next conditional write takes it', async () => {
      const { rollouts } = await make();
      const ids = ['a', 'b', 'c'].map((n) => clusterRow('r-etags', n).clusterId);
      await rollouts.create(
        rolloutRecord('r-etags'),
        ['a', 'b', 'c'].map((n) => clusterRow('r-etags', n)),
      );
      const rows = await Promise.all(ids.map(async (id) => (await rollouts.getCluster('r-etags', id))!));
      const written = rows.map((r, i) => ({ value: { ...r.value, attempts: i + 1 }, etag: r.etag }));
      const etags = await rollouts.updateClusters(written);
      const now = await Promise.all(ids.map(async (id) => (await rollouts.getCluster('r-etags', id))!));
      expect(etags).toEqual(now.map((r) => r.etag));
      etags.forEach((etag, i) => expect(etag).not.toBe(rows[i]!.etag));
      await rollouts.updateCluster({ ...written[1]!.value, attempts: 9 }, etags[1]!);
      await expect(
        rollouts.updateCluster({ ...written[0]!.value, attempts: 9 }, rows[0]!.etag),
      ).rejects.toBeInstanceOf(ConcurrencyError);
    });

    it(`updateClusters refuses more than ${MAX_ROWS_PER_TRANSACTION} rows, two rollouts and a cluster named twice`, async () => {
      const { rollouts } = await make();
      const many = Array.from({ length: MAX_ROWS_PER_TRANSACTION + 1 }, (_, i) =>
        clusterRow('r-lim', `c${i}`),
      );
      await rollouts.create(rolloutRecord('r-lim'), many);
      await rollouts.create(rolloutRecord('r-lim2'), [clusterRow('r-lim2', 'c0')]);
      const read = async (id: string) => (await rollouts.listClusters(id)).items;
      const rows = await read('r-lim');
      const other = await read('r-lim2');
      const bump = (v: { value: RolloutClusterRecord; etag: string }) => ({
        value: { ...v.value, state: 'InProgress' as const },
        etag: v.etag,
      });
      const refused = [
        rows.map(bump),
        [bump(rows[0]!), bump(other[0]!)],
        [bump(rows[0]!), bump(rows[0]!)],
        [
          bump(rows[0]!),
          {
            ...bump(rows[0]!),
            value: { ...rows[0]!.value, clusterId: rows[0]!.value.clusterId.toUpperCase() },
          },
        ],
      ];
      for (const batch of refused)
        await expect(rollouts.updateClusters(batch)).rejects.toBeInstanceOf(ValidationError);
      expect(
        [...(await read('r-lim')), ...(await read('r-lim2'))].every((r) => r.value.state === 'Pending'),
      ).toBe(true);
      await rollouts.updateClusters(rows.slice(0, MAX_ROWS_PER_TRANSACTION).map(bump));
      expect((await read('r-lim')).filter((r) => r.value.state === 'InProgress')).toHaveLength(
        MAX_ROWS_PER_TRANSACTION,
      );
    });

    it('policy locks: one insert wins, an ETag guards take-over and release, names compare case-insensitively', async () => {
      const { rollouts } = await make();
      const lock = { policy: 'Web', rolloutId: 'r-1', at: '2026-12-03T10:00:00.000Z' };
      expect(await rollouts.getPolicyLock('web')).toBeUndefined();
      const results = await Promise.allSettled(
        ['r-1', 'r-2', 'r-3'].map((rolloutId) => rollouts.createPolicyLock({ ...lock, rolloutId })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected'))
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
      const held = (await rollouts.getPolicyLock('WEB'))!;
      expect(['r-1', 'r-2', 'r-3']).toContain(held.value.rolloutId);
      expect(held.value.policy).toBe('Web');

      const next = { ...lock, rolloutId: 'r-9', at: '2026-12-03T11:00:00.000Z' };
      const etag = await rollouts.updatePolicyLock(next, held.etag);
      await expect(
        rollouts.updatePolicyLock({ ...next, rolloutId: 'r-10' }, held.etag),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(rollouts.deletePolicyLock('web', held.etag)).rejects.toBeInstanceOf(ConcurrencyError);
      expect((await rollouts.getPolicyLock('web'))?.value).toEqual(next);
      await rollouts.deletePolicyLock('web', etag);
      expect(await rollouts.getPolicyLock('web')).toBeUndefined();
      await rollouts.deletePolicyLock('web', etag); // gone already: nothing to do
      expect(await rollouts.listActive()).toEqual([]);
      expect((await rollouts.list()).items).toEqual([]);
    });

    it('insertClusters inserts rows not there yet, leaves existing ones as they are, refuses foreign rows', async () => {
      const { rollouts } = await make();
      await rollouts.create(rolloutRecord('r-put', 'Planning', 0), []);
      const chunk = Array.from({ length: 150 }, (_, i) => clusterRow('r-put', `c${i}`));
      await rollouts.insertClusters('r-put', chunk.slice(0, 120));
      const moved = (await rollouts.getCluster('r-put', chunk[110]!.clusterId))!;
      await rollouts.updateCluster({ ...moved.value, state: 'InProgress' }, moved.etag);
      await rollouts.insertClusters('R-PUT', chunk); // a redelivered chunk, overlapping what exists
      const rows = (await rollouts.listClusters('r-put', undefined, { top: 1000 })).items;
      expect(rows).toHaveLength(150);
      expect(rows.filter((r) => r.value.state === 'InProgress').map((r) => r.value.clusterId)).toEqual([
        chunk[110]!.clusterId,
      ]);
      await expect(rollouts.insertClusters('r-put', [clusterRow('r-other', 'x')])).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect((await rollouts.listClusters('r-other')).items).toHaveLength(0);
      expect(await rollouts.listActive()).toHaveLength(1); // Planning is an active state
    });
  });
}
