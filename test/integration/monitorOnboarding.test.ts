/**
 * Scenario 8: on a monitored policy, Azure Monitor is installed after each OSM install or upgrade: the
 * `azuremonitor-containers` extension points at the workspace, OSM runs with Prometheus scraping on, history
 * records `MonitorInstalled`; a failed onboarding is retried and never rolls OSM back; an unmonitored
 * policy installs no monitor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SUBS,
  afterWorkConsidered,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
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
const WS = `/subscriptions/${S}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/fleet-ws`;
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

    for (const c of monitored) {
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
      // managed-identity auth is not supported on OpenShift (vendor/reference/failure-modes.md, Azure Monitor)
      expect(mon.runningSettings['amalogs.useAADAuth'], c.name).toBe(c.name === 'm-ocp' ? 'false' : 'true');
      expect(mon.puts, c.name).toBe(c === flaky ? 2 : 1);

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
      if (c === flaky) expect(actions).toContain('MonitorAttemptFailed');
    }

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
