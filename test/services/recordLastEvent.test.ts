// The history outbox on the cluster rows: a worker that dies right after a row write, before the history
// append, must not lose the event. The redelivered message (dequeueCount > 1) or the lost-message repair
// appends the row's last event again, and doing so when it is already there stores nothing new.
import { describe, expect, it } from 'vitest';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { repairLostMessages } from '../../shared/services/repairLostMessages.js';
import { cluster, osm } from '../domain/fixtures.js';
import { CrashingRolloutStore, seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const c1 = cluster('c1', { extensions: [osm('1.1.1-1')] });
const ID = c1.id.toLowerCase();
const step = (hop = 0): ClusterWorkMessage => ({ rolloutId: 'r1', clusterId: ID, hop });
const REDELIVERED = { dequeueCount: 2 };

async function setup() {
  const deps = fakeDeps();
  await seed(deps, c1, { plannedAction: 'upgrade', from: '1.1.1-1', to: '1.2.6', path: ['1.2.6'] });
  const real = deps.rollouts;
  /** The n-th row write from now lands, then the worker dies. */
  const dieAfterWrite = (n: number) => {
    const dying = new CrashingRolloutStore(real, new Set([n]));
    dying.afterWrite = true;
    deps.rollouts = dying;
  };
  const survive = () => void (deps.rollouts = real);
  const actions = () => deps.history.events.map((e) => e.action);
  const row = async () => (await real.getCluster('r1', ID))!.value;
  return { deps, dieAfterWrite, survive, actions, row };
}

describe('history outbox (lastEvent)', () => {
  it('a worker dying after the intent write: the redelivered step appends UpgradeStarted, once', async () => {
    const { deps, dieAfterWrite, survive, actions, row } = await setup();
    dieAfterWrite(1);
    await expect(applyClusterStep(deps, step())).rejects.toThrow('worker died');
    expect(actions()).toEqual([]);
    expect((await row()).lastEvent).toMatchObject({ action: 'UpgradeStarted', seq: 1 });

    survive();
    deps.clock.advance(60_000);
    await applyClusterStep(deps, step(), REDELIVERED);
    expect(actions()).toEqual(['UpgradeStarted']);
    await drive(deps);
    expect(actions()).toEqual(['UpgradeStarted', 'UpgradeSucceeded']);
    expect(deps.arm.calls.filter((c) => c.method === 'beginPutExtension')).toHaveLength(1);
    expect((await row()).state).toBe('Succeeded');
  });

  it('a worker dying after the hop-ending write: the redelivered check appends UpgradeSucceeded, once', async () => {
    const { deps, dieAfterWrite, survive, actions, row } = await setup();
    await applyClusterStep(deps, step());
    const check = deps.queue.drain()[0]!.message;
    deps.clock.advance(15_000);
    deps.arm.settleAll();
    dieAfterWrite(1);
    await expect(checkClusterStep(deps, check)).rejects.toThrow('worker died');
    expect((await row()).state).toBe('Succeeded');
    // The hop's events waited on the row, to be appended together once it settled: the crash kept them there.
    expect(actions()).toEqual([]);
    expect((await row()).heldEvents?.map((e) => e.action)).toEqual(['UpgradeStarted']);
    expect((await row()).lastEvent).toMatchObject({ action: 'UpgradeSucceeded', seq: 2 });

    survive();
    deps.clock.advance(300_000);
    await checkClusterStep(deps, check, REDELIVERED);
    await checkClusterStep(deps, check, { dequeueCount: 3 }); // again: nothing new
    expect(actions()).toEqual(['UpgradeStarted', 'UpgradeSucceeded']);
    expect(deps.history.events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('a first delivery does not read the row again for the outbox', async () => {
    const { deps, actions } = await setup();
    let reads = 0;
    const get = deps.rollouts.getCluster.bind(deps.rollouts);
    deps.rollouts.getCluster = async (...a) => (reads++, get(...a));
    await applyClusterStep(deps, step(), { dequeueCount: 1 });
    expect(reads).toBe(1);
    expect(actions()).toEqual([]); // the hop goes on: UpgradeStarted waits on the row
    expect((await get('r1', ID))!.value.lastEvent).toMatchObject({ action: 'UpgradeStarted' });
  });

  it("a hop's events wait on its row and reach history in one append when the row settles", async () => {
    const { deps, actions, row } = await setup();
    const append = deps.history.append.bind(deps.history);
    const appends: string[][] = [];
    deps.history.append = async (events) => (appends.push(events.map((e) => e.action)), append(events));
    await applyClusterStep(deps, step());
    expect(appends).toEqual([]);
    expect((await row()).lastEvent).toMatchObject({ action: 'UpgradeStarted', seq: 1 });
    await drive(deps);
    expect((await row()).state).toBe('Succeeded');
    expect(appends).toEqual([['UpgradeStarted', 'UpgradeSucceeded']]);
    expect(actions()).toEqual(['UpgradeStarted', 'UpgradeSucceeded']);
  });

  it('the lost-message repair appends the last event of a row it re-sends work for', async () => {
    const { deps, dieAfterWrite, survive, row } = await setup();
    dieAfterWrite(1);
    await expect(applyClusterStep(deps, step())).rejects.toThrow('worker died');
    survive();
    deps.clock.advance(10 * 60_000);
    expect(await repairLostMessages(deps, [await row()])).toEqual({ steps: 0, checks: 1, monitors: 0 });
    expect(deps.history.events.map((e) => [e.action, e.seq])).toEqual([['UpgradeStarted', 1]]);
    // The check finds no PUT behind the intent (the worker died before it): the hop is sent again, a second attempt.
    await drive(deps);
    expect(deps.history.events.map((e) => [e.action, e.seq])).toEqual([
      ['UpgradeStarted', 1],
      ['UpgradeStarted', 2],
      ['UpgradeSucceeded', 3],
    ]);
  });
});
