// Rules of handleClusterEvent not covered elsewhere: several autoOnboard policies, and a delete that meets
// rows changed by someone else.
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, TransientError } from '../../shared/domain/errors.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import { handleClusterEvent } from '../../shared/services/handleClusterEvent.js';
import { cluster } from '../domain/fixtures.js';
import { testPolicy } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const c1 = cluster('c1');

function setup() {
  const deps = fakeDeps({ subscriptions: [c1.subscriptionId.toLowerCase()] });
  deps.arm.addCluster(c1);
  return deps;
}
type Deps = ReturnType<typeof setup>;

async function putPolicy(deps: Deps, name: string, autoOnboard = true) {
  const policy = { ...testPolicy(), name, autoOnboard };
  const at = deps.clock.now().toISOString();
  await deps.policies.put({ policy, createdAt: at, updatedAt: at });
}

const event = (kind: 'write' | 'delete', id: string) => ({
  id,
  topic: `/subscriptions/${c1.subscriptionId}`,
  subject: c1.id,
  eventType: `Microsoft.Resources.Resource${kind === 'write' ? 'Write' : 'Delete'}Success`,
  eventTime: '2026-11-25T10:00:00Z',
  data: { operationName: `Microsoft.Kubernetes/connectedClusters/${kind}`, resourceUri: c1.id },
  dataVersion: '2',
  metadataVersion: '1',
});

/** c1 onboarded by an event: an active single-cluster rollout with c1's row open; then c1 deleted in ARM. */
async function onboardedThenDeleted(deps: Deps) {
  await putPolicy(deps, 'prod');
  expect(await handleClusterEvent(deps, event('write', 'w1'))).toMatchObject({ outcome: 'onboarding' });
  deps.arm.clusters.delete(c1.id.toLowerCase());
  const [rollout] = (await deps.rollouts.listActive()).map((r) => r.value.rollout.id);
  return rollout!;
}

const rowOf = async (deps: Deps, rolloutId: string) =>
  (await deps.rollouts.getCluster(rolloutId, c1.id))!.value as RolloutClusterRecord;

describe('handleClusterEvent: several autoOnboard policies match one cluster', () => {
  it('applies the first by name, whatever the order they were written in, and says so in the log', async () => {
    const deps = setup();
    await putPolicy(deps, 'zz-last');
    await putPolicy(deps, 'mm-middle');
    await putPolicy(deps, 'aa-first');
    await putPolicy(deps, 'a-not-auto', false);
    expect(await handleClusterEvent(deps, event('write', 'w1'))).toMatchObject({ outcome: 'onboarding' });
    const rollouts = (await deps.rollouts.list()).items.map((r) => r.value.rollout.policy);
    expect(rollouts).toEqual(['aa-first']);
    const warn = deps.log.lines.find((l) => l.phrase.startsWith('several autoOnboard policies'));
    expect(warn?.fields).toMatchObject({ policies: ['aa-first', 'mm-middle', 'zz-last'] });
  });
});

describe('handleClusterEvent: a delete meeting concurrent writes', () => {
  it('marks the cluster removed and ends its open row Skipped, with history', async () => {
    const deps = setup();
    const rolloutId = await onboardedThenDeleted(deps);
    expect(await handleClusterEvent(deps, event('delete', 'd1'))).toEqual({
      outcome: 'removed',
      reason: 'ClusterDeleted',
    });
    expect(await rowOf(deps, rolloutId)).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
    expect((await deps.inventory.get(c1.id))?.value.removedAt).toBe(deps.clock.now().toISOString());
    expect((await deps.history.list(c1.id)).items[0]).toMatchObject({ action: 'ClusterRemoved', rolloutId });
  });

  it('an inventory row changed meanwhile is left to the next sweep; the rollout row is still ended', async () => {
    const deps = setup();
    const rolloutId = await onboardedThenDeleted(deps);
    deps.inventory.update = async () => {
      throw new ConcurrencyError('inventory row changed');
    };
    expect(await handleClusterEvent(deps, event('delete', 'd1'))).toMatchObject({ outcome: 'removed' });
    expect((await deps.inventory.get(c1.id))?.value.removedAt).toBeUndefined();
    expect(await rowOf(deps, rolloutId)).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
  });

  it('a rollout row a worker changed meanwhile is left to the worker: not Skipped, no history for it', async () => {
    const deps = setup();
    const rolloutId = await onboardedThenDeleted(deps);
    const before = await rowOf(deps, rolloutId);
    deps.rollouts.updateCluster = async () => {
      throw new ConcurrencyError('row changed');
    };
    expect(await handleClusterEvent(deps, event('delete', 'd1'))).toMatchObject({ outcome: 'removed' });
    expect(await rowOf(deps, rolloutId)).toEqual(before);
    expect((await deps.history.list(c1.id)).items.filter((e) => e.action === 'ClusterRemoved')).toEqual([]);
    expect((await deps.inventory.get(c1.id))?.value.removedAt).toBeDefined();
  });

  it('any other failure is not swallowed: the event is delivered again', async () => {
    const deps = setup();
    await onboardedThenDeleted(deps);
    deps.rollouts.updateCluster = async () => {
      throw new TransientError('storage busy', 1000, 'Storage503');
    };
    await expect(handleClusterEvent(deps, event('delete', 'd1'))).rejects.toBeInstanceOf(TransientError);
  });

  it('a delete of a cluster ARM still has changes nothing', async () => {
    const deps = setup();
    await putPolicy(deps, 'prod');
    await handleClusterEvent(deps, event('write', 'w1'));
    const [rolloutId] = (await deps.rollouts.listActive()).map((r) => r.value.rollout.id);
    const before = await rowOf(deps, rolloutId!);
    expect(await handleClusterEvent(deps, event('delete', 'd1'))).toEqual({
      outcome: 'noAction',
      reason: 'ClusterStillExists',
    });
    expect(await rowOf(deps, rolloutId!)).toEqual(before);
  });
});
