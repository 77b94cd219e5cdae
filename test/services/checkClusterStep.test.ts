import { describe, expect, it } from 'vitest';
import { TransientError } from '../../shared/domain/errors.js';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { leaseHeld } from '../../shared/services/clusterLease.js';
import { cluster, osm } from '../domain/fixtures.js';
import { seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const step = (hop = 0): ClusterWorkMessage => ({ rolloutId: 'r1', clusterId: ID, hop });
/** The check the step sends after its PUT: ARM's id and the intent it went out under (the clock's start). */
const check = (hop = 0, operationId = 'op-1'): ClusterWorkMessage => ({
  ...step(hop),
  operationId,
  intentAt: '2026-11-25T10:00:00.000Z',
});

/** A cluster whose hop 0 PUT has been sent (op-1 in progress) and whose check is due. */
async function started(over: Parameters<typeof seed>[2] = {}, c = c1) {
  const deps = fakeDeps();
  const freed: string[] = [];
  deps.onSlotFreed = async (id) => void freed.push(id);
  await seed(deps, c, over);
  await applyClusterStep(deps, step());
  deps.queue.drain();
  deps.clock.advance(15_000);
  const row = async () => (await deps.rollouts.getCluster('r1', ID))!.value;
  const puts = () => deps.arm.calls.filter((x) => x.method === 'beginPutExtension');
  return { deps, freed, row, puts };
}

const row = async (deps: ReturnType<typeof fakeDeps>) => (await deps.rollouts.getCluster('r1', ID))!.value;

/** A row whose worker wrote the hop's intent (attempt 1) and died before its PUT: no operation id. */
function intentOnly(deps: ReturnType<typeof fakeDeps>) {
  return {
    attempts: 1,
    hopAttempts: 1,
    operation: {
      kind: 'put' as const,
      extensionName: 'osm',
      targetVersion: '1.2.6',
      startedAt: deps.clock.now().toISOString(),
      deadline: '2026-11-25T11:00:00Z',
    },
  };
}

describe('checkClusterStep on the row copy of its process (rowCopies.ts)', () => {
  const counting = (deps: ReturnType<typeof fakeDeps>) => {
    const get = deps.rollouts.getCluster.bind(deps.rollouts);
    const reads = { n: 0 };
    deps.rollouts.getCluster = (...a) => (reads.n++, get(...a));
    return reads;
  };

  it('the check after the step, and each check after a check, decide without reading the row', async () => {
    const { deps, row } = await started();
    const reads = counting(deps);
    expect(await checkClusterStep(deps, check())).toMatchObject({ reason: 'OperationInProgress' });
    deps.arm.settleAll();
    deps.clock.advance(15_000);
    expect(await checkClusterStep(deps, check())).toMatchObject({ outcome: 'done' });
    expect(reads.n).toBe(0);
    expect(await row()).toMatchObject({ state: 'Succeeded', lastAppliedVersion: '1.2.6' });
  });

  it('a redelivery reads the row', async () => {
    const { deps } = await started();
    const reads = counting(deps);
    await checkClusterStep(deps, check(), { dequeueCount: 2 });
    expect(reads.n).toBeGreaterThan(0);
  });

  it('a copy another writer made stale costs a failed write and a fresh read, never its change', async () => {
    const { deps, row } = await started();
    const now = (await deps.rollouts.getCluster('r1', ID))!;
    // Another instance ended the row meanwhile (an Event Grid delete, say); this process's copy is older.
    await deps.rollouts.updateCluster({ ...now.value, state: 'Skipped', reason: 'ClusterDeleted' }, now.etag);
    deps.arm.settleAll();
    const reads = counting(deps);
    expect(await checkClusterStep(deps, check())).toMatchObject({ outcome: 'ignored' });
    expect(reads.n).toBe(1); // decided on the copy, lost the ETag race, read, decided again
    expect(await row()).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
  });

  it('a copy that does not agree with the message (another hop or operation) is not used', async () => {
    const { deps } = await started();
    const reads = counting(deps);
    const other = { ...check(0, 'op-other'), intentAt: '2026-11-25T09:00:00.000Z' };
    expect(await checkClusterStep(deps, other)).toMatchObject({ outcome: 'ignored' });
    expect(reads.n).toBe(1);
  });
});

describe('checkClusterStep', () => {
  it('an operation still running schedules another check and keeps the lease alive', async () => {
    const { deps, row } = await started();
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'requeued',
      reason: 'OperationInProgress',
      delayMs: 15_000,
    });
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-checks', message: check(), delayMs: 15_000 }]);
    expect((await row()).state).toBe('InProgress');
    const first = (await deps.inventory.get(ID))!.value.lease!.until;
    // Early checks read nothing for the lease (it was taken with the intent and has more than half left).
    const get = deps.inventory.get.bind(deps.inventory);
    const reads = { n: 0 };
    deps.inventory.get = (...a) => (reads.n++, get(...a));
    await checkClusterStep(deps, check());
    expect(reads.n).toBe(0);
    deps.clock.advance(4 * 60_000);
    await checkClusterStep(deps, check());
    expect((await deps.inventory.get(ID))!.value.lease!.until).toBe(first); // more than half left
    deps.clock.advance(2 * 60_000);
    await checkClusterStep(deps, check());
    expect(Date.parse((await deps.inventory.get(ID))!.value.lease!.until)).toBeGreaterThan(Date.parse(first));
  });

  it('an operation ended by the deletion of its cluster: Skipped ClusterDeleted, not Failed', async () => {
    const { deps, freed, row } = await started();
    deps.arm.settle('op-1', 'Failed', {
      code: 'ResourceOperationFailure',
      message: "The resource operation completed with terminal provisioning state 'Canceled'.",
    });
    deps.arm.clusters.clear();
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'stalled', reason: 'ClusterDeleted' });
    expect(await row()).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
    expect((await row()).operation).toBeUndefined();
    expect(deps.history.events.at(-1)).toMatchObject({ action: 'ClusterRemoved', result: 'Skipped' });
    expect(freed).toEqual(['r1']);
  });

  it('a failed operation fails the row with ARM code and message, frees the lease and the slot', async () => {
    const { deps, freed, row } = await started();
    deps.arm.settle('op-1', 'Failed', {
      code: 'ExtensionOperationFailed',
      message: 'Helm installation failed : Timed out',
    });
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'stalled',
      reason: 'ExtensionOperationFailed',
    });
    expect(await row()).toMatchObject({
      state: 'Failed',
      reason: 'ExtensionOperationFailed',
      message: 'Helm installation failed : Timed out',
    });
    expect((await row()).operation).toBeUndefined();
    const lease = (await deps.inventory.get(ID))!.value.lease!;
    expect(await leaseHeld(deps, ID, lease)).toBe(false); // held while InProgress only
    expect(freed).toEqual(['r1']);
    expect(deps.queue.sent).toHaveLength(0);
    expect(deps.history.events.at(-1)).toMatchObject({
      action: 'InstallFailed',
      result: 'Failed',
      reason: 'ExtensionOperationFailed',
    });
  });

  it('past the deadline on a Connected cluster: OperationStuck with the elapsed time, no force-delete', async () => {
    const { deps, freed, row } = await started();
    deps.clock.advance(31 * 60_000);
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'stalled', reason: 'OperationStuck' });
    const r = await row();
    expect(r).toMatchObject({ state: 'Failed', reason: 'OperationStuck' });
    expect(r.message).toMatch(/op-1 on osm still in progress after 31 min/);
    expect(deps.arm.calls.some((x) => x.method === 'beginDeleteExtension')).toBe(false);
    expect(freed).toEqual(['r1']);
  });

  it('an Offline cluster during the operation is Deferred (operation kept); re-dispatched, it is checked, not PUT again', async () => {
    const { deps, freed, row, puts } = await started();
    deps.arm.cluster(ID).connectivity = 'Offline';
    expect(await checkClusterStep(deps, check())).toMatchObject({ outcome: 'requeued' }); // too early to probe
    deps.queue.drain();
    deps.clock.advance(5 * 60_000);
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'stalled', reason: 'ClusterOffline' });
    expect(await row()).toMatchObject({
      state: 'Deferred',
      reason: 'ClusterOffline',
      operation: { operationId: 'op-1' },
    });
    expect(freed).toEqual(['r1']);

    // Back online 40 minutes later (past the first deadline): the orchestration re-dispatches the row.
    deps.clock.advance(40 * 60_000);
    deps.arm.cluster(ID).connectivity = 'Connected';
    const v = (await deps.rollouts.getCluster('r1', ID))!;
    await deps.rollouts.updateCluster({ ...v.value, state: 'InProgress', reason: 'Dispatched' }, v.etag);
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'CheckResent' });
    expect(await row()).toMatchObject({ reason: 'OperationResumed' });
    const [again] = deps.queue.drain();
    deps.clock.advance(again!.delayMs);
    expect(await checkClusterStep(deps, again!.message)).toMatchObject({ outcome: 'requeued' }); // not stuck
    deps.queue.drain();
    await deps.queue.send('cluster-checks', again!.message);
    await drive(deps);
    expect(puts()).toHaveLength(1);
    expect(await row()).toMatchObject({ state: 'Succeeded', lastAppliedVersion: '1.2.6' });
  });

  it.each([
    ['another attempt', { ...check(0, 'op-9'), intentAt: '2026-11-25T09:00:00.000Z' }, 'StaleOperation'],
    [
      'another operation id without its intent',
      { ...check(0, 'op-9'), intentAt: undefined },
      'StaleOperation',
    ],
    ['another hop', check(1), 'StaleHop'],
  ])('a check for %s is ignored', async (_, msg, reason) => {
    const { deps } = await started();
    const writes = deps.rollouts.clusterTable.writes;
    expect(await checkClusterStep(deps, msg)).toEqual({ outcome: 'ignored', reason });
    expect(deps.rollouts.clusterTable.writes).toBe(writes);
    expect(deps.queue.sent).toHaveLength(0);
  });

  it('a duplicate check after the row settled is ignored', async () => {
    const { deps, freed } = await started();
    deps.arm.settleAll();
    await checkClusterStep(deps, check());
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'ignored', reason: 'NotInProgress' });
    expect(freed).toEqual(['r1']);
  });

  it('a throttled poll (of the extension, or of the operation) requeues the check after Retry-After', async () => {
    const { deps, row } = await started();
    deps.arm.failNext.getExtension = [new TransientError('throttled', 7_000, 'ArmThrottled')];
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'requeued',
      reason: 'ArmThrottled',
      delayMs: 7_000,
    });
    expect((await row()).state).toBe('InProgress');
    // The extension says neither running nor done: the operation is read, and that read is throttled.
    deps.arm.settle('op-1', 'Failed', { code: 'X', message: 'x' });
    deps.arm.failNext.getOperation = [new TransientError('throttled', 6_000, 'ArmThrottled')];
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'requeued',
      reason: 'ArmThrottled',
      delayMs: 6_000,
    });
    expect((await row()).state).toBe('InProgress');
  });

  it('a hop that moves the version is checked with one read of the extension, which also confirms it', async () => {
    const { deps } = await started();
    const reads = { ext: 0, op: 0 };
    const { getExtension, getOperation } = deps.arm;
    deps.arm.getExtension = (...a) => (reads.ext++, getExtension.apply(deps.arm, a));
    deps.arm.getOperation = (...a) => (reads.op++, getOperation.apply(deps.arm, a));
    expect(await checkClusterStep(deps, check())).toMatchObject({ reason: 'OperationInProgress' });
    deps.arm.settle('op-1');
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'done', reason: 'InstallSucceeded' });
    expect(reads).toEqual({ ext: 2, op: 0 });
  });

  it('a throttled connectivity probe or confirmation GET requeues the check instead of throwing', async () => {
    const { deps, row } = await started();
    deps.clock.advance(6 * 60_000);
    deps.arm.failNext.getCluster = [new TransientError('throttled', 5_000, 'ArmThrottled')];
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'requeued',
      reason: 'ArmThrottled',
      delayMs: 5_000,
    });
    deps.arm.settleAll();
    deps.arm.failNext.getExtension = [new TransientError('unavailable', 3_000)];
    expect(await checkClusterStep(deps, check())).toEqual({
      outcome: 'requeued',
      reason: 'ArmUnavailable',
      delayMs: 3_000,
    });
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'done', reason: 'InstallSucceeded' });
    expect((await row()).state).toBe('Succeeded');
  });

  it('operation Succeeded but ARM still reports the old version: wait for it (ARM is the truth)', async () => {
    const { deps, row } = await started(
      { plannedAction: 'upgrade', from: '1.1.1-1' },
      cluster('c1', { extensions: [osm('1.1.1-1')] }),
    );
    deps.arm.operations.get('op-1')!.status = { status: 'Succeeded' };
    // Still busy at the old version: running, whatever the operation says.
    expect(await checkClusterStep(deps, check())).toMatchObject({
      outcome: 'requeued',
      reason: 'OperationInProgress',
    });
    // Provisioned, but at the old version: the operation is asked, says Succeeded; ARM's extension wins.
    deps.arm.clusters.get(ID.toLowerCase())!.extensions[0]!.provisioningState = 'Succeeded';
    expect(await checkClusterStep(deps, check())).toMatchObject({
      outcome: 'requeued',
      reason: 'AwaitingVersion',
    });
    expect((await row()).state).toBe('InProgress');
    deps.arm.settle('op-1');
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'done', reason: 'UpgradeSucceeded' });
  });

  it('a release namespace still terminating is waited out: back to an intent, the step PUTs again later', async () => {
    const { deps, row, puts } = await started();
    deps.arm.settle('op-1', 'Failed', {
      code: 'ExtensionOperationFailed',
      message:
        'forbidden: unable to create new content in namespace arc-osm-system because it is being terminated',
    });
    const r = await checkClusterStep(deps, check());
    expect(r).toMatchObject({ outcome: 'requeued', reason: 'NamespaceTerminating' });
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-steps', message: step(), delayMs: r.delayMs }]);
    expect(await row()).toMatchObject({ state: 'InProgress', reason: 'NamespaceTerminating' });
    expect((await row()).operation?.operationId).toBeUndefined();
    await drive(deps);
    expect(puts()).toHaveLength(2);
    expect(await row()).toMatchObject({ state: 'Succeeded', attempts: 1 });
  });

  it("a check without an id reads the extension's own errorInfo: a terminating namespace is waited out, in Azure's words", async () => {
    const deps = fakeDeps();
    await seed(deps, c1, intentOnly(deps));
    const azure =
      'extensionconfigs.clusterconfig.azure.com "osm" is forbidden: unable to create new content in namespace arc-osm-system because it is being terminated';
    deps.arm.clusters.get(c1.id.toLowerCase())!.extensions = [
      {
        ...osm('1.2.6'),
        provisioningState: 'Failed',
        error: { code: 'ExtensionOperationFailed', message: azure },
      },
    ];
    const r = await checkClusterStep(deps, step());
    expect(r).toMatchObject({ outcome: 'requeued', reason: 'NamespaceTerminating' });
    expect(await row(deps)).toMatchObject({
      state: 'InProgress',
      reason: 'NamespaceTerminating',
      message: azure,
    });
    expect((await row(deps)).retryAt).toBe(new Date(deps.clock.now().getTime() + r.delayMs!).toISOString());
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-steps', message: step(), delayMs: r.delayMs }]);
    // The hop goes on: its event waits on the row (the outbox) and reaches history when the row settles.
    expect((await row(deps)).lastEvent).toMatchObject({
      action: 'InstallWaiting',
      result: 'Recorded',
      reason: 'NamespaceTerminating',
      message: azure,
    });
  });

  it("a failed extension without a namespace problem fails the row with ARM's code and message, not a summary", async () => {
    const deps = fakeDeps();
    await seed(deps, c1, intentOnly(deps));
    const azure = 'Helm installation failed : Timed out waiting for the condition';
    deps.arm.clusters.get(c1.id.toLowerCase())!.extensions = [
      { ...osm('1.2.6'), provisioningState: 'Failed', error: { code: 'HelmInstallFailed', message: azure } },
    ];
    expect(await checkClusterStep(deps, step())).toMatchObject({
      outcome: 'stalled',
      reason: 'HelmInstallFailed',
    });
    expect(await row(deps)).toMatchObject({ state: 'Failed', reason: 'HelmInstallFailed', message: azure });
    expect(deps.history.events.at(-1)).toMatchObject({
      action: 'InstallFailed',
      reason: 'HelmInstallFailed',
      message: azure,
    });
  });

  it('an accepted PUT whose operation failed "conflicting operation in progress" is sent again later, never a failed hop', async () => {
    const { deps, row, puts } = await started();
    deps.arm.settle('op-1', 'Failed', {
      code: 'UpdateFailed',
      message:
        'Update failed for this resource, as there is a conflicting operation in progress. Please try after sometime.',
    });
    const r = await checkClusterStep(deps, check());
    expect(r).toEqual({
      outcome: 'requeued',
      reason: 'OperationInProgress',
      delayMs: 2 * deps.settings.checkDelayMs,
    });
    expect(await row()).toMatchObject({ state: 'InProgress', reason: 'OperationInProgress' });
    expect((await row()).operation?.operationId).toBeUndefined();
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-steps', message: step(), delayMs: r.delayMs }]);
    await drive(deps);
    expect(puts()).toHaveLength(2);
    expect(await row()).toMatchObject({ state: 'Succeeded' });
  });

  it('a check without an id whose PUT never landed sends the hop again (bounded)', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, {
      ...intentOnly(deps),
    });
    expect(await checkClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'StepResent' });
    expect((await deps.rollouts.getCluster('r1', ID))!.value.operation).toBeUndefined();
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-steps', message: step(), delayMs: 0 }]);
    await drive(deps);
    expect((await deps.rollouts.getCluster('r1', ID))!.value).toMatchObject({
      state: 'Succeeded',
      attempts: 2,
    });
  });

  it('the bound counts the attempts of the hop: the last of three hops whose PUT never landed is sent again', async () => {
    // Hops 0 and 1 took one attempt each; the worker of hop 2 wrote its intent and died before its PUT.
    const deps = fakeDeps();
    const c = cluster('c1', { extensions: [osm('1.0.0-1')] });
    await seed(deps, c, { plannedAction: 'upgrade', from: '1.0.0-1', path: ['1.0.1', '1.1.1-1', '1.2.6'] });
    const put = deps.arm.beginPutExtension.bind(deps.arm);
    let puts = 0;
    deps.arm.beginPutExtension = async (...a) => {
      if (++puts === 3) throw new Error('worker died (simulated crash)');
      return put(...a);
    };
    await applyClusterStep(deps, step());
    await expect(drive(deps, { propagateErrors: true })).rejects.toThrow('worker died');
    expect(await row(deps)).toMatchObject({ hop: 2, attempts: 3, hopAttempts: 1 });
    expect((await row(deps)).operation?.operationId).toBeUndefined();
    // The repair scan re-sends the check it believes lost: no trace of the PUT, so the hop is sent again.
    expect(await checkClusterStep(deps, step(2))).toEqual({ outcome: 'done', reason: 'StepResent' });
    await drive(deps);
    expect(await row(deps)).toMatchObject({ state: 'Succeeded', hop: 3, attempts: 4 });
  });

  it('three attempts of one hop without a trace fail it OperationNotApplied', async () => {
    const deps = fakeDeps();
    await seed(deps, c1, { ...intentOnly(deps), attempts: 7, hopAttempts: 3 });
    expect(await checkClusterStep(deps, step())).toEqual({
      outcome: 'stalled',
      reason: 'OperationNotApplied',
    });
    expect(await row(deps)).toMatchObject({
      state: 'Failed',
      message: 'extension osm not found, after 3 attempts at this hop',
    });
  });

  it('a settings-only hop whose worker died after the intent, before the PUT: a check without an id PUTs, never completes', async () => {
    // The cluster already runs the target; the hop only adds the policy's settings (testPolicy: envoyLogLevel).
    const deps = fakeDeps();
    await seed(deps, cluster('c1', { extensions: [osm('1.2.6', { 'osm.osm.enableEgress': 'true' })] }), {
      plannedAction: 'reconfigure',
      from: '1.2.6',
      ...intentOnly(deps),
    });
    // The repair scan re-sends the check it believes lost: the extension is Succeeded at 1.2.6, as before.
    expect(await checkClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'StepResent' });
    await drive(deps);
    const puts = deps.arm.calls.filter((x) => x.method === 'beginPutExtension');
    expect(puts).toHaveLength(1);
    expect((await deps.rollouts.getCluster('r1', ID))!.value.state).toBe('Succeeded');
    expect(deps.arm.clusters.get(ID)!.extensions[0]!.configurationSettings).toEqual({
      'osm.osm.enableEgress': 'true',
      'osm.osm.envoyLogLevel': 'warning',
    });
  });

  it('a settings-only hop already applied completes from a check without an id, without a PUT', async () => {
    const deps = fakeDeps();
    const settings = { 'osm.osm.envoyLogLevel': 'warning' };
    await seed(deps, cluster('c1', { extensions: [osm('1.2.6', settings)] }), {
      plannedAction: 'reconfigure',
      from: '1.2.6',
      ...intentOnly(deps),
    });
    expect(await checkClusterStep(deps, step())).toMatchObject({ outcome: 'done' });
    expect((await deps.rollouts.getCluster('r1', ID))!.value.state).toBe('Succeeded');
    expect(deps.arm.calls.filter((x) => x.method === 'beginPutExtension')).toHaveLength(0);
  });

  it('a crash after the hop was recorded, before the next step left: the redelivered check re-sends it', async () => {
    const { deps, row, puts } = await started(
      { plannedAction: 'upgrade', from: '1.0.0-1', path: ['1.1.1-1', '1.2.6'] },
      cluster('c1', { extensions: [osm('1.0.0-1')] }),
    );
    deps.arm.settleAll();
    const send = deps.queue.send.bind(deps.queue);
    let crashed = false;
    deps.queue.send = async (q, m, o) => {
      if (!crashed && q === 'cluster-steps') {
        crashed = true;
        throw new Error('worker died (simulated crash)');
      }
      return send(q, m, o);
    };
    await expect(checkClusterStep(deps, check())).rejects.toThrow('worker died');
    expect(await row()).toMatchObject({ hop: 1, state: 'InProgress', reason: 'HopSucceeded' });
    expect(deps.queue.sent).toHaveLength(0);
    expect(await checkClusterStep(deps, check())).toEqual({ outcome: 'done', reason: 'StepResent' });
    await drive(deps);
    expect(puts().map((p) => p.desired!.version)).toEqual(['1.1.1-1', '1.2.6']);
    expect(await row()).toMatchObject({ state: 'Succeeded', hop: 2 });
  });
});

describe('checkClusterStep heartbeat', () => {
  it('bumps the row once per heartbeat while the operation runs, not on every check', async () => {
    const { deps, row } = await started();
    const writes = () => deps.rollouts.clusterTable.writes;
    const before = writes();
    await checkClusterStep(deps, check()); // 15 s after the PUT: row is fresh
    expect(writes()).toBe(before);
    deps.clock.advance(61_000);
    const stamp = (await row()).updatedAt;
    await checkClusterStep(deps, check());
    expect(writes()).toBe(before + 1);
    expect((await row()).updatedAt).not.toBe(stamp);
    expect((await row()).state).toBe('InProgress');
    // The id the step's check carried is on the row from the first row change the check makes.
    expect((await row()).operation).toMatchObject({ operationId: 'op-1', startedAt: check().intentAt });
  });
});
