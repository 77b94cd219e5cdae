// Microsoft.OperationalInsights/workspaces (2022-10-01): created with PUT as a user would (201, then 200),
// read with GET (body valid against the vendored spec, customerId a GUID made at create and kept), 404
// ResourceNotFound for an unknown one, seeded through the control API; a data collection rule sending to a
// known workspace must sit in its region (harsher reading); the Container insights verdict checks the
// extension's amalogs.secret.wsid against the workspace's customerId.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RG, SUB, startHarness, type Harness } from './harness.js';
import { SpecValidator } from './specSchemas.js';

const V = '?api-version=2022-10-01';
const SPEC =
  'operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Workspaces.json';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const wsPath = (name: string, rg = 'rg-logs') =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${name}`;
const dcrPath = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/dataCollectionRules/${name}`;
let h: Harness;

function rule(workspace: string, location: string) {
  const streams = ['Microsoft-ContainerInsights-Group-Default'];
  return {
    location,
    properties: {
      dataSources: {
        extensions: [{ name: 'ci', streams, extensionName: 'ContainerInsights', extensionSettings: {} }],
      },
      dataFlows: [{ streams, destinations: ['la'] }],
      destinations: { logAnalytics: [{ workspaceResourceId: workspace, name: 'la' }] },
    },
  };
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('Log Analytics workspaces', () => {
  it('creates (201), updates (200) and reads a workspace; customerId is a GUID made at create and kept', async () => {
    const created = await h.raw('PUT', `${wsPath('team-ws')}${V}`, {
      location: 'eastus',
      tags: { team: 'a' },
      properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30, customerId: 'ignored-read-only' },
    });
    expect(created.status).toBe(201);
    const body = created.body as { properties: Record<string, unknown> };
    expect(body).toMatchObject({
      id: wsPath('team-ws'),
      name: 'team-ws',
      type: 'Microsoft.OperationalInsights/workspaces',
      location: 'eastus',
      tags: { team: 'a' },
      properties: { provisioningState: 'Succeeded', sku: { name: 'PerGB2018' }, retentionInDays: 30 },
    });
    expect(body.properties.customerId).toMatch(GUID);
    expect(new SpecValidator().validate(SPEC, 'Workspace', body)).toEqual([]);

    const updated = await h.raw('PUT', `${wsPath('team-ws')}${V}`, {
      location: 'eastus',
      properties: { retentionInDays: 60 },
    });
    expect(updated.status).toBe(200);
    expect((updated.body as typeof body).properties.customerId).toBe(body.properties.customerId);
    const got = await h.raw('GET', `${wsPath('TEAM-ws')}${V}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ location: 'eastus', properties: { retentionInDays: 60 } });
    expect((got.body as typeof body).properties.customerId).toBe(body.properties.customerId);

    const other = await h.raw('PUT', `${wsPath('second-ws')}${V}`, { location: 'eastus' });
    expect((other.body as typeof body).properties.customerId).not.toBe(body.properties.customerId);
  });

  it('answers 404 ResourceNotFound for an unknown workspace and refuses bad bodies, wrong versions and moves', async () => {
    const missing = await h.raw('GET', `${wsPath('nope')}${V}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'ResourceNotFound' } });
    for (const bad of [{}, { location: 'eastus', properties: { retentionInDays: 'long' } }]) {
      const r = await h.raw('PUT', `${wsPath('bad-ws')}${V}`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'InvalidPayload' } });
    }
    expect((await h.raw('GET', `${wsPath('bad-ws')}${V}`)).status).toBe(404);
    const version = await h.raw('GET', `${wsPath('team-ws')}?api-version=2022-06-01`);
    expect(version.status).toBe(400);
    expect(version.body).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
    await h.raw('PUT', `${wsPath('fixed-ws')}${V}`, { location: 'eastus' });
    const moved = await h.raw('PUT', `${wsPath('fixed-ws')}${V}`, { location: 'westeurope' });
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ error: { code: 'InvalidResourceLocation' } });
  });

  it('seeds a workspace with a given customer ID through the control API', async () => {
    const customerId = '5b8e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';
    await h.control.seedWorkspace({
      subscriptionId: SUB,
      resourceGroup: 'rg-logs',
      name: 'seeded-ws',
      location: 'westeurope',
      customerId,
    });
    const got = await h.raw('GET', `${wsPath('seeded-ws')}${V}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ location: 'westeurope', properties: { customerId } });
  });

  it("refuses a data collection rule outside its workspace's region; in it, workspaceId is the customerId", async () => {
    const ws = await h.raw('PUT', `${wsPath('region-ws')}${V}`, { location: 'westeurope' });
    const customerId = (ws.body as { properties: { customerId: string } }).properties.customerId;
    const wrong = await h.raw(
      'PUT',
      `${dcrPath('MSCI-eastus-x')}?api-version=2022-06-01`,
      rule(wsPath('region-ws'), 'eastus'),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'InvalidPayload' } });
    expect((await h.raw('GET', `${dcrPath('MSCI-eastus-x')}?api-version=2022-06-01`)).status).toBe(404);
    const right = await h.raw(
      'PUT',
      `${dcrPath('MSCI-westeurope-x')}?api-version=2022-06-01`,
      rule(wsPath('region-ws'), 'westeurope'),
    );
    expect(right.status).toBe(200);
    const dest = (right.body as { properties: { destinations: { logAnalytics: { workspaceId: string }[] } } })
      .properties.destinations.logAnalytics[0];
    expect(dest?.workspaceId).toBe(customerId);
  });

  it("says no data flows when amalogs.secret.wsid is not the workspace's customerId", async () => {
    const ws = await h.raw('PUT', `${wsPath('flow-ws')}${V}`, { location: 'eastus' });
    const customerId = (ws.body as { properties: { customerId: string } }).properties.customerId;
    const ruleId = dcrPath('MSCI-eastus-flow');
    expect(
      (await h.raw('PUT', `${ruleId}?api-version=2022-06-01`, rule(wsPath('flow-ws'), 'eastus'))).status,
    ).toBe(200);
    for (const [name, wsid] of [
      ['flow-ok', customerId],
      ['flow-wrong', '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      await h.control.seed({
        explicit: [
          {
            subscriptionId: SUB,
            resourceGroup: RG,
            name,
            extensions: [
              {
                name: 'azuremonitor-containers',
                extensionType: 'Microsoft.AzureMonitor.Containers',
                configurationSettings: {
                  logAnalyticsWorkspaceResourceID: wsPath('flow-ws'),
                  'amalogs.useAADAuth': 'true',
                },
                protectedSettings: { 'amalogs.secret.wsid': wsid },
                provisioningState: 'Succeeded',
              },
            ],
          },
        ],
      });
      const assoc = await h.raw(
        'PUT',
        `${h.clusterId(name)}/providers/Microsoft.Insights/dataCollectionRuleAssociations/ContainerInsightsExtension?api-version=2022-06-01`,
        { properties: { dataCollectionRuleId: ruleId } },
      );
      expect(assoc.status).toBe(200);
    }
    expect((await h.control.getCluster(h.clusterId('flow-ok'))).monitoring.dataFlows).toBe(true);
    const wrong = (await h.control.getCluster(h.clusterId('flow-wrong'))).monitoring;
    expect(wrong.dataFlows).toBe(false);
    expect(wrong.reason).toContain('customer ID');
  });
});
