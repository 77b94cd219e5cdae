import { describe, expect, it } from 'vitest';
import { TerminalError } from '../../shared/domain/errors.js';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { MAX_MONITOR_ATTEMPTS } from '../../shared/services/monitorOutcome.js';
import { onboardMonitor } from '../../shared/services/onboardMonitor.js';
import { cluster, osm } from '../domain/fixtures.js';
import { CrashingRolloutStore, WORKSPACE, seed, testPolicy } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const monitored = testPolicy({
  monitor: {
    enabled: true,
    logAnalyticsWorkspaceResourceId: WORKSPACE,
    namespaces: ['bookstore', 'bookbuyer'],
  },
});
const msg = (c = cluster('c1'), operationId?: string): ClusterWorkMessage => ({
  rolloutId: 'r1',
  clusterId: c.id.toLowerCase(),
  hop: 1,
  ...(operationId ? { operationId } : {}),
});

/** A cluster whose OSM install just succeeded, monitor onboarding queued. */
async function setup(c = cluster('c1', { extensions: [osm('1.2.6')] }), policy = monitored) {
  const deps = fakeDeps();
  const freed: string[] = [];
  deps.onSlotFreed = async (id) => void freed.push(id);
  await seed(
    deps,
    c,
    {
      state: 'Succeeded',
      reason: 'InstallSucceeded',
      message: 'installed',
      hop: 1,
      lastAppliedVersion: '1.2.6',
      attempts: 1,
      monitor: 'Pending',
    },
    policy,
  );
  await deps.inventory.upsertMany([
    { cluster: c, discoveredAt: '2026-11-25T00:00:00Z', monitorInstalled: false },
  ]);
  const row = async () => (await deps.rollouts.getCluster('r1', c.id.toLowerCase()))!.value;
  const puts = () => deps.arm.calls.filter((x) => x.method === 'beginPutExtension');
  const osmState = async () => {
    const r = await row();
    return [r.state, r.reason, r.message, r.lastAppliedVersion, r.operation, r.hop];
  };
  return { deps, freed, row, puts, osmState, before: await osmState() };
}

