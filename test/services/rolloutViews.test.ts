import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { getRolloutView, listRolloutClusters, listRollouts } from '../../shared/services/rolloutViews.js';
import { STRICT, cluster, installFleet, newDeps, osm, policyInput, seedPolicy } from './engineFixtures.js';

async function setup() {
  const deps = newDeps();
  installFleet(deps, 'c', 4);
  deps.arm.addCluster(cluster('same', { extensions: [osm('1.2.6', STRICT)] }));
  deps.arm.addCluster(cluster('crd', { extensions: [osm('0.9.2')] }));
  await seedPolicy(
    deps,
    'prod',
    policyInput({
      waves: [
        { name: 'canary', count: 1, maxParallel: 1, soakMinutes: 10 },
        { name: 'rest', percent: 100, maxParallel: 2 },
      ],
    }),
  );
  const id = (await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' })).rollout.id;
  return { deps, id };
}

describe('getRolloutView', () => {
  it('returns the API shape with per-wave and total counts', async () => {
    const { deps, id } = await setup();
    const view = await getRolloutView(deps, id);
    expect(Object.keys(view).sort()).toEqual(
      [
        'clusterCount',
        'counts',
        'createdAt',
        'finishedAt',
        'id',
        'policy',
        'startedAt',
        'state',
        'trigger',
        'waves',
      ].sort(),
    );
    expect(view).toMatchObject({
      id,
      policy: 'prod',
      state: 'Running',
      trigger: 'api',
      createdAt: deps.clock.now().toISOString(),
      startedAt: deps.clock.now().toISOString(),
      finishedAt: null,
      clusterCount: 6,
    });
    expect(view.counts).toEqual({
      pending: 2,
      inProgress: 2,
      awaitingApproval: 1,
      succeeded: 0,
      failed: 0,
      skipped: 1,
      deferred: 0,
      cancelled: 0,
    });
    // The canary (one cluster, by hash) is the CRD-held one: that wave changed nothing, so no soak.
    expect(view.waves.map((w) => [w.name, w.state, w.counts.awaitingApproval])).toEqual([
      ['canary', 'Completed', 1],
      ['rest', 'Running', 0],
    ]);
    const total = (w: (typeof view.waves)[number]) => Object.values(w.counts).reduce((a, b) => a + b, 0);
    expect(view.waves.map(total).reduce((a, b) => a + b)).toBe(5); // the up-to-date cluster has no wave
  });

  it('404 RolloutNotFound', async () => {
    const err = await getRolloutView(newDeps(), 'nope').catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('RolloutNotFound');
  });
});

describe('listRollouts', () => {
  it('pages through the rollouts, each a full view', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    for (const name of ['a', 'b', 'c']) {
      await seedPolicy(deps, name, policyInput());
      await createRollout(deps, { policyName: name, trigger: 'api', actor: 'x' });
    }
    const first = await listRollouts(deps, { top: 2 });
    expect(first.items.map((r) => r.policy)).toHaveLength(2);
    expect(first.items[0]?.counts.inProgress).toBe(2);
    const second = await listRollouts(deps, { top: 2, continuationToken: first.continuationToken });
    expect(second.items).toHaveLength(1);
    expect(second.continuationToken).toBeUndefined();
    expect([...first.items, ...second.items].map((r) => r.policy).sort()).toEqual(['a', 'b', 'c']);
  });
});

describe('listRolloutClusters', () => {
  it('returns API rows; the state filter is case-insensitive', async () => {
    const { deps, id } = await setup();
    const all = await listRolloutClusters(deps, id);
    expect(all.items).toHaveLength(6);
    const [busy] = (await listRolloutClusters(deps, id, { state: 'inprogress' })).items;
    expect(Object.keys(busy!).sort()).toEqual(
      [
        'action',
        'attempts',
        'from',
        'hop',
        'id',
        'message',
        'name',
        'path',
        'reason',
        'state',
        'to',
        'updatedAt',
        'wave',
      ].sort(),
    );
    expect(busy).toMatchObject({
      state: 'InProgress',
      wave: 'rest',
      from: null,
      to: '1.2.6',
      path: ['1.2.6'],
      hop: 0,
      attempts: 0,
    });
    const skipped = (await listRolloutClusters(deps, id, { state: 'SKIPPED' })).items;
    expect(skipped).toEqual([
      expect.objectContaining({ name: 'same', wave: null, action: 'noChange', reason: 'UpToDate' }),
    ]);
    const crd = (await listRolloutClusters(deps, id, { state: 'AwaitingApproval' })).items[0];
    expect(crd).toMatchObject({ reason: 'AwaitingCrdApproval', message: expect.stringContaining('CRD') });
  });

  it('pages', async () => {
    const { deps, id } = await setup();
    const page = await listRolloutClusters(deps, id, {}, { top: 4 });
    expect(page.items).toHaveLength(4);
    const rest = await listRolloutClusters(
      deps,
      id,
      {},
      { top: 4, continuationToken: page.continuationToken },
    );
    expect(rest.items).toHaveLength(2);
  });

  it('an unknown state is a ValidationError naming the query parameter', async () => {
    const { deps, id } = await setup();
    const err = await listRolloutClusters(deps, id, { state: 'Done' }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('InvalidQueryParameter');
    expect(err.message).toMatch(/^state: must be one of Pending, InProgress/);
    expect(err.details).toEqual([{ path: 'state', message: expect.any(String) }]);
  });

  it('404 for an unknown rollout', async () => {
    const err = await listRolloutClusters(newDeps(), 'nope').catch((e) => e);
    expect(err.code).toBe('RolloutNotFound');
  });
});
