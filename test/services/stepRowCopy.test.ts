/** The step worker on the row copy the dispatch's batch write left in its process (rowCopies.ts). */
import { describe, expect, it } from 'vitest';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { writeClusterRows } from '../../shared/services/writeClusterRows.js';
import { cluster } from '../domain/fixtures.js';
import { seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const step = (hop = 0): ClusterWorkMessage => ({ rolloutId: 'r1', clusterId: ID, hop });

/** A Pending row dispatched by a batch write (as reconcileRollout does), its reads counted from then on. */
async function dispatched() {
  const deps = fakeDeps();
  await seed(deps, c1, { state: 'Pending', reason: 'Planned' });
  const pending = (await deps.rollouts.listClusters('r1')).items;
  await writeClusterRows(deps, pending, (r) => ({ ...r, state: 'InProgress', reason: 'Dispatched' }));
  const get = deps.rollouts.getCluster.bind(deps.rollouts);
  const reads = { n: 0 };
  deps.rollouts.getCluster = (...a) => (reads.n++, get(...a));
  const row = async () => (await get('r1', ID))!.value;
  const puts = () => deps.arm.calls.filter((c) => c.method === 'beginPutExtension');
  return { deps, reads, row, puts };
}

describe('applyClusterStep on the copy the dispatch left (rowCopies.ts)', () => {
  it('the step a dispatch sends decides without reading its row: intent, one PUT, its check sent', async () => {
    const { deps, reads, row, puts } = await dispatched();
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'OperationStarted' });
    expect(reads.n).toBe(0);
    expect(puts()).toHaveLength(1);
    expect(await row()).toMatchObject({ attempts: 1, reason: 'InstallStarted' });
    expect(deps.queue.sent.map((m) => m.message.operationId)).toEqual(['op-1']);
  });

  it('a copy another writer made stale: the intent write fails, the row is read, and no PUT is made', async () => {
    const { deps, reads, row, puts } = await dispatched();
    const now = (await deps.rollouts.getCluster('r1', ID))!;
    // Another instance ended the row meanwhile (an Event Grid delete); this process's copy is older.
    await deps.rollouts.updateCluster({ ...now.value, state: 'Skipped', reason: 'ClusterDeleted' }, now.etag);
    reads.n = 0;
    expect(await applyClusterStep(deps, step())).toMatchObject({ outcome: 'ignored' });
    expect(reads.n).toBe(1); // decided on the copy, lost the ETag race on the intent, read, decided again
    expect(puts()).toHaveLength(0);
    expect(await row()).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
  });

  it('a copy that does not agree with the message (another hop) is not used', async () => {
    const { deps, reads, puts } = await dispatched();
    expect(await applyClusterStep(deps, step(1))).toMatchObject({ outcome: 'ignored', reason: 'StaleHop' });
    expect(reads.n).toBe(1);
    expect(puts()).toHaveLength(0);
  });

  it('a redelivery reads the row', async () => {
    const { deps, reads } = await dispatched();
    await applyClusterStep(deps, step(), { dequeueCount: 2 });
    expect(reads.n).toBeGreaterThan(0);
  });
});
