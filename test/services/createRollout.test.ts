import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import { CREATION_GRACE_MS } from '../../shared/domain/policyLock.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { rolloutEvents } from '../fakes/clusterRows.js';
import { newRolloutId } from '../../shared/services/newRolloutId.js';
import {
  STRICT,
  cluster,
  installFleet,
  newDeps,
  osm,
  policyInput,
  row,
  rows,
  seedPolicy,
  stepMessages,
} from './engineFixtures.js';

const mixed = [
  cluster('install'),
  cluster('upgrade', { extensions: [osm('1.2.3', STRICT)] }),
  cluster('crdhold', { extensions: [osm('0.9.2')] }),
  cluster('offline', { connectivity: 'Offline' }),
  cluster('unsupported', { distribution: 'minikube' }),
  cluster('uptodate', { extensions: [osm('1.2.6', STRICT)] }),
];

async function mixedRollout(crdUpgrades?: 'allow') {
  const deps = newDeps();
  mixed.forEach((c) => deps.arm.addCluster(c));
  await seedPolicy(deps, 'prod', policyInput(crdUpgrades ? { crdUpgrades } : {}));
  const created: RolloutClusterRecord[] = [];
  const create = deps.rollouts.create.bind(deps.rollouts);
  deps.rollouts.create = async (r, clusters) => {
    created.push(...structuredClone(clusters));
    return create(r, clusters);
  };
  const record = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'api:alice' });
  return { deps, record, created };
}

const idOf = (name: string) => mixed.find((c) => c.name === name)!.id.toLowerCase();

describe('createRollout over a mixed fleet', () => {
  type Case = [string, Partial<RolloutClusterRecord>];
  const cases: Case[] = [
    ['install', { plannedAction: 'install', reason: 'NotInstalled', path: ['1.2.6'], from: null, wave: 0 }],
    [
      'upgrade',
      { plannedAction: 'upgrade', reason: 'VersionBehind', path: ['1.2.6'], from: '1.2.3', wave: 0 },
    ],
    [
      'crdhold',
      {
        state: 'AwaitingApproval',
        plannedAction: 'skip',
        reason: 'AwaitingCrdApproval',
        path: ['0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'],
        crdStepHops: [0],
        wave: 0,
      },
    ],
    [
      'offline',
      { state: 'Deferred', plannedAction: 'skip', reason: 'ClusterOffline', path: ['1.2.6'], wave: 0 },
    ],
    ['unsupported', { state: 'Skipped', plannedAction: 'skip', reason: 'UnsupportedDistribution', wave: -1 }],
    ['uptodate', { state: 'Skipped', plannedAction: 'noChange', reason: 'UpToDate', path: [], wave: -1 }],
  ];
  it.each(cases)('%s', async (name, expected) => {
    const { record, created } = await mixedRollout();
    const r = created.find((c) => c.clusterId === idOf(name));
    expect(r).toMatchObject({
      state: 'Pending',
      rolloutId: record.rollout.id,
      clusterId: idOf(name),
      clusterName: name,
      to: '1.2.6',
      hop: 0,
      approved: false,
      attempts: 0,
      monitor: 'NotRequested',
      extensionName: 'osm',
      ...expected,
    });
    if (expected.state === 'Skipped' && expected.reason !== 'UpToDate') expect(r?.message).toBeTruthy();
  });

  it('dispatches the two Pending clusters at once and keeps the rest', async () => {
    const { deps, record } = await mixedRollout();
    expect(record.rollout.state).toBe('Running');
    const states = Object.fromEntries(
      (await rows(deps, record.rollout.id)).map((r) => [r.clusterName, r.state]),
    );
    expect(states).toEqual({
      install: 'InProgress',
      upgrade: 'InProgress',
      crdhold: 'AwaitingApproval',
      offline: 'Deferred',
      unsupported: 'Skipped',
      uptodate: 'Skipped',
    });
    expect(
      stepMessages(deps)
        .map((m) => m.clusterId)
        .sort(),
    ).toEqual([idOf('install'), idOf('upgrade')].sort());
  });

  it('stores the policy snapshot, waves and counters on the rollout', async () => {
    const { record } = await mixedRollout();
    expect(record.trigger).toBe('api');
    expect(record.clusterCount).toBe(6);
    expect(record.policy.name).toBe('prod');
    expect(record.rollout).toMatchObject({
      policy: 'prod',
      waves: [{ name: 'all', maxParallel: 3, soakMinutes: 0 }],
      maxFailurePercent: 5,
      currentWave: 0,
    });
  });

  it('with crdUpgrades: allow, the CRD hop is not held', async () => {
    const { deps, record } = await mixedRollout('allow');
    const r = await row(deps, record.rollout.id, idOf('crdhold'));
    expect(r).toMatchObject({ plannedAction: 'upgrade', crdStepHops: [], state: 'InProgress' });
  });

  it('refreshes the inventory and records a history event per cluster it will change', async () => {
    const { deps, record } = await mixedRollout();
    expect((await deps.inventory.list()).items).toHaveLength(6);
    const planned = (await rolloutEvents(deps, record.rollout.id)).filter(
      (e) => e.action === 'RolloutPlanned',
    );
    expect(planned.map((e) => e.clusterId).sort()).toEqual(
      ['install', 'upgrade', 'crdhold', 'offline'].map(idOf).sort(),
    );
    expect(planned[0]).toMatchObject({
      actor: 'api:alice',
      rolloutId: record.rollout.id,
      result: 'Recorded',
    });
  });
});

