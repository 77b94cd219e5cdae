import { describe, expect, it } from 'vitest';
import { desiredDataCollectionRule } from '../../shared/domain/containerInsights.js';
import { TerminalError, TransientError } from '../../shared/domain/errors.js';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import { MAX_MONITOR_ATTEMPTS } from '../../shared/domain/clusterHop/monitorRows.js';
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

const CUSTOMER_ID = '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01';
/** A cluster whose Container insights extension already sends to WORKSPACE with managed-identity auth. */
const clusterWithMonitor = () =>
  cluster('c1', {
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
const ruleIdOf = (c = cluster('c1')) =>
  `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Insights/dataCollectionRules/MSCI-westeurope-${c.name}`;

/** A cluster whose OSM install just succeeded, monitor onboarding queued; the workspace is in West Europe. */
async function setup(c = cluster('c1', { extensions: [osm('1.2.6')] }), policy = monitored) {
  const deps = fakeDeps();
  deps.monitorArm.addWorkspace({ id: WORKSPACE, location: 'West Europe', customerId: CUSTOMER_ID });
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
  const monitorWrites = () =>
    deps.monitorArm.calls.filter(
      (x) => x.method === 'putDataCollectionRule' || x.method === 'putAssociation',
    );
  const osmState = async () => {
    const r = await row();
    return [r.state, r.reason, r.message, r.lastAppliedVersion, r.operation, r.hop];
  };
  return { deps, freed, row, puts, monitorWrites, osmState, before: await osmState() };
}

describe('onboardMonitor', () => {
  it('installs azuremonitor-containers, checks the operation, records the namespaces; OSM state untouched', async () => {
    const { deps, freed, row, puts, monitorWrites, osmState, before } = await setup();
    expect(await onboardMonitor(deps, msg())).toEqual({ outcome: 'done', reason: 'MonitorStarted' });
    // the rule (workspace region, cluster name) and the association exist before the extension PUT
    const rule = deps.monitorArm.rules.get(ruleIdOf().toLowerCase());
    expect(rule).toMatchObject({
      location: 'westeurope',
      kind: 'Linux',
      extensions: [
        {
          name: 'ContainerInsightsExtension',
          extensionName: 'ContainerInsights',
          streams: ['Microsoft-ContainerInsights-Group-Default'],
        },
      ],
      logAnalytics: [{ name: 'la-workspace', workspaceResourceId: WORKSPACE }],
      dataFlows: [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['la-workspace'] }],
    });
    expect(deps.monitorArm.association(cluster('c1').id, 'ContainerInsightsExtension')).toMatchObject({
      dataCollectionRuleId: ruleIdOf(),
    });
    const order = [...deps.monitorArm.calls.map((x) => x.method), ...deps.arm.calls.map((x) => x.method)];
    expect(order.indexOf('putAssociation')).toBeLessThan(order.indexOf('beginPutExtension'));
    expect(monitorWrites()).toHaveLength(2);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.desired!.configurationProtectedSettings).toEqual({
      'amalogs.secret.wsid': CUSTOMER_ID,
      'omsagent.secret.wsid': CUSTOMER_ID,
      'amalogs.secret.key': '<not_used>',
      'omsagent.secret.key': '<not_used>',
    });
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
    expect(installed.message).toContain(ruleIdOf());
    expect(monitorWrites()).toHaveLength(2); // the success check found rule and association in place
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

  it('an extension already sending to the workspace, with its association, is not PUT again', async () => {
    const c = clusterWithMonitor();
    const { deps, row, puts, monitorWrites } = await setup(c);
    await deps.monitorArm.putDataCollectionRule(
      desiredDataCollectionRule(ruleIdOf(), {
        id: WORKSPACE,
        location: 'westeurope',
        customerId: CUSTOMER_ID,
      }),
    );
    await deps.monitorArm.putAssociation(c.id, 'ContainerInsightsExtension', {
      dataCollectionRuleId: ruleIdOf(),
      description: 'x',
    });
    deps.monitorArm.calls.length = 0;
    expect(await onboardMonitor(deps, msg(c))).toEqual({ outcome: 'done', reason: 'MonitorInstalled' });
    expect(puts()).toHaveLength(0);
    expect(monitorWrites()).toHaveLength(0);
    expect((await row()).monitor).toBe('Succeeded');
  });

  it('an extension found without its association gets the association, then is PUT again with every setting', async () => {
    // installed by a raw PUT (or an older osm-fleet): it may lack amalogs.secret.wsid, which cannot be read back
    const c = clusterWithMonitor();
    const { deps, row, puts, monitorWrites } = await setup(c);
    expect(await onboardMonitor(deps, msg(c))).toEqual({ outcome: 'done', reason: 'MonitorStarted' });
    expect(monitorWrites().map((x) => x.method)).toEqual(['putDataCollectionRule', 'putAssociation']);
    expect(puts()).toHaveLength(1);
    expect(puts()[0]!.desired!.configurationProtectedSettings['amalogs.secret.wsid']).toBe(CUSTOMER_ID);
    await drive(deps);
    expect((await row()).monitor).toBe('Succeeded');
    expect(puts()).toHaveLength(1);
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

  it('OpenShift is refused with its reason in history: no rule, no association, no extension', async () => {
    const c = cluster('c1', { distribution: 'openshift', extensions: [osm('1.2.6')] });
    const { deps, puts, monitorWrites, row, osmState, before } = await setup(c);
    expect(await onboardMonitor(deps, msg(c))).toEqual({
      outcome: 'stalled',
      reason: 'MonitorUnsupportedDistribution',
    });
    expect(puts()).toHaveLength(0);
    expect(monitorWrites()).toHaveLength(0);
    expect(await row()).toMatchObject({
      monitor: 'Failed',
      monitorProgress: { reason: 'MonitorUnsupportedDistribution' },
    });
    const failed = deps.history.events.find((e) => e.action === 'MonitorFailed')!;
    expect(failed).toMatchObject({ reason: 'MonitorUnsupportedDistribution', result: 'Failed' });
    expect(failed.message).toContain('OpenShift');
    expect(deps.queue.sent).toHaveLength(0);
    expect(await osmState()).toEqual(before);
  });

  it('a workspace that cannot be found fails onboarding before any write', async () => {
    const { deps, puts, monitorWrites, row } = await setup();
    deps.monitorArm.workspaces.clear();
    expect(await onboardMonitor(deps, msg())).toEqual({
      outcome: 'stalled',
      reason: 'MonitorWorkspaceNotFound',
    });
    expect(puts()).toHaveLength(0);
    expect(monitorWrites()).toHaveLength(0);
    expect((await row()).monitor).toBe('Failed');
  });

  it('a throttled rule PUT is retried after Retry-After without counting an attempt; then all is made once', async () => {
    const { deps, puts, monitorWrites, row } = await setup();
    deps.monitorArm.failNext.putDataCollectionRule = [new TransientError('throttled', 7_000, 'ArmThrottled')];
    expect(await onboardMonitor(deps, msg())).toEqual({
      outcome: 'requeued',
      reason: 'ArmThrottled',
      delayMs: 7_000,
    });
    expect(puts()).toHaveLength(0);
    expect((await row()).monitorProgress?.attempts ?? 0).toBe(0);
    expect(deps.queue.drain()).toEqual([{ queue: 'monitor-steps', message: msg(), delayMs: 7_000 }]);
    expect(await onboardMonitor(deps, msg())).toEqual({ outcome: 'done', reason: 'MonitorStarted' });
    // the throttled PUT, its retry, then the association
    expect(monitorWrites().map((x) => x.method)).toEqual([
      'putDataCollectionRule',
      'putDataCollectionRule',
      'putAssociation',
    ]);
    expect(puts()).toHaveLength(1);
  });

  it('a rule sending elsewhere is rewritten (its tags kept); an association to another rule is repointed', async () => {
    const { deps, row } = await setup();
    const other = `${WORKSPACE}-old`;
    await deps.monitorArm.putDataCollectionRule({
      id: ruleIdOf(),
      location: 'westeurope',
      tags: { owner: 'team-a' },
      extensions: [],
      logAnalytics: [{ name: 'x', workspaceResourceId: other }],
      dataFlows: [],
    });
    await deps.monitorArm.putAssociation(cluster('c1').id, 'ContainerInsightsExtension', {
      dataCollectionRuleId: `${ruleIdOf()}-other`,
      description: 'by hand',
    });
    await onboardMonitor(deps, msg());
    await drive(deps);
    expect((await row()).monitor).toBe('Succeeded');
    const rule = deps.monitorArm.rules.get(ruleIdOf().toLowerCase())!;
    expect(rule.tags).toEqual({ owner: 'team-a' });
    expect(rule.logAnalytics).toEqual([{ name: 'la-workspace', workspaceResourceId: WORKSPACE }]);
    expect(
      deps.monitorArm.association(cluster('c1').id, 'ContainerInsightsExtension')?.dataCollectionRuleId,
    ).toBe(ruleIdOf());
  });

  it('an association removed while the extension installs is made again before MonitorInstalled', async () => {
    const { deps, row, monitorWrites } = await setup();
    await onboardMonitor(deps, msg());
    deps.queue.drain();
    deps.monitorArm.associations.clear();
    deps.arm.settleAll();
    expect(await onboardMonitor(deps, msg(undefined, 'op-1'))).toEqual({
      outcome: 'done',
      reason: 'MonitorInstalled',
    });
    expect(deps.monitorArm.association(cluster('c1').id, 'ContainerInsightsExtension')).toBeDefined();
    expect(monitorWrites().map((x) => x.method)).toEqual([
      'putDataCollectionRule',
      'putAssociation',
      'putAssociation',
    ]);
    expect((await row()).monitor).toBe('Succeeded');
  });

  it('falls back to settings.defaultWorkspaceId when the snapshot names no workspace', async () => {
    const { deps, puts } = await setup();
    const v = (await deps.rollouts.get('r1'))!;
    delete v.value.policy.monitor.logAnalyticsWorkspaceResourceId;
    await deps.rollouts.update(v.value, v.etag);
    deps.settings.defaultWorkspaceId = `${WORKSPACE}-default`;
    // the deployment knows the default workspace's region and customer ID: no workspace read for it
    deps.settings.defaultWorkspaceFacts = { location: 'East US', customerId: CUSTOMER_ID };
    await onboardMonitor(deps, msg());
    expect(deps.monitorArm.calls.filter((x) => x.method === 'getWorkspace')).toHaveLength(0);
    const rule = deps.monitorArm.rules.get(ruleIdOf().replace('westeurope', 'eastus').toLowerCase());
    expect(rule?.logAnalytics[0]?.workspaceResourceId).toBe(`${WORKSPACE}-default`);
    expect(puts()[0]!.desired!.configurationProtectedSettings['amalogs.secret.wsid']).toBe(CUSTOMER_ID);
    expect(puts()[0]!.desired!.configurationSettings.logAnalyticsWorkspaceResourceID).toBe(
      `${WORKSPACE}-default`,
    );
  });
});
