/** GET /clusters/{…}/history: stored events, and on the first page the events still waiting on the rows. */
import { describe, expect, it } from 'vitest';
import { clusterHistory } from '../../shared/services/clusterHistory.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { cluster } from '../domain/fixtures.js';
import { seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const planned = {
  seq: 1,
  at: '2026-11-25T09:59:00.000Z',
  action: 'RolloutPlanned',
  result: 'Recorded' as const,
};
const history = (deps: ReturnType<typeof fakeDeps>, page?: { top?: number; continuationToken?: string }) =>
  clusterHistory(deps, c1.subscriptionId, c1.resourceGroup, c1.name, page);

describe('clusterHistory', () => {
  it('shows the events waiting on the row of an active rollout, marked pending, before the hop ends', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, { state: 'Pending', reason: 'Planned', lastEvent: planned });
    expect(deps.history.events).toEqual([]);
    expect((await history(deps)).items).toEqual([
      {
        clusterId: ID,
        actor: 'rollout:r1',
        rolloutId: 'r1',
        ...planned,
        pending: true,
      },
    ]);
  });

  it('once the hop ends, each event is shown once, from history, none pending', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, { lastEvent: planned });
    await applyClusterStep(deps, { rolloutId: 'r1', clusterId: ID, hop: 0 });
    const during = (await history(deps)).items;
    expect(during.map((e) => [e.action, e.pending])).toEqual([
      ['InstallStarted', true],
      ['RolloutPlanned', true],
    ]);
    await drive(deps);
    const after = (await history(deps)).items;
    expect(after.map((e) => [e.action, e.pending])).toEqual([
      ['InstallSucceeded', undefined],
      ['InstallStarted', undefined],
      ['RolloutPlanned', undefined],
    ]);
  });

  it('a later page is history alone', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, { state: 'Pending', reason: 'Planned', lastEvent: planned });
    await deps.history.append([
      {
        clusterId: ID,
        at: '2026-11-25T09:00:00.000Z',
        actor: 'timer',
        action: 'DriftDetected',
        result: 'Recorded',
      },
      {
        clusterId: ID,
        at: '2026-11-25T08:00:00.000Z',
        actor: 'timer',
        action: 'DriftDetected',
        result: 'Recorded',
      },
    ]);
    const first = await history(deps, { top: 1 });
    expect(first.items.map((e) => e.action)).toEqual(['RolloutPlanned', 'DriftDetected']);
    const next = await history(deps, { top: 1, continuationToken: first.continuationToken! });
    expect(next.items.map((e) => [e.action, e.at])).toEqual([['DriftDetected', '2026-11-25T08:00:00.000Z']]);
  });
});
