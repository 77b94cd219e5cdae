import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/domain/errors.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { rolloutCommand } from '../../shared/services/rolloutCommand.js';
import type { FakeDeps } from '../fakes/fakeDeps.js';
import {
  cluster,
  installFleet,
  newDeps,
  osm,
  patchRow,
  policyInput,
  row,
  rows,
  seedPolicy,
  statesOf,
  workerPass,
} from './engineFixtures.js';

const ACTOR = 'api:alice';

async function started(
  n: number,
  rollout: object = { waves: [{ name: 'all', percent: 100, maxParallel: 2 }] },
) {
  const deps = newDeps();
  const fleet = installFleet(deps, 'c', n);
  await seedPolicy(deps, 'prod', policyInput(rollout));
  const id = (await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: ACTOR })).rollout.id;
  return { deps, id, ids: fleet.map((c) => c.id.toLowerCase()) };
}

const inProgress = async (deps: FakeDeps, id: string) =>
  (await rows(deps, id)).filter((r) => r.state === 'InProgress').map((r) => r.clusterId);

describe('pause and resume', () => {
  it('pause stops new dispatches (in-flight ones finish); resume dispatches at once', async () => {
    const { deps, id, ids } = await started(5);
    expect(await inProgress(deps, id)).toEqual([ids[0], ids[1]]);
    const paused = await rolloutCommand(deps, id, 'pause', {}, ACTOR);
    expect(paused.state).toBe('Paused');
    await workerPass(deps);
    expect(await inProgress(deps, id)).toEqual([]);
    expect((await rolloutCommand(deps, id, 'pause', {}, ACTOR)).state).toBe('Paused'); // repeat: no error
    const resumed = await rolloutCommand(deps, id, 'resume', {}, ACTOR);
    expect(resumed.state).toBe('Running');
    expect(await inProgress(deps, id)).toEqual([ids[2], ids[3]]);
  });

  it('retries the rollout write when another instance changed the rollout meanwhile', async () => {
    const { deps, id } = await started(3);
    const update = deps.rollouts.update.bind(deps.rollouts);
    let raced = false;
    deps.rollouts.update = async (value, etag) => {
      if (!raced) {
        raced = true;
        const current = (await deps.rollouts.get(id))!;
        await update(current.value, current.etag); // someone else wrote first: our ETag is stale
      }
      return update(value, etag);
    };
    expect((await rolloutCommand(deps, id, 'pause', {}, ACTOR)).state).toBe('Paused');
  });

  it('404 for an unknown rollout', async () => {
    const deps = newDeps();
    const err = await rolloutCommand(deps, 'nope', 'pause', {}, ACTOR).catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('RolloutNotFound');
  });
});

describe('cancel', () => {
  it('cancels the clusters not dispatched, lets in-flight ones finish, records history', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 3);
    deps.arm.addCluster(cluster('crd', { extensions: [osm('0.9.2')] }));
    deps.arm.addCluster(cluster('off', { connectivity: 'Offline' }));
    await seedPolicy(deps, 'prod', policyInput({ waves: [{ name: 'all', percent: 100, maxParallel: 1 }] }));
    const id = (await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: ACTOR })).rollout.id;
    const view = await rolloutCommand(deps, id, 'cancel', {}, ACTOR);
    expect(view).toMatchObject({ state: 'Cancelled', finishedAt: deps.clock.now().toISOString() });
    expect(await statesOf(deps, id)).toEqual({
      'c-00': 'InProgress',
      'c-01': 'Cancelled',
      'c-02': 'Cancelled',
      crd: 'Cancelled',
      off: 'Cancelled',
    });
    const cancelled = deps.history.events.filter((e) => e.action === 'RolloutCancelled');
    expect(cancelled).toHaveLength(4);
    expect(cancelled[0]).toMatchObject({ actor: ACTOR, result: 'Skipped', rolloutId: id });
    expect((await rolloutCommand(deps, id, 'cancel', {}, ACTOR)).state).toBe('Cancelled');
    expect(deps.history.events.filter((e) => e.action === 'RolloutCancelled')).toHaveLength(4);
    const err = await rolloutCommand(deps, id, 'pause', {}, ACTOR).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('RolloutFinished');
  });

  it('leaves a row that was dispatched between its read and the write', async () => {
    const { deps, id, ids } = await started(5);
    const updateClusters = deps.rollouts.updateClusters.bind(deps.rollouts);
    let raced = false;
    deps.rollouts.updateClusters = async (values) => {
      if (!raced) {
        raced = true;
        await patchRow(deps, id, ids[2]!, { state: 'InProgress', reason: 'Dispatched' });
      }
      return updateClusters(values);
    };
    await rolloutCommand(deps, id, 'cancel', {}, ACTOR);
    expect(Object.values(await statesOf(deps, id))).toEqual([
      'InProgress',
      'InProgress',
      'InProgress',
      'Cancelled',
      'Cancelled',
    ]);
    expect(deps.history.events.filter((e) => e.action === 'RolloutCancelled')).toHaveLength(2);
  });
});

