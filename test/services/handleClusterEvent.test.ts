import { describe, expect, it } from 'vitest';
import { handleClusterEvent } from '../../shared/services/handleClusterEvent.js';
import { leaseHeld } from '../../shared/services/clusterLease.js';
import { cluster } from '../domain/fixtures.js';
import { testPolicy } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const c1 = cluster('c1');

function setup() {
  const deps = fakeDeps({ subscriptions: [c1.subscriptionId.toLowerCase()] });
  deps.arm.addCluster(c1);
  return deps;
}

async function autoOnboardPolicy(deps: ReturnType<typeof setup>) {
  const policy = { ...testPolicy(), autoOnboard: true };
  const at = deps.clock.now().toISOString();
  await deps.policies.put({ policy, createdAt: at, updatedAt: at });
}

const writeEvent = (id = 'evt-1') => ({
  id,
  topic: `/subscriptions/${c1.subscriptionId}`,
  subject: c1.id,
  eventType: 'Microsoft.Resources.ResourceWriteSuccess',
  eventTime: '2026-11-25T10:00:00Z',
  data: { operationName: 'Microsoft.Kubernetes/connectedClusters/write', resourceUri: c1.id },
  dataVersion: '2',
  metadataVersion: '1',
});

describe('handleClusterEvent', () => {
  it('onboards a connected cluster an autoOnboard policy targets', async () => {
    const deps = setup();
    await autoOnboardPolicy(deps);
    const out = await handleClusterEvent(deps, writeEvent());
    expect(out).toMatchObject({ outcome: 'onboarding', reason: 'NotInstalled' });
    await drive(deps);
    expect(deps.arm.calls.filter((c) => c.method === 'beginPutExtension')).toHaveLength(1);
    const lease = (await deps.inventory.get(c1.id.toLowerCase()))!.value.lease!;
    expect(await leaseHeld(deps, c1.id, lease)).toBe(false); // its rollout's row is no longer InProgress
  });

  it('duplicate deliveries handled at the same time create one rollout and one PUT', async () => {
    const deps = setup();
    await autoOnboardPolicy(deps);
    const outcomes = await Promise.all([
      handleClusterEvent(deps, writeEvent()),
      handleClusterEvent(deps, writeEvent()),
      handleClusterEvent(deps, writeEvent('evt-2')),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'onboarding')).toHaveLength(1);
    expect(outcomes.filter((o) => o.reason === 'AlreadyInRollout')).toHaveLength(2);
    expect((await deps.rollouts.list()).items).toHaveLength(1);
    await drive(deps);
    expect(deps.arm.calls.filter((c) => c.method === 'beginPutExtension')).toHaveLength(1);
  });

  it('finds the open row among more active rollouts than one batch of reads (30 clusters onboarding)', async () => {
    const deps = setup();
    await autoOnboardPolicy(deps);
    const others = Array.from({ length: 30 }, (_, i) => cluster(`other-${i}`));
    for (const c of others) deps.arm.addCluster(c);
    for (const c of others)
      await handleClusterEvent(deps, {
        ...writeEvent(`evt-${c.name}`),
        subject: c.id,
        data: { resourceUri: c.id },
      });
    expect(await handleClusterEvent(deps, writeEvent())).toMatchObject({ outcome: 'onboarding' });
    expect((await deps.rollouts.listActive()).length).toBe(31);
    // The lease taken at onboarding is released: only the open row in the 31st rollout says "busy".
    const inv = await deps.inventory.get(c1.id.toLowerCase());
    if (inv?.value.lease) await deps.inventory.update({ ...inv.value, lease: undefined }, inv.etag);
    expect(await handleClusterEvent(deps, writeEvent('evt-again'))).toMatchObject({
      outcome: 'noAction',
      reason: 'AlreadyInRollout',
    });
    expect((await deps.rollouts.listActive()).length).toBe(31);
  });

  it('a deleted cluster connected again under the same id is no longer marked removed', async () => {
    const deps = setup();
    const at = deps.clock.now().toISOString();
    await deps.inventory.upsertMany([{ cluster: c1, discoveredAt: at, monitorInstalled: false }]);
    const inv = (await deps.inventory.get(c1.id.toLowerCase()))!;
    await deps.inventory.update({ ...inv.value, removedAt: at }, inv.etag);
    expect(await handleClusterEvent(deps, writeEvent())).toMatchObject({ reason: 'NoAutoOnboardPolicy' });
    expect((await deps.inventory.get(c1.id.toLowerCase()))?.value.removedAt).toBeUndefined();
  });
});
