/**
 * Scenario 8: on a monitored policy, Azure Monitor is installed after each OSM install or upgrade: ARM
 * shows the data collection rule `MSCI-{workspaceRegion}-{cluster}` sending to the policy's workspace and the
 * cluster's `ContainerInsightsExtension` association to it, the `azuremonitor-containers` extension points
 * at the workspace with managed-identity auth, the emulator says Container insights data would flow, OSM
 * runs with Prometheus scraping on, history records `MonitorInstalled`; a failed onboarding is retried and
 * never rolls OSM back; OpenShift is refused with its reason; an unmonitored policy installs no monitor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STACK_WORKSPACE,
  SUBS,
  afterWorkConsidered,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
  armCall,
  extensionOf,
  historyOf,
  type Json,
  osmExt,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[1]!;
const WS = STACK_WORKSPACE; // westeurope
const DCR_API = 'api-version=2022-06-01';
const MONITOR = 'azuremonitor-containers';
const monitored = [
  seedCluster(S, 'rg-mon', 'm-new'),
  seedCluster(S, 'rg-mon', 'm-ocp', { distribution: 'openshift' }),
  seedCluster(S, 'rg-mon', 'm-old', { distribution: 'gke', extensions: [osmExt('1.1.1-1')] }),
  seedCluster(S, 'rg-mon', 'm-flaky', { distribution: 'eks' }),
];
const plain = seedCluster(S, 'rg-plain', 'p-1');

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [...monitored, plain]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('Azure Monitor onboarding', () => {
  it('installs the monitor extension after each OSM install or upgrade', async () => {
    const flaky = monitored.find((c) => c.name === 'm-flaky')!;
    await stack.control.addInstallOutcome({
      clusterIds: [flaky.id],
      extensionType: 'Microsoft.AzureMonitor.Containers',
      count: 1,
      code: 'DataCollectionRuleMissing',
      message: 'injected monitor failure',
    });
    await putPolicy(stack, 'mon', {
      target: { resourceGroups: ['rg-mon'] },
      osm: { version: '1.2.6' },
      monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WS, namespaces: ['bookstore'] },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 4 }] },
    });
    const id = await startRollout(stack, 'mon');
    expect((await waitRollout(stack, id)).state).toBe('Succeeded');

    const sending = monitored.filter((c) => c.name !== 'm-ocp');
    for (const c of sending) {
      const mon = await waitFor(
        async () => {
          const e = await extensionOf(stack, c.id, MONITOR);
          return e?.resource.properties.provisioningState === 'Succeeded' && e;
        },
        15_000,
        () => `${c.name}: ${stack.logs.slice(-15).join('\n')}`,
      );
      expect(String(mon.resource.properties.extensionType).toLowerCase()).toBe(
        'microsoft.azuremonitor.containers',
      );
      expect(mon.runningSettings.logAnalyticsWorkspaceResourceID).toBe(WS);
      expect(mon.runningSettings['amalogs.useAADAuth'], c.name).toBe('true');
      expect(mon.puts, c.name).toBe(c === flaky ? 2 : 1);

      // ARM: the association on the cluster, and the rule it points at sends to the policy's workspace
      const ruleId = `/subscriptions/${S}/resourceGroups/rg-mon/providers/Microsoft.Insights/dataCollectionRules/MSCI-westeurope-${c.name}`;
      const association = await armCall(
        stack,
        'GET',
        `${c.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension?${DCR_API}`,
      );
      expect(association.status, c.name).toBe(200);
      expect(String(association.body.properties.dataCollectionRuleId).toLowerCase()).toBe(
        ruleId.toLowerCase(),
      );
      const rule = await armCall(stack, 'GET', `${ruleId}?${DCR_API}`);
      expect(rule.status, c.name).toBe(200);
      expect(rule.body.location).toBe('westeurope');
      const destinations = rule.body.properties.destinations.logAnalytics as Json[];
      expect(destinations.map((d) => String(d.workspaceResourceId).toLowerCase())).toEqual([
        WS.toLowerCase(),
      ]);
      expect(rule.body.properties.dataFlows).toEqual([
        { streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: [destinations[0]!.name] },
      ]);
      // ... and Container insights data would flow
      const state = await stack.control.getCluster(c.id);
      expect(state.monitoring, c.name).toMatchObject({
        dataFlows: true,
        auth: 'managedIdentity',
        workspaceResourceId: WS,
      });
      expect(String(state.monitoring.dataCollectionRuleId).toLowerCase()).toBe(ruleId.toLowerCase());

      const osm = await extensionOf(stack, c.id);
      expect(osm?.resource.properties.currentVersion, c.name).toBe('1.2.6');
      expect(osm?.runningSettings['osm.osm.enablePrometheusScraping'], c.name).toBe('true');

      const history = await waitFor(async () => {
        const h = await historyOf(stack, c.subscriptionId, c.resourceGroup, c.name);
        return h.some((e) => e.action === 'MonitorInstalled') && h;
      });
      const actions = history.map((e: Json) => e.action as string).reverse(); // oldest first
      const osmDone = actions.findIndex((a) => a === 'InstallSucceeded' || a === 'UpgradeSucceeded');
      expect(osmDone, `${c.name}: ${actions.join(',')}`).toBeGreaterThanOrEqual(0);
      expect(actions.indexOf('MonitorStarted')).toBeGreaterThan(osmDone);
      const installed = history.find((e: Json) => e.action === 'MonitorInstalled');
      expect(installed.message).toContain('bookstore');
      expect(installed.message).toContain(`MSCI-westeurope-${c.name}`);
      if (c === flaky) expect(actions).toContain('MonitorAttemptFailed');
    }

    // one rule PUT and one association PUT per monitored cluster, whatever the redeliveries and checks
    const stats = await stack.control.stats();
    expect(stats.requestsByOperation['dataCollectionRule:PUT']).toBe(sending.length);
    expect(stats.requestsByOperation['dcrAssociations:PUT']).toBe(sending.length);

    // OpenShift: refused with its reason, no rule, no association, no monitor extension
    const ocp = monitored.find((c) => c.name === 'm-ocp')!;
    const refused = await waitFor(async () => {
      const h = await historyOf(stack, S, 'rg-mon', 'm-ocp');
      return h.find((e) => e.action === 'MonitorFailed');
    });
    expect(refused).toMatchObject({ reason: 'MonitorUnsupportedDistribution', result: 'Failed' });
    expect(refused.message).toContain('OpenShift');
    expect(await extensionOf(stack, ocp.id, MONITOR)).toBeUndefined();
    const ocpAssociation = await armCall(
      stack,
      'GET',
      `${ocp.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension?${DCR_API}`,
    );
    expect(ocpAssociation.status).toBe(404);
    expect((await stack.control.getCluster(ocp.id)).monitoring.dataFlows).toBe(false);
    expect((await extensionOf(stack, ocp.id))?.resource.properties.currentVersion).toBe('1.2.6');

    // the OSM rows stay Succeeded through the monitor failure; the cluster view shows the monitor
    const rows = await rowsOf(stack, id);
    for (const c of monitored) expect(rows.get(c.id.toLowerCase())?.state).toBe('Succeeded');
    const view = await stack.api('GET', `/api/clusters/${S}/rg-mon/m-flaky`);
    expect(view.status).toBe(200);
    expect(view.body.monitor).toEqual({ installed: true });
  });

  it('installs no monitor on an unmonitored policy', async () => {
    await putPolicy(stack, 'plain', {
      target: { resourceGroups: ['rg-plain'] },
      osm: { version: '1.2.6' },
    });
    const id = await startRollout(stack, 'plain');
    expect((await waitRollout(stack, id)).state).toBe('Succeeded');
    await afterWorkConsidered(stack); // two reconcile passes and every message handled
    const row = await stack.app.store.rollouts.getCluster(id, plain.id);
    expect(row?.value).toMatchObject({ state: 'Succeeded', monitor: 'NotRequested' });
    const state = await stack.control.getCluster(plain.id);
    expect(state.extensions.map((e) => e.resource.name)).toEqual(['osm']);
    expect(state.extensions[0]?.runningSettings['osm.osm.enablePrometheusScraping']).not.toBe('true');
  });
});
