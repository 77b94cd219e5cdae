import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TerminalError, TransientError } from '../../shared/domain/errors.js';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { leaseHeld } from '../../shared/services/clusterLease.js';
import { INTENT_GRACE_MS } from '../../shared/domain/clusterHop/hopRows.js';
import { cluster, osm } from '../domain/fixtures.js';
import { SECRET, WORKSPACE, clusterRow, rolloutRecord, seed, testPolicy } from '../fakes/clusterRows.js';
import { ROLLOUT_STATE_MAX_AGE_MS } from '../../shared/services/rolloutPolicy.js';
import type { FakeDeps } from '../fakes/fakeDeps.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const step = (hop = 0): ClusterWorkMessage => ({ rolloutId: 'r1', clusterId: ID, hop });
/** The fake clock's start: the `startedAt` of an intent written before any advance. */
const T0 = '2026-11-25T10:00:00.000Z';
const firstCheck = (operationId = 'op-1', intentAt = T0): ClusterWorkMessage => ({
  ...step(),
  operationId,
  intentAt,
});

function setup() {
  const deps = fakeDeps();
  const freed: string[] = [];
  deps.onSlotFreed = async (id) => void freed.push(id);
  const row = async () => (await deps.rollouts.getCluster('r1', ID))!.value;
  const puts = () => deps.arm.calls.filter((c) => c.method === 'beginPutExtension');
  return { deps, freed, row, puts };
}

const lease = async (deps: FakeDeps) => (await deps.inventory.get(ID))?.value.lease;
/** Whether the cluster's lease still keeps other rollouts out (it stays on the row once its holder's work ended). */
const held = async (deps: FakeDeps) => {
  const l = await lease(deps);
  return l !== undefined && (await leaseHeld(deps, ID, l));
};