describe('onboardMonitor', () => {
  it('installs azuremonitor-containers, checks the operation, records the namespaces; OSM state untouched', async () => {
    const { deps, freed, row, puts, osmState, before } = await setup();
    expect(await onboardMonitor(deps, msg())).toEqual({ outcome: 'done', reason: 'MonitorStarted' });
    expect(puts()).toHaveLength(1);
    expect(puts()[0]).toMatchObject({
      name: 'azuremonitor-containers',
      desired: {
        extensionType: 'Microsoft.AzureMonitor.Containers',
        releaseTrain: 'Stable',
        autoUpgradeMinorVersion: true,
        releaseNamespace: 'azuremonitor-containers',
        identity: 'SystemAssigned',
        configurationSettings: { logAnalyticsWorkspaceResourceID: WORKSPACE, 'amalogs.useAADAuth': 'true' },
      },
    });
    expect(await row()).toMatchObject({
      monitor: 'InProgress',
      monitorProgress: { attempts: 1, operation: { operationId: 'op-1' } },
    });
    expect(deps.queue.sent).toEqual([
      { queue: 'monitor-steps', message: msg(undefined, 'op-1'), delayMs: 15_000 },
    ]);
    expect(await onboardMonitor(deps, msg(undefined, 'op-1'))).toMatchObject({
      outcome: 'requeued',
      reason: 'MonitorInProgress',
    });

    deps.queue.drain();
    deps.arm.settleAll();
    expect(await onboardMonitor(deps, msg(undefined, 'op-1'))).toEqual({
      outcome: 'done',
      reason: 'MonitorInstalled',
    });
    const r = await row();
    expect(r).toMatchObject({
      monitor: 'Succeeded',
      monitorProgress: { reason: 'MonitorInstalled', namespaces: ['bookstore', 'bookbuyer'] },
    });
    expect(r.monitorProgress?.operation).toBeUndefined();
    expect(await osmState()).toEqual(before);
    const installed = deps.history.events.find((e) => e.action === 'MonitorInstalled')!;
    expect(installed).toMatchObject({ result: 'Succeeded', actor: 'rollout:r1' });
    expect(installed.message).toContain('bookstore, bookbuyer');
    expect((await deps.inventory.get(r.clusterId))!.value.monitorInstalled).toBe(true);
    expect(freed).toEqual([]);
    expect(await onboardMonitor(deps, msg())).toEqual({ outcome: 'ignored', reason: 'MonitorNotPending' });
  });

  it('failed operations are retried with exponential backoff, then monitor Failed; the OSM change stays', async () => {
    const { deps, row, puts, osmState, before } = await setup();
    deps.queue.sent.push({ queue: 'monitor-steps', message: msg(), delayMs: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 30 && deps.queue.sent.length; i++) {
      for (const m of deps.queue.drain()) {
        deps.clock.advance(m.delayMs);
        for (const op of deps.arm.operations.values())
          if (op.status.status === 'InProgress')
            deps.arm.settle(op.id, 'Failed', {
              code: 'ExtensionOperationFailed',
              message: 'ama pods not ready',
            });
        const r = await onboardMonitor(deps, m.message);
        if (r.outcome === 'requeued' && r.reason === 'ExtensionOperationFailed') delays.push(r.delayMs!);
      }
    }
    expect(puts()).toHaveLength(MAX_MONITOR_ATTEMPTS);
    expect(delays).toEqual([15_000, 30_000, 60_000]);
    expect(await row()).toMatchObject({
      monitor: 'Failed',
      monitorProgress: { attempts: 4, reason: 'ExtensionOperationFailed' },
    });
    expect((await row()).monitorProgress?.message).toContain('after 4 attempts');
    expect(await osmState()).toEqual(before);
    expect(deps.history.events.filter((e) => e.action === 'MonitorAttemptFailed')).toHaveLength(3);
    expect(deps.history.events.at(-1)).toMatchObject({ action: 'MonitorFailed', result: 'Failed' });
  });

  it('a terminal ARM error on the PUT fails onboarding at once (not retried blindly)', async () => {
    const { deps, row, osmState, before } = await setup();
    deps.arm.failNext.beginPutExtension = [
      new TerminalError('AuthorizationFailed', 'does not have authorization to perform action'),
    ];
    expect(await onboardMonitor(deps, msg())).toEqual({ outcome: 'stalled', reason: 'AuthorizationFailed' });
    expect(await row()).toMatchObject({
      monitor: 'Failed',
      monitorProgress: { reason: 'AuthorizationFailed' },
    });
    expect(deps.queue.sent).toHaveLength(0);
    expect(await osmState()).toEqual(before);
  });

  it('an extension already sending to the workspace is not PUT again', async () => {
    const c = cluster('c1', {
      extensions: [
        osm('1.2.6'),
        {
          name: 'azuremonitor-containers',
          extensionType: 'microsoft.azuremonitor.containers',
          version: '3.1.0',
          provisioningState: 'Succeeded',
          configurationSettings: {
            logAnalyticsWorkspaceResourceID: WORKSPACE.toLowerCase(),
            'amalogs.useAADAuth': 'true',
          },
        },
      ],
    });
    const { deps, row, puts } = await setup(c);
    expect(await onboardMonitor(deps, msg(c))).toEqual({ outcome: 'done', reason: 'MonitorInstalled' });
    expect(puts()).toHaveLength(0);
    expect((await row()).monitor).toBe('Succeeded');
  });

  it('a duplicate step after the PUT re-sends the check; a crash before the id was written polls the extension', async () => {
    const { deps, row, puts } = await setup();
    await onboardMonitor(deps, msg());
    deps.queue.drain();
    expect(await onboardMonitor(deps, msg())).toMatchObject({ outcome: 'requeued', reason: 'CheckResent' });
    expect(puts()).toHaveLength(1);

    const second = await setup(cluster('c2', { extensions: [osm('1.2.6')] }));
    const real = second.deps.rollouts;
    second.deps.rollouts = new CrashingRolloutStore(real, new Set([2]));
    const m = msg(cluster('c2'));
    await expect(onboardMonitor(second.deps, m)).rejects.toThrow('worker died');
    second.deps.rollouts = real;
    expect(await onboardMonitor(second.deps, m)).toMatchObject({
      outcome: 'requeued',
      reason: 'MonitorInProgress',
    });
    await drive(second.deps);
    expect(second.puts()).toHaveLength(1);
    expect((await second.row()).monitor).toBe('Succeeded');
    expect((await row()).monitor).toBe('InProgress');
  });

  it('OpenShift gets amalogs.useAADAuth "false" (managed identity auth is not supported there)', async () => {
    const c = cluster('c1', { distribution: 'openshift', extensions: [osm('1.2.6')] });
    const { deps, puts } = await setup(c);
    await onboardMonitor(deps, msg(c));
    expect(puts()[0]!.desired!.configurationSettings['amalogs.useAADAuth']).toBe('false');
  });

  it('falls back to settings.defaultWorkspaceId when the snapshot names no workspace', async () => {
    const { deps, puts } = await setup();
    const v = (await deps.rollouts.get('r1'))!;
    delete v.value.policy.monitor.logAnalyticsWorkspaceResourceId;
    await deps.rollouts.update(v.value, v.etag);
    deps.settings.defaultWorkspaceId = `${WORKSPACE}-default`;
    await onboardMonitor(deps, msg());
    expect(puts()[0]!.desired!.configurationSettings.logAnalyticsWorkspaceResourceID).toBe(
      `${WORKSPACE}-default`,
    );
  });
});
