import { describe, expect, it } from 'vitest';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { recordPoisonedWork } from '../../shared/services/recordPoisonedWork.js';
import { cluster } from '../domain/fixtures.js';
import { seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const step = (hop = 0): ClusterWorkMessage => ({ rolloutId: 'r1', clusterId: ID, hop });

describe('recordPoisonedWork', () => {
  it('fails the hop with PoisonMessage, frees the slot and records history', async () => {
    const deps = fakeDeps();
    const freed: string[] = [];
    deps.onSlotFreed = async (id) => void freed.push(id);
    await seed(deps, c1);
    await applyClusterStep(deps, step());
    expect(await recordPoisonedWork(deps, 'cluster-checks', step())).toEqual({
      outcome: 'stalled',
      reason: 'PoisonMessage',
    });
    const row = (await deps.rollouts.getCluster('r1', ID))!.value;
    expect(row).toMatchObject({ state: 'Failed', reason: 'PoisonMessage' });
    expect(row.message).toContain('poison queue');
    expect(freed).toEqual(['r1']);
    expect(deps.history.events.at(-1)).toMatchObject({ action: 'InstallFailed', reason: 'PoisonMessage' });
  });

  it('ignores a poisoned message whose row has moved on', async () => {
    const deps = fakeDeps();
    await seed(deps, c1);
    await applyClusterStep(deps, step());
    expect(await recordPoisonedWork(deps, 'cluster-steps', step(1))).toEqual({
      outcome: 'ignored',
      reason: 'RowMovedOn',
    });
    expect((await deps.rollouts.getCluster('r1', ID))!.value.state).toBe('InProgress');
  });

  it('appends the event a crashed worker left on the row when its message ends poisoned', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, {
      state: 'Failed',
      reason: 'HelmFailed',
      lastEvent: { at: '2026-11-25T09:59:00.000Z', action: 'InstallFailed', result: 'Failed', seq: 2 },
    });
    expect(deps.history.events).toEqual([]);
    expect((await recordPoisonedWork(deps, 'cluster-checks', step())).reason).toBe('RowMovedOn');
    expect(deps.history.events).toEqual([
      expect.objectContaining({ clusterId: ID, action: 'InstallFailed', seq: 2, rolloutId: 'r1' }),
    ]);
  });

  it('marks monitor onboarding Failed without touching the OSM state', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, { state: 'Succeeded', monitor: 'InProgress' });
    await recordPoisonedWork(deps, 'monitor-steps', step(1));
    const row = (await deps.rollouts.getCluster('r1', ID))!.value;
    expect(row).toMatchObject({
      state: 'Succeeded',
      monitor: 'Failed',
      monitorProgress: { reason: 'PoisonMessage' },
    });
  });
});
