/**
 * Scenario 8, another workspace: a policy whose monitoring names a Log Analytics workspace other than the
 * stack's default one (created in ARM as a user would, in its own region) gets, per monitored cluster, the rule
 * `MSCI-{that workspace's region}-{cluster}` located in that region and sending to that workspace, the
 * `ContainerInsightsExtension` association, the monitor extension carrying that workspace's customer ID, and
 * the emulator says Container insights data would flow (which it checks against the workspace's customerId).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import {
  armCall,
  extensionOf,
  historyOf,
  type Json,
  putPolicy,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[1]!;
const TEAM_WS = `/subscriptions/${S}/resourceGroups/rg-team-logs/providers/Microsoft.OperationalInsights/workspaces/team-ws`;
const WS_API = 'api-version=2022-10-01';
const DCR_API = 'api-version=2022-06-01';
const MONITOR = 'azuremonitor-containers';
const clusters = [
  seedCluster(S, 'rg-team', 't-1'),
  seedCluster(S, 'rg-team', 't-2', { distribution: 'eks' }),
];

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, clusters);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('Azure Monitor onboarding to a workspace other than the default', () => {
  it("sends each cluster's data to the policy's workspace, in that workspace's region", async () => {
    const created = await armCall(stack, 'PUT', `${TEAM_WS}?${WS_API}`, {
      location: 'eastus',
      properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 },
    });
    expect(created.status).toBe(201);
    const customerId = String(created.body.properties.customerId);
    expect(customerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

    await putPolicy(stack, 'team', {
      target: { resourceGroups: ['rg-team'] },
      osm: { version: '1.2.6' },
      monitor: { enabled: true, logAnalyticsWorkspaceResourceId: TEAM_WS, namespaces: ['bookstore'] },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 2 }] },
    });
    const id = await startRollout(stack, 'team');
    expect((await waitRollout(stack, id)).state).toBe('Succeeded');

    for (const c of clusters) {
      const mon = await waitFor(
        async () => {
          const e = await extensionOf(stack, c.id, MONITOR);
          return e?.resource.properties.provisioningState === 'Succeeded' && e;
        },
        15_000,
        () => `${c.name}: ${stack.logs.slice(-15).join('\n')}`,
      );
      expect(mon.runningSettings.logAnalyticsWorkspaceResourceID, c.name).toBe(TEAM_WS);
      expect(mon.protectedSettingKeys, c.name).toContain('amalogs.secret.wsid');

      const ruleId = `/subscriptions/${S}/resourceGroups/rg-team/providers/Microsoft.Insights/dataCollectionRules/MSCI-eastus-${c.name}`;
      const rule = await armCall(stack, 'GET', `${ruleId}?${DCR_API}`);
      expect(rule.status, c.name).toBe(200);
      expect(rule.body.location, c.name).toBe('eastus');
      const destinations = rule.body.properties.destinations.logAnalytics as Json[];
      expect(destinations.map((d) => String(d.workspaceResourceId).toLowerCase())).toEqual([
        TEAM_WS.toLowerCase(),
      ]);
      const association = await armCall(
        stack,
        'GET',
        `${c.id}/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension?${DCR_API}`,
      );
      expect(association.status, c.name).toBe(200);
      expect(String(association.body.properties.dataCollectionRuleId).toLowerCase()).toBe(
        ruleId.toLowerCase(),
      );

      // data would flow: the emulator also checks amalogs.secret.wsid against the workspace's customerId
      const state = await stack.control.getCluster(c.id);
      expect(state.monitoring, c.name).toMatchObject({
        dataFlows: true,
        auth: 'managedIdentity',
        workspaceResourceId: TEAM_WS,
      });
      const protectedWsid = stack.emulator.state.clusters.get(c.id.toLowerCase())?.extensions.get(MONITOR)
        ?.protectedSettings['amalogs.secret.wsid'];
      expect(protectedWsid, c.name).toBe(customerId);

      const history = await waitFor(async () => {
        const h = await historyOf(stack, c.subscriptionId, c.resourceGroup, c.name);
        return h.find((e) => e.action === 'MonitorInstalled');
      });
      expect(history.message).toContain(`MSCI-eastus-${c.name}`);
    }
  });
});