describe('createRollout refusals and scope', () => {
  it('404 PolicyNotFound', async () => {
    const deps = newDeps();
    const err = await createRollout(deps, { policyName: 'nope', trigger: 'api', actor: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('PolicyNotFound');
  });

  it.each(['api', 'schedule'] as const)(
    '409 RolloutAlreadyRunning for a second %s rollout',
    async (trigger) => {
      const deps = newDeps();
      installFleet(deps, 'c', 5);
      await seedPolicy(deps, 'prod', policyInput());
      await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' });
      const err = await createRollout(deps, { policyName: 'prod', trigger, actor: 'x' }).catch((e) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.code).toBe('RolloutAlreadyRunning');
    },
  );

  it('twenty fleet-wide rollouts created at once: one is created, nineteen 409s leave nothing behind', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 3);
    await seedPolicy(deps, 'prod', policyInput());
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        createRollout(deps, { policyName: 'prod', trigger: 'api', actor: `api:u${i}` }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) expect(r.reason).toMatchObject({ code: 'RolloutAlreadyRunning' });
    // No leftover record in any state, no rows, no history of a loser.
    const all = (await deps.rollouts.list()).items.map((r) => r.value.rollout);
    expect(all.map((r) => r.state)).toEqual(['Running']);
    expect(deps.rollouts.clusterTable.values((c) => c.rolloutId !== all[0]!.id)).toEqual([]);
    expect(deps.history.events.every((e) => e.rolloutId === all[0]!.id)).toBe(true);
    expect(stepMessages(deps)).toHaveLength(3);
    expect((await deps.rollouts.getPolicyLock('prod'))?.value.rolloutId).toBe(all[0]!.id);
  });

  it('the lock frees itself when its rollout ends: the next rollout of the policy starts', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'prod', policyInput());
    const first = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' });
    const stored = (await deps.rollouts.get(first.rollout.id))!;
    await deps.rollouts.update(
      { ...stored.value, rollout: { ...stored.value.rollout, state: 'Succeeded' } },
      stored.etag,
    );
    deps.clock.advance(1000);
    const second = await createRollout(deps, { policyName: 'prod', trigger: 'schedule', actor: 'timer' });
    expect(second.rollout.id).not.toBe(first.rollout.id);
    expect((await deps.rollouts.getPolicyLock('prod'))?.value.rolloutId).toBe(second.rollout.id);
  });

  it('a creation that fails before its rollout exists releases the lock', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'prod', policyInput());
    const sweep = deps.fleet.sweep.bind(deps.fleet);
    deps.fleet.sweep = async () => {
      throw new Error('Resource Graph unavailable');
    };
    await expect(createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' })).rejects.toThrow(
      'Resource Graph unavailable',
    );
    expect(await deps.rollouts.getPolicyLock('prod')).toBeUndefined();
    expect((await deps.rollouts.list()).items).toEqual([]);
    deps.fleet.sweep = sweep;
    await expect(
      createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' }),
    ).resolves.toMatchObject({ clusterCount: 2 });
  });

  it('a lock left by a crashed creation holds for the grace period, then is taken over', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'prod', policyInput());
    const at = deps.clock.now().toISOString();
    await deps.rollouts.createPolicyLock({ policy: 'prod', rolloutId: 'r-crashed', at });
    deps.clock.advance(CREATION_GRACE_MS - 1000);
    const early = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' }).catch(
      (e) => e,
    );
    expect(early).toMatchObject({ code: 'RolloutAlreadyRunning' });
    expect(early.message).toContain('r-crashed');
    expect((await deps.rollouts.list()).items).toEqual([]);
    deps.clock.advance(2000);
    const taken = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' });
    expect((await deps.rollouts.getPolicyLock('prod'))?.value.rolloutId).toBe(taken.rollout.id);
  });

  it('an event rollout of one cluster coexists with a running fleet rollout, and does not block one', async () => {
    const deps = newDeps();
    const fleet = installFleet(deps, 'c', 5);
    await seedPolicy(deps, 'prod', policyInput());
    const ev = await createRollout(deps, {
      policyName: 'prod',
      trigger: 'event',
      actor: 'event:1',
      clusterIds: [fleet[0]!.id.toUpperCase()],
    });
    expect(ev.clusterCount).toBe(1);
    const fleetWide = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' });
    expect(fleetWide.clusterCount).toBe(5);
    await expect(
      createRollout(deps, { policyName: 'prod', trigger: 'event', actor: 'e', clusterIds: [fleet[1]!.id] }),
    ).resolves.toMatchObject({ clusterCount: 1, trigger: 'event' });
  });

  it('rollout ids are time-sortable, unique and valid table keys', () => {
    const t = new Date('2026-11-25T10:00:00.123Z');
    const a = newRolloutId(t);
    const b = newRolloutId(t);
    const later = newRolloutId(new Date(t.getTime() + 1));
    expect(a).toMatch(/^20261125T100000123Z-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(later > a && later > b).toBe(true);
    expect(a).not.toMatch(/[/\\#?]/);
  });
});