describe('applyClusterStep', () => {
  it('install: intent, one PUT, the check scheduled with the operation id; the check completes it', async () => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, c1);
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'OperationStarted' });
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.desired).toMatchObject({ version: '1.2.6', autoUpgradeMinorVersion: false });
    expect(await row()).toMatchObject({
      state: 'InProgress',
      attempts: 1,
      lastAttemptedVersion: '1.2.6',
      reason: 'InstallStarted',
      operation: { kind: 'put', extensionName: 'osm', targetVersion: '1.2.6', startedAt: T0 },
    });
    // No row write after the PUT: the check carries the id, and the intent it went out under.
    expect((await row()).operation?.operationId).toBeUndefined();
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-checks', message: firstCheck(), delayMs: 15_000 }]);
    expect(await lease(deps)).toMatchObject({ holder: 'r1' });
    expect(freed).toEqual([]);

    await drive(deps);
    expect(await row()).toMatchObject({
      state: 'Succeeded',
      reason: 'InstallSucceeded',
      lastAppliedVersion: '1.2.6',
      hop: 1,
      monitor: 'NotRequested',
    });
    expect((await row()).operation).toBeUndefined();
    expect(await held(deps)).toBe(false);
    expect(freed).toEqual(['r1']);
    expect(deps.history.events.map((e) => [e.action, e.result, e.from, e.to])).toEqual([
      ['InstallStarted', 'Started', null, '1.2.6'],
      ['InstallSucceeded', 'Succeeded', null, '1.2.6'],
    ]);
    expect(deps.history.events.every((e) => e.actor === 'rollout:r1')).toBe(true);
  });

  it('a monitored policy queues Azure Monitor onboarding when the last hop succeeds, then frees the slot', async () => {
    const { deps, row } = setup();
    const order: string[] = [];
    deps.onSlotFreed = async () =>
      void order.push(`freed after ${deps.queue.sent.map((m) => m.queue).join(',')}`);
    const policy = testPolicy({ monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WORKSPACE } });
    await seed(deps, c1, {}, policy);
    await applyClusterStep(deps, step());
    deps.clock.advance(15_000);
    deps.arm.settleAll();
    await checkClusterStep(deps, deps.queue.drain()[0]!.message);
    expect(await row()).toMatchObject({ state: 'Succeeded', monitor: 'Pending' });
    expect(deps.queue.sent).toEqual([
      { queue: 'monitor-steps', message: { rolloutId: 'r1', clusterId: ID, hop: 1 }, delayMs: 0 },
    ]);
    expect(order).toEqual(['freed after monitor-steps']);
    expect(
      deps.arm.calls.find((c) => c.method === 'beginPutExtension')!.desired!.configurationSettings,
    ).toEqual({
      'osm.osm.envoyLogLevel': 'warning',
      'osm.osm.enablePrometheusScraping': 'true',
    });
  });

  it('0.8.4 -> 1.2.6 goes hop by hop, keeping hand-set settings across the 1.0 rename', async () => {
    const { deps, freed, row, puts } = setup();
    const before = { 'osm.OpenServiceMesh.envoyLogLevel': 'debug', 'custom.owner': 'team-a' };
    const path = ['0.9.2', '0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'];
    const policy = testPolicy({
      osm: { version: '1.2.6', configurationSettings: { 'osm.osm.enableEgress': 'true' } },
    });
    await seed(
      deps,
      cluster('c1', { extensions: [osm('0.8.4', before)] }),
      { plannedAction: 'upgrade', from: '0.8.4', path, crdStepHops: [0, 1], approved: true },
      policy,
    );
    await deps.queue.send('cluster-steps', step());
    await drive(deps);
    expect(puts().map((p) => p.desired!.version)).toEqual(path);
    const old = { 'osm.OpenServiceMesh.envoyLogLevel': 'debug', 'osm.OpenServiceMesh.enableEgress': 'true' };
    const neu = { 'osm.osm.envoyLogLevel': 'debug', 'osm.osm.enableEgress': 'true' };
    expect(puts().map((p) => p.desired!.configurationSettings)).toEqual(
      [old, old, neu, neu, neu].map((s) => ({ ...s, 'custom.owner': 'team-a' })),
    );
    expect(await row()).toMatchObject({
      state: 'Succeeded',
      reason: 'UpgradeSucceeded',
      lastAppliedVersion: '1.2.6',
      hop: 5,
      attempts: 5,
    });
    expect(deps.arm.cluster(ID).extensions[0]).toMatchObject({ version: '1.2.6' });
    expect(freed).toEqual(['r1']);
    const actions = deps.history.events.map((e) => `${e.action} ${e.from}->${e.to}`);
    expect(actions).toEqual([
      'UpgradeStarted 0.8.4->0.9.2',
      'UpgradeHopSucceeded 0.8.4->0.9.2',
      'UpgradeStarted 0.9.2->0.11.1',
      'UpgradeHopSucceeded 0.9.2->0.11.1',
      'UpgradeStarted 0.11.1->1.0.0-1',
      'UpgradeHopSucceeded 0.11.1->1.0.0-1',
      'UpgradeStarted 1.0.0-1->1.1.1-1',
      'UpgradeHopSucceeded 1.0.0-1->1.1.1-1',
      'UpgradeStarted 1.1.1-1->1.2.6',
      'UpgradeSucceeded 0.8.4->1.2.6',
    ]);
  });

  it('a CRD-changing hop waits for approval, then proceeds', async () => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, cluster('c1', { extensions: [osm('0.8.4')] }), {
      plannedAction: 'upgrade',
      from: '0.8.4',
      path: ['0.9.2'],
      crdStepHops: [0],
    });
    expect(await applyClusterStep(deps, step())).toEqual({
      outcome: 'stalled',
      reason: 'AwaitingCrdApproval',
    });
    expect(await row()).toMatchObject({ state: 'AwaitingApproval', reason: 'AwaitingCrdApproval' });
    expect((await row()).message).toContain('0.8.4 -> 0.9.2');
    expect(puts()).toHaveLength(0);
    expect(freed).toEqual(['r1']);
    expect(deps.history.events.map((e) => e.action)).toEqual(['CrdApprovalRequired']);

    // The operator approves; the orchestration re-dispatches the row.
    const v = (await deps.rollouts.getCluster('r1', ID))!;
    await deps.rollouts.updateCluster(
      { ...v.value, approved: true, state: 'InProgress', reason: 'Dispatched' },
      v.etag,
    );
    expect(await applyClusterStep(deps, step())).toMatchObject({ outcome: 'done' });
    expect(puts()).toHaveLength(1);
  });

  it.each([
    ['Offline', 'Deferred', 'ClusterOffline'],
    ['Connecting', 'Deferred', 'ClusterOffline'],
    ['Expired', 'Skipped', 'ClusterExpired'],
  ])('a %s cluster is %s (%s), no PUT, slot freed', async (connectivity, state, reason) => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, cluster('c1', { connectivity }));
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'stalled', reason });
    expect(await row()).toMatchObject({ state, reason });
    if (reason === 'ClusterExpired') expect((await row()).message).toContain('az connectedk8s connect');
    expect(puts()).toHaveLength(0);
    expect(freed).toEqual(['r1']);
    expect(deps.history.events).toHaveLength(1);
  });

  it.each([
    ['missing', undefined],
    ['NotFoundError', new NotFoundError('The Resource ... was not found', 'ResourceNotFound')],
  ])('a cluster that is gone (%s) ends Skipped ClusterDeleted, not Failed', async (_, err) => {
    const { deps, freed, row } = setup();
    await seed(deps, c1);
    if (err) deps.arm.failNext.getCluster = [err];
    else deps.arm.clusters.clear();
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'stalled', reason: 'ClusterDeleted' });
    expect(await row()).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
    expect(deps.history.events.at(-1)).toMatchObject({ action: 'ClusterRemoved', result: 'Skipped' });
    expect(freed).toEqual(['r1']);
  });

  it('a lease held by another rollout requeues the step (ClusterBusy); an expired one is taken over', async () => {
    const { deps, row, puts } = setup();
    await seed(deps, c1);
    const until = new Date(deps.clock.now().getTime() + 120_000).toISOString();
    await deps.inventory.upsertMany([
      {
        cluster: c1,
        discoveredAt: '2026-11-25T00:00:00Z',
        monitorInstalled: false,
        lease: { holder: 'r0', until },
      },
    ]);
    expect(await applyClusterStep(deps, step())).toEqual({
      outcome: 'requeued',
      reason: 'ClusterBusy',
      delayMs: 30_000, // two check delays, not the lease's remaining two minutes: it is usually released early
    });
    expect(deps.queue.drain()).toEqual([{ queue: 'cluster-steps', message: step(), delayMs: 30_000 }]);
    expect(await row()).toMatchObject({ state: 'InProgress', reason: 'ClusterBusy' });
    expect(puts()).toHaveLength(0);
    deps.clock.advance(120_001);
    expect(await applyClusterStep(deps, step())).toMatchObject({
      outcome: 'done',
      reason: 'OperationStarted',
    });
    expect(await lease(deps)).toMatchObject({ holder: 'r1' });
  });

  it('a cluster with no inventory row gets one, with the lease', async () => {
    const { deps } = setup();
    await seed(deps, c1);
    await applyClusterStep(deps, step());
    expect((await deps.inventory.get(ID))!.value).toMatchObject({
      cluster: { name: 'c1' },
      lease: { holder: 'r1' },
    });
  });

  it.each([
    ['a wrong hop', { hop: 0 }, step(1), 'StaleHop'],
    ['a row not InProgress', { state: 'Pending' as const }, step(), 'NotInProgress'],
    ['a settled row', { state: 'Succeeded' as const }, step(), 'NotInProgress'],
    ['an unknown row', {}, { ...step(), clusterId: 'other' }, 'RowNotFound'],
  ])('%s is ignored without a write', async (_, over, msg, reason) => {
    const { deps, puts } = setup();
    await seed(deps, c1, over);
    const writes = deps.rollouts.clusterTable.writes;
    expect(await applyClusterStep(deps, msg)).toEqual({ outcome: 'ignored', reason });
    expect(deps.rollouts.clusterTable.writes).toBe(writes);
    expect(puts()).toHaveLength(0);
    expect(deps.queue.sent).toHaveLength(0);
  });

  it('a duplicate step after the PUT finds the extension busy under its intent: a check, never a second PUT', async () => {
    const { deps, puts } = setup();
    await seed(deps, c1);
    await applyClusterStep(deps, step());
    deps.queue.drain();
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'OperationResumed' });
    expect(puts()).toHaveLength(1);
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-checks', message: step(), delayMs: 15_000 }]);
  });

  it('a worker dying between the PUT and the check: redelivery sends a check, no second PUT; the hop completes', async () => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, c1);
    const send = deps.queue.send.bind(deps.queue);
    deps.queue.send = async () => {
      deps.queue.send = send;
      throw new Error('worker died (simulated crash)');
    };
    await expect(applyClusterStep(deps, step())).rejects.toThrow('worker died');
    expect(puts()).toHaveLength(1);
    expect(deps.queue.sent).toHaveLength(0);
    expect((await row()).operation).toMatchObject({ targetVersion: '1.2.6' });

    deps.clock.advance(30_000); // the queue's visibility timeout: the same message comes back
    expect(await applyClusterStep(deps, step(), { dequeueCount: 2 })).toEqual({
      outcome: 'done',
      reason: 'OperationResumed',
    });
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-checks', message: step(), delayMs: 15_000 }]);
    await drive(deps);
    expect(puts()).toHaveLength(1);
    expect(await row()).toMatchObject({
      state: 'Succeeded',
      reason: 'InstallSucceeded',
      lastAppliedVersion: '1.2.6',
      attempts: 1,
    });
    expect(freed).toEqual(['r1']);
  });

  it('two deliveries of one step at once: one PUT', async () => {
    const { deps, puts } = setup();
    await seed(deps, c1);
    const results = await Promise.all([applyClusterStep(deps, step()), applyClusterStep(deps, step())]);
    expect(puts()).toHaveLength(1);
    const reasons = results.map((r) => r.reason);
    expect(reasons).toContain('OperationStarted');
    expect(['CheckResent', 'OperationResumed', 'StepInFlight']).toContain(
      reasons.find((r) => r !== 'OperationStarted'),
    );
  });

  it('a worker dying after the intent, before the PUT: a quick redelivery waits, a later one PUTs once', async () => {
    const { deps, row, puts } = setup();
    await seed(deps, c1);
    deps.arm.failNext.beginPutExtension = [new Error('worker died (simulated crash)')];
    await expect(applyClusterStep(deps, step())).rejects.toThrow('worker died');
    deps.clock.advance(5_000);
    expect(await applyClusterStep(deps, step())).toEqual({
      outcome: 'requeued',
      reason: 'StepInFlight',
      delayMs: INTENT_GRACE_MS - 5_000,
    });
    deps.clock.advance(INTENT_GRACE_MS);
    expect(await applyClusterStep(deps, deps.queue.drain()[0]!.message)).toMatchObject({
      reason: 'OperationStarted',
    });
    expect(puts()).toHaveLength(2); // the first never reached ARM
    expect(deps.arm.operations.size).toBe(1);
    const claimed = (await row()).operation!;
    expect(await row()).toMatchObject({ attempts: 1 });
    expect(claimed.startedAt).not.toBe(T0); // claimed again, then PUT under the fresh intent
    expect(deps.queue.sent).toEqual([
      { queue: 'cluster-checks', message: firstCheck('op-1', claimed.startedAt), delayMs: 15_000 },
    ]);
  });

  it.each([
    [new TransientError('Too many requests', 6_000, 'ArmThrottled'), 'ArmThrottled', 6_000],
    [new TransientError('Service unavailable', 2_000), 'ArmUnavailable', 2_000],
    [new ConflictError('conflicting operation in progress', 'UpdateFailed'), 'OperationInProgress', 30_000],
  ])('%s on the PUT requeues the step (%s), state unchanged', async (err, reason, delayMs) => {
    const { deps, freed, row } = setup();
    await seed(deps, c1);
    deps.arm.failNext.beginPutExtension = [err];
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'requeued', reason, delayMs });
    expect(deps.queue.sent).toEqual([{ queue: 'cluster-steps', message: step(), delayMs }]);
    expect(await row()).toMatchObject({ state: 'InProgress', reason });
    expect(freed).toEqual([]);
  });

  it.each([
    [
      'RequestDisallowedByPolicy',
      new TerminalError('RequestDisallowedByPolicy', "Resource 'osm' was disallowed by policy."),
    ],
    ['ResourceProviderNotRegistered', new TerminalError('ResourceProviderNotRegistered', 'not registered')],
    [
      'MissingSubscriptionRegistration',
      new ConflictError('The subscription is not registered', 'MissingSubscriptionRegistration'),
    ],
    ['BadRequest', new TerminalError('BadRequest', 'Only one instance of Open Service Mesh can be deployed')],
  ])('terminal %s fails the row with ARM code and message, never retried', async (code, err) => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, c1);
    deps.arm.failNext.beginPutExtension = [err];
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'stalled', reason: code });
    expect(await row()).toMatchObject({ state: 'Failed', reason: code, message: err.message });
    expect((await row()).operation).toBeUndefined();
    expect(deps.queue.sent).toHaveLength(0);
    expect(puts()).toHaveLength(1);
    expect(await held(deps)).toBe(false);
    expect(freed).toEqual(['r1']);
    expect(deps.history.events.at(-1)).toMatchObject({
      action: 'InstallFailed',
      result: 'Failed',
      reason: code,
    });
  });

  it('a release namespace still terminating is waited out, then fails at the deadline', async () => {
    const { deps, row } = setup();
    await seed(deps, c1);
    const err = () =>
      new TerminalError(
        'ExtensionOperationFailed',
        'unable to create new content in namespace arc-osm-system because it is being terminated',
      );
    deps.arm.failNext.beginPutExtension = [err()];
    const first = await applyClusterStep(deps, step());
    expect(first).toMatchObject({ outcome: 'requeued', reason: 'NamespaceTerminating' });
    expect(first.delayMs).toBeGreaterThanOrEqual(60_000);
    expect(await row()).toMatchObject({ state: 'InProgress', reason: 'NamespaceTerminating' });
    deps.clock.advance(29 * 60_000);
    deps.arm.failNext.beginPutExtension = [err()];
    expect(await applyClusterStep(deps, step())).toEqual({
      outcome: 'stalled',
      reason: 'NamespaceTerminating',
    });
    expect(await row()).toMatchObject({ state: 'Failed', reason: 'NamespaceTerminating' });
  });

  it('another operation running on the extension (not ours) requeues the step: one operation at a time', async () => {
    const { deps, puts, row } = setup();
    await seed(deps, cluster('c1', { extensions: [osm('1.1.1-1', {}, { provisioningState: 'Updating' })] }), {
      plannedAction: 'upgrade',
      from: '1.1.1-1',
    });
    expect(await applyClusterStep(deps, step())).toEqual({
      outcome: 'requeued',
      reason: 'OperationInProgress',
      delayMs: 30_000,
    });
    expect(puts()).toHaveLength(0);
    expect(await row()).toMatchObject({ state: 'InProgress', reason: 'OperationInProgress', attempts: 0 });
    expect((await row()).operation).toBeUndefined(); // no intent: that operation is not ours

    // redelivered while it still runs: still someone else's, never taken for our own PUT
    deps.clock.advance(30_000);
    expect(await applyClusterStep(deps, step())).toMatchObject({ reason: 'OperationInProgress' });
    // once it ended: our PUT goes out at once, as the first attempt
    deps.arm.cluster(ID).extensions[0]!.provisioningState = 'Succeeded';
    deps.clock.advance(1_000);
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'OperationStarted' });
    expect(puts()).toHaveLength(1);
    expect(await row()).toMatchObject({ attempts: 1, reason: 'UpgradeStarted' });
  });

  it('an extension already at the target with the settings is not PUT again; the check completes the hop', async () => {
    const { deps, puts, row } = setup();
    await seed(deps, cluster('c1', { extensions: [osm('1.2.6', { 'osm.osm.envoyLogLevel': 'warning' })] }), {
      plannedAction: 'reconfigure',
      from: '1.2.6',
    });
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'done', reason: 'AlreadyApplied' });
    await drive(deps);
    expect(puts()).toHaveLength(0);
    expect(await row()).toMatchObject({ state: 'Succeeded', reason: 'ReconfigureSucceeded' });
  });

  it('an extension changed out of band (not the hop start, not the target) fails UnexpectedVersion', async () => {
    const { deps, row, puts } = setup();
    await seed(deps, cluster('c1', { extensions: [osm('1.1.1-1')] }), {
      plannedAction: 'upgrade',
      from: '1.0.0-1',
    });
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'stalled', reason: 'UnexpectedVersion' });
    expect(await row()).toMatchObject({ state: 'Failed', reason: 'UnexpectedVersion' });
    expect(puts()).toHaveLength(0);
  });

  it('an adopted extension is upgraded under its own name', async () => {
    const { deps, puts } = setup();
    const mine = osm('1.1.1-1', {}, { name: 'my-mesh' });
    await seed(deps, cluster('c1', { extensions: [mine] }), {
      plannedAction: 'upgrade',
      from: '1.1.1-1',
      extensionName: 'my-mesh',
    });
    await applyClusterStep(deps, step());
    await drive(deps);
    expect(puts().map((p) => p.name)).toEqual(['my-mesh']);
    expect(deps.arm.cluster(ID).extensions.map((e) => `${e.name}@${e.version}`)).toEqual(['my-mesh@1.2.6']);
  });

  it('an upgrade whose extension vanished fails ExtensionNotFound instead of installing a hop', async () => {
    const { deps, puts, row } = setup();
    await seed(deps, c1, { plannedAction: 'upgrade', from: '1.1.1-1' });
    expect(await applyClusterStep(deps, step())).toEqual({ outcome: 'stalled', reason: 'ExtensionNotFound' });
    expect((await row()).state).toBe('Failed');
    expect(puts()).toHaveLength(0);
  });

  it('a cancelled rollout: the hop in flight finishes, no further hop starts (row Cancelled)', async () => {
    const { deps, freed, row, puts } = setup();
    await seed(deps, cluster('c1', { extensions: [osm('1.0.0')] }), {
      plannedAction: 'upgrade',
      from: '1.0.0',
      path: ['1.1.1-1', '1.2.6'],
    });
    await applyClusterStep(deps, step());
    const stored = (await deps.rollouts.get('r1'))!;
    const cancelled = { ...stored.value.rollout, state: 'Cancelled' as const };
    await deps.rollouts.update({ ...stored.value, rollout: cancelled }, stored.etag);
    await drive(deps);
    expect(puts().map((p) => p.desired!.version)).toEqual(['1.1.1-1']);
    expect(await row()).toMatchObject({
      state: 'Cancelled',
      reason: 'RolloutCancelled',
      hop: 1,
      lastAppliedVersion: '1.1.1-1',
    });
    expect((await row()).operation).toBeUndefined();
    expect(await held(deps)).toBe(false);
    expect(freed).toEqual(['r1']);
    expect(deps.history.events.at(-1)).toMatchObject({ action: 'RolloutCancelled', from: '1.1.1-1' });
  });

  it('a cancelled rollout still finishes a hop whose intent was written (the PUT may have gone out)', async () => {
    const { deps, row, puts } = setup();
    await seed(deps, c1);
    deps.arm.failNext.beginPutExtension = [new TransientError('ARM unavailable', 0)];
    await applyClusterStep(deps, step()); // intent written, PUT failed: requeued with the intent kept
    const stored = (await deps.rollouts.get('r1'))!;
    const cancelled = { ...stored.value.rollout, state: 'Cancelled' as const };
    await deps.rollouts.update({ ...stored.value, rollout: cancelled }, stored.etag);
    deps.clock.advance(INTENT_GRACE_MS + 1);
    await drive(deps);
    expect(puts()).toHaveLength(2);
    expect(await row()).toMatchObject({ state: 'Succeeded', lastAppliedVersion: '1.2.6' });
  });

  it('steps share a copy of the rollout up to ROLLOUT_STATE_MAX_AGE_MS old; a cancel stops every step begun later', async () => {
    const { deps, puts } = setup();
    const [c2, c3] = [cluster('c2'), cluster('c3')];
    for (const c of [c1, c2, c3]) deps.arm.addCluster(c);
    await deps.rollouts.create(rolloutRecord(), [clusterRow(c1), clusterRow(c2), clusterRow(c3)]);
    const get = deps.rollouts.get.bind(deps.rollouts);
    let rolloutReads = 0;
    deps.rollouts.get = (id) => (rolloutReads++, get(id));
    const stepOf = (c: { id: string }): ClusterWorkMessage => ({
      rolloutId: 'r1',
      clusterId: c.id.toLowerCase(),
      hop: 0,
    });
    const rowOf = async (c: { id: string }) =>
      (await deps.rollouts.getCluster('r1', c.id.toLowerCase()))!.value;

    expect(await applyClusterStep(deps, stepOf(c1))).toMatchObject({ reason: 'OperationStarted' });
    deps.clock.advance(ROLLOUT_STATE_MAX_AGE_MS / 2);
    expect(await applyClusterStep(deps, stepOf(c2))).toMatchObject({ reason: 'OperationStarted' });
    expect(rolloutReads).toBe(1);

    const stored = (await get('r1'))!;
    const cancelled = { ...stored.value.rollout, state: 'Cancelled' as const };
    await deps.rollouts.update({ ...stored.value, rollout: cancelled }, stored.etag);
    deps.clock.advance(ROLLOUT_STATE_MAX_AGE_MS / 2 + 1);
    await applyClusterStep(deps, stepOf(c3));
    expect(rolloutReads).toBe(2);
    expect(await rowOf(c3)).toMatchObject({ state: 'Cancelled', reason: 'RolloutCancelled' });
    expect(puts().map((p) => p.clusterId.toLowerCase())).toEqual([c1, c2].map((c) => c.id.toLowerCase()));
  });

  it('protected settings reach ARM but never a log line, the history or the row', async () => {
    const { deps, puts } = setup();
    await seed(deps, c1);
    deps.arm.failNext.beginPutExtension = [new TerminalError('BadRequest', 'bad request')];
    await applyClusterStep(deps, step());
    const v = (await deps.rollouts.getCluster('r1', ID))!;
    await deps.rollouts.updateCluster({ ...v.value, state: 'InProgress' }, v.etag);
    await applyClusterStep(deps, step());
    await drive(deps);
    expect(puts().at(-1)!.desired!.configurationProtectedSettings).toEqual({ 'osm.osm.secretThing': SECRET });
    const text = JSON.stringify([deps.log.lines, deps.history.events, deps.rollouts.clusterTable.values()]);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('secretThing');
  });
});
