/**
 * Issue 17: rollout creation survives a kill -9 of the planning worker. A host process plans a
 * 3,000-cluster rollout (chunks of 1,000); it is killed once the first chunk is recorded and before the
 * last; the planning message comes back after its lease, another host plans the rollout to the end, and
 * every cluster has exactly one row and exactly one `RolloutPlanned` event.
 */
import { unsureEvents } from '../../shared/domain/clusterHop/rowEvents.js';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startScaleEnv, waitUntil, type ScaleEnv } from './harness/scaleEnv.js';
import { policyBody, subscriptionIds } from './harness/scaleFleet.js';

const CLUSTERS = 3000;
const subs = subscriptionIds(3, 'e');
let env: ScaleEnv | undefined;

describe('planning worker killed mid-planning', () => {
  afterAll(async () => env?.stop());

  it('the rollout is planned to the end by another host, each cluster once', async () => {
    env = await startScaleEnv(
      {
        storage: inject('azurite').connectionString,
        subscriptions: subs,
        reconcileMs: 60 * 60_000,
        messageLeaseSec: 3,
        quiet: true,
      },
      1,
    );
    await env.control.seed({
      seed: 17,
      clusters: CLUSTERS,
      subscriptions: subs,
      distributions: { aks: 1 },
      osm: { fraction: 0, versions: {} },
      offlineFraction: 0,
      expiredFraction: 0,
    });
    const policy = policyBody(subs, [{ name: 'all', percent: 100, maxParallel: 1 }]);
    expect((await env.api(0, 'PUT', '/api/policies/crash', policy)).status).toBeLessThan(300);
    const created = await env.api(0, 'POST', '/api/rollouts', { policy: 'crash' });
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('Planning');
    const id = String(created.body.id);

    // Kill the only host between two checkpoints: planning has written a chunk, not all of them.
    const midway = await waitUntil(
      async () => {
        const r = await env!.api(0, 'GET', `/api/rollouts/${id}`);
        return r.body.state === 'Planning' && r.body.planning.written >= 1000 && r.body.planning;
      },
      120_000,
      () => 'waiting for the first chunk',
      50,
    );
    env.hosts.kill(0);
    expect(midway.written).toBeLessThan(CLUSTERS);
    const atKill = await env.store.rollouts.get(id);
    expect(atKill?.value.rollout.state).toBe('Planning');

    await env.hosts.start(1);
    const planned = await waitUntil(
      async () => {
        const r = await env!.api(1, 'GET', `/api/rollouts/${id}`);
        return r.body.state !== 'Planning' && r.body;
      },
      180_000,
      () => 'waiting for planning to end on the second host',
    );
    expect(planned.state).toMatch(/^(Pending|Running)$/);
    expect(planned.clusterCount).toBe(CLUSTERS);
    expect(planned.planning).toMatchObject({ written: CLUSTERS, total: CLUSTERS });

    const rows = await env.rows(id);
    expect(rows).toHaveLength(CLUSTERS);
    expect(new Set(rows.map((r) => r.clusterId)).size).toBe(CLUSTERS);
    // Every 30th cluster (100, across all three chunks): exactly one RolloutPlanned event of this rollout,
    // in history or still in the row's outbox (it reaches history when the cluster's hop settles).
    const sample = [...rows]
      .sort((a, b) => a.clusterId.localeCompare(b.clusterId))
      .filter((_, i) => i % 30 === 0);
    for (const row of sample) {
      const stored = (await env.history(row.clusterId)).filter(
        (e) => e.action === 'RolloutPlanned' && e.rolloutId === id,
      );
      expect(stored.length, row.clusterId).toBeLessThanOrEqual(1);
      const onRow = unsureEvents(row).filter((e) => e.action === 'RolloutPlanned');
      const seqs = new Set([...stored, ...onRow].map((e) => e.seq));
      expect([...seqs], row.clusterId).toEqual([0]);
    }
    expect((await env.api(1, 'POST', `/api/rollouts/${id}/cancel`)).status).toBe(200);
  }, 300_000);
});