describe('retry-failed', () => {
  it('re-opens a halted rollout and dispatches its failed clusters again', async () => {
    const { deps, id, ids } = await started(4, {
      waves: [{ name: 'all', percent: 100, maxParallel: 2 }],
      maxFailurePercent: 10,
    });
    const at = deps.clock.now().toISOString();
    await patchRow(deps, id, ids[0]!, {
      operation: { kind: 'put', extensionName: 'osm', operationId: 'op-1', startedAt: at, deadline: at },
    });
    await workerPass(deps, (c) => c === ids[0]);
    expect((await deps.rollouts.get(id))!.value.rollout.state).toBe('Halted');
    expect(await row(deps, id, ids[0]!)).toMatchObject({ state: 'Failed', attempts: 1, hopAttempts: 1 });
    const err = await rolloutCommand(deps, id, 'pause', {}, ACTOR).catch((e) => e);
    expect(err.code).toBe('RolloutHalted');

    const view = await rolloutCommand(deps, id, 'retry-failed', {}, ACTOR);
    expect(view.state).toBe('Running');
    expect(view.haltedReason).toBeUndefined();
    const retried = await row(deps, id, ids[0]!);
    expect(retried).toMatchObject({ state: 'InProgress', attempts: 1 }); // attempts keep counting
    expect(retried.operation).toBeUndefined();
    expect(retried.hopAttempts).toBeUndefined(); // the failed hop's attempts start again
    expect(deps.history.events.filter((e) => e.action === 'RetryRequested').map((e) => e.clusterId)).toEqual([
      ids[0],
    ]);
  });

  it('409 NothingToRetry without failed clusters', async () => {
    const { deps, id } = await started(2);
    const err = await rolloutCommand(deps, id, 'retry-failed', {}, ACTOR).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.code).toBe('NothingToRetry');
  });

  it('re-decides the rollout on a lost ETag race after writing the rows', async () => {
    const { deps, id, ids } = await started(2, {
      waves: [{ name: 'all', percent: 100, maxParallel: 2 }],
      maxFailurePercent: 0,
    });
    await workerPass(deps, (c) => c === ids[1]);
    expect((await deps.rollouts.get(id))!.value.rollout.state).toBe('Halted');
    const update = deps.rollouts.update.bind(deps.rollouts);
    let raced = false;
    deps.rollouts.update = async (value, etag) => {
      if (!raced) {
        raced = true;
        const current = (await deps.rollouts.get(id))!;
        await update(current.value, current.etag);
      }
      return update(value, etag);
    };
    expect((await rolloutCommand(deps, id, 'retry-failed', {}, ACTOR)).state).toBe('Running');
    expect((await row(deps, id, ids[1]!)).state).toBe('InProgress');
  });
});

describe('approve', () => {
  async function held() {
    const deps = newDeps();
    const a = cluster('a', { extensions: [osm('0.9.2')] });
    const b = cluster('b', { extensions: [osm('0.9.1')] });
    [a, b].forEach((c) => deps.arm.addCluster(c));
    await seedPolicy(deps, 'prod', policyInput());
    const id = (await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: ACTOR })).rollout.id;
    return { deps, id, a: a.id.toLowerCase(), b: b.id.toLowerCase() };
  }

  it('approves the named clusters (any case): approved, dispatched, recorded', async () => {
    const { deps, id, a, b } = await held();
    const view = await rolloutCommand(deps, id, 'approve', { clusters: [a.toUpperCase()] }, ACTOR);
    expect(view.counts).toMatchObject({ inProgress: 1, awaitingApproval: 1 });
    expect(await row(deps, id, a)).toMatchObject({ state: 'InProgress', approved: true });
    expect((await row(deps, id, b)).state).toBe('AwaitingApproval');
    expect(deps.history.events.find((e) => e.action === 'CrdStepApproved')).toMatchObject({
      clusterId: a,
      actor: ACTOR,
      rolloutId: id,
    });
  });

  it('approves all', async () => {
    const { deps, id } = await held();
    expect((await rolloutCommand(deps, id, 'approve', { all: true }, ACTOR)).counts.inProgress).toBe(2);
    const err = await rolloutCommand(deps, id, 'approve', { all: true }, ACTOR).catch((e) => e);
    expect(err.code).toBe('NothingToApprove');
  });

  it.each([
    ['no target', {}, ValidationError, 'InvalidInput'],
    ['an empty list', { clusters: [] }, ValidationError, 'InvalidInput'],
    [
      'a cluster outside the rollout',
      { clusters: ['/subscriptions/x/nope'] },
      NotFoundError,
      'ClusterNotInRollout',
    ],
  ])('refuses %s', async (_name, args, type, code) => {
    const { deps, id } = await held();
    const err = await rolloutCommand(deps, id, 'approve', args, ACTOR).catch((e) => e);
    expect(err).toBeInstanceOf(type);
    expect(err.code).toBe(code);
  });
});
