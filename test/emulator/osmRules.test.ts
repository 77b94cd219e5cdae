// OSM and extension rules: one OSM per cluster, pinned versions, release trains, upgrade hops (skip a minor,
// downgrade, major jump, CRD step), settings reset on update, OpenShift privileged init, Azure Monitor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSM_BODY, POLL, RG, SUB, extPath, startHarness, type Harness } from './harness.js';

const V = '?api-version=2023-05-01';
let h: Harness;
let n = 0;

async function newCluster(distribution = 'aks'): Promise<string> {
  const name = `cl-${++n}`;
  await h.control.seed({ explicit: [{ subscriptionId: SUB, resourceGroup: RG, name, distribution }] });
  return name;
}

function install(cluster: string, name: string, version: string, settings: Record<string, string> = {}) {
  return h.client.extensions.beginCreateAndWait(
    RG,
    'Microsoft.Kubernetes',
    'connectedClusters',
    cluster,
    name,
    OSM_BODY(version, settings),
    POLL,
  );
}

function upgrade(cluster: string, version: string, settings?: Record<string, string>) {
  return h.client.extensions.beginUpdateAndWait(
    RG,
    'Microsoft.Kubernetes',
    'connectedClusters',
    cluster,
    'osm',
    { version, autoUpgradeMinorVersion: false, ...(settings ? { configurationSettings: settings } : {}) },
    POLL,
  );
}

/** The SDK only reports ResourceOperationFailure; the agent's reason is in errorInfo and statuses. */
async function expectFailed(op: Promise<unknown>, cluster: string, reason: RegExp): Promise<void> {
  await expect(op).rejects.toThrow(/ResourceOperationFailure.*terminal provisioning state 'Failed'/);
  const ext = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', cluster, 'osm');
  expect(ext.provisioningState).toBe('Failed');
  expect(ext.errorInfo?.message).toMatch(reason);
  expect(ext.statuses?.[0]?.message).toMatch(reason);
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('one OSM per cluster', () => {
  it('refuses a second OSM extension under another name with a 400 naming the rule', async () => {
    const c = await newCluster();
    await install(c, 'osm', '1.2.6');
    const second = await h.raw('PUT', `${extPath(c, 'open-service-mesh')}${V}`, {
      properties: OSM_BODY('1.2.6'),
    });
    expect(second.status).toBe(400);
    expect(JSON.stringify(second.body)).toMatch(
      /Only one instance of extension type 'microsoft.openservicemesh'/,
    );
    const caseVariant = await h.raw('PUT', `${extPath(c, 'mesh2')}${V}`, {
      properties: { ...OSM_BODY('1.2.6'), extensionType: 'MICROSOFT.OpenServiceMesh' },
    });
    expect(caseVariant.status).toBe(400);
    // Re-PUT of the same extension (any name casing) is an update, not a second instance.
    expect((await h.raw('PUT', `${extPath(c, 'OSM')}${V}`, { properties: OSM_BODY('1.2.6') })).status).toBe(
      200,
    );
  });
});

describe('version pinning and release trains', () => {
  it('a pinned version requires autoUpgradeMinorVersion false; pilot/staging need a version', async () => {
    const c = await newCluster();
    const pinnedAuto = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, {
      properties: { ...OSM_BODY('1.2.6'), autoUpgradeMinorVersion: true },
    });
    expect(pinnedAuto.status).toBe(400);
    const pinnedDefault = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, {
      properties: { extensionType: 'microsoft.openservicemesh', version: '1.2.6' },
    });
    expect(pinnedDefault.status).toBe(400);
    const pilot = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, {
      properties: {
        extensionType: 'microsoft.openservicemesh',
        autoUpgradeMinorVersion: false,
        releaseTrain: 'pilot',
      },
    });
    expect(pilot.status).toBe(400);
    const ok = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, {
      properties: { ...OSM_BODY('1.2.3'), releaseTrain: 'staging' },
    });
    expect(ok.status).toBe(201);
  });

  it('an unknown version fails the operation', async () => {
    const c = await newCluster();
    await expectFailed(install(c, 'osm', '1.3.0'), c, /Failed to resolve the extension version/);
  });
});

describe('upgrade hops', () => {
  it('one published minor at a time: 0.9.2 -> 0.11.1 is one step; rebuilds order after their base', async () => {
    const c = await newCluster();
    await install(c, 'osm', '1.0.0');
    expect((await upgrade(c, '1.0.0-1')).currentVersion).toBe('1.0.0-1');
    expect((await upgrade(c, '1.1.1')).currentVersion).toBe('1.1.1');
    expect((await upgrade(c, '1.1.1-1')).currentVersion).toBe('1.1.1-1');
    expect((await upgrade(c, '1.2.3')).currentVersion).toBe('1.2.3');
    expect((await upgrade(c, '1.2.6')).currentVersion).toBe('1.2.6');
  });

  it('skipping a minor, going down or jumping a major fails with a helm-style message and keeps the old version', async () => {
    const c = await newCluster();
    await install(c, 'osm', '1.0.0');
    await expectFailed(upgrade(c, '1.2.6'), c, /UPGRADE FAILED.*one minor version at a time/);
    let got = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', c, 'osm');
    expect(got.provisioningState).toBe('Failed');
    expect(got.currentVersion).toBe('1.0.0');
    expect(got.statuses?.[0]?.code).toBe('InstallationFailed');
    expect(got.errorInfo?.message).toMatch(/UPGRADE FAILED/);
    await expectFailed(upgrade(c, '0.11.1'), c, /downgrade/);
    const d = await newCluster();
    await h.control.markCrdPrepared(h.clusterId(d));
    await install(d, 'osm', '0.11.1');
    await expectFailed(upgrade(d, '1.1.1'), d, /major version upgrade/);
    expect((await upgrade(d, '1.0.0')).currentVersion).toBe('1.0.0');
    got = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', d, 'osm');
    expect(got.provisioningState).toBe('Succeeded');
  });

  it('hops needing the manual CRD step fail until the cluster is marked CRD-prepared', async () => {
    const c = await newCluster();
    await install(c, 'osm', '0.8.4');
    await expectFailed(upgrade(c, '0.9.0'), c, /CRD/);
    await h.control.markCrdPrepared(h.clusterId(c));
    expect((await upgrade(c, '0.9.2')).currentVersion).toBe('0.9.2');
    await h.control.markCrdPrepared(h.clusterId(c), false);
    await expectFailed(upgrade(c, '0.11.1'), c, /CRD/);
    await h.control.markCrdPrepared(h.clusterId(c));
    expect((await upgrade(c, '0.11.1')).currentVersion).toBe('0.11.1');
    // Hops from 0.11.1 upgrade their CRDs themselves.
    await h.control.markCrdPrepared(h.clusterId(c), false);
    expect((await upgrade(c, '1.0.0')).currentVersion).toBe('1.0.0');
    expect((await upgrade(c, '1.1.1')).currentVersion).toBe('1.1.1');
  });
});

describe('configuration settings', () => {
  it('an update that omits settings resets them to the chart defaults; the ARM view keeps them', async () => {
    const c = await newCluster();
    await install(c, 'osm', '1.2.3', {
      'osm.osm.enablePermissiveTrafficPolicy': 'false',
      'osm.osm.envoyLogLevel': 'debug',
    });
    let state = await h.control.getCluster(h.clusterId(c));
    expect(state.extensions[0]?.runningSettings['osm.osm.enablePermissiveTrafficPolicy']).toBe('false');
    expect(state.extensions[0]?.runningSettings['osm.osm.envoyLogLevel']).toBe('debug');
    await upgrade(c, '1.2.6');
    state = await h.control.getCluster(h.clusterId(c));
    expect(state.extensions[0]?.runningSettings['osm.osm.enablePermissiveTrafficPolicy']).toBe('true');
    expect(state.extensions[0]?.runningSettings['osm.osm.envoyLogLevel']).toBe('error');
    expect(state.extensions[0]?.resource.properties.configurationSettings).toMatchObject({
      'osm.osm.envoyLogLevel': 'debug',
    });
  });

  it('resending the settings keeps them; a PUT that omits a key drops it; protected values are never shown', async () => {
    const c = await newCluster();
    const settings = { 'osm.osm.enablePermissiveTrafficPolicy': 'false', 'osm.osm.enableEgress': 'true' };
    await h.client.extensions.beginCreateAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      c,
      'osm',
      { ...OSM_BODY('1.2.3', settings), configurationProtectedSettings: { 'osm.osm.token': 'hunter2' } },
      POLL,
    );
    await upgrade(c, '1.2.6', settings);
    let state = await h.control.getCluster(h.clusterId(c));
    expect(state.extensions[0]?.runningSettings).toMatchObject(settings);
    expect(state.extensions[0]?.protectedSettingKeys).toEqual(['osm.osm.token']);
    expect(JSON.stringify(state)).not.toContain('hunter2');
    await install(c, 'osm', '1.2.6', { 'osm.osm.enableEgress': 'true' });
    state = await h.control.getCluster(h.clusterId(c));
    expect(state.extensions[0]?.runningSettings['osm.osm.enablePermissiveTrafficPolicy']).toBe('true');
    expect(state.extensions[0]?.resource.properties.configurationSettings).toEqual({
      'osm.osm.enableEgress': 'true',
    });
  });
});

describe('OpenShift', () => {
  it('fails without the privileged init container in the key scheme of the version, succeeds with it', async () => {
    const c = await newCluster('OpenShift');
    await expectFailed(install(c, 'osm', '1.2.6'), c, /privileged/);
    await expectFailed(
      install(c, 'osm', '1.2.6', { 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' }),
      c,
      /privileged/,
    );
    expect(
      (await install(c, 'osm', '1.2.6', { 'osm.osm.enablePrivilegedInitContainer': 'true' }))
        .provisioningState,
    ).toBe('Succeeded');
    const old = await newCluster('openshift');
    await h.control.markCrdPrepared(h.clusterId(old));
    expect(
      (await install(old, 'osm', '0.11.1', { 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' }))
        .currentVersion,
    ).toBe('0.11.1');
    // Crossing 1.0 without translating the key: the setting is lost, pods cannot start.
    await expectFailed(
      upgrade(old, '1.0.0', { 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' }),
      old,
      /privileged/,
    );
  });
});

describe('Azure Monitor', () => {
  it('requires logAnalyticsWorkspaceResourceID', async () => {
    const c = await newCluster();
    const body = {
      extensionType: 'Microsoft.AzureMonitor.Containers',
      scope: { cluster: { releaseNamespace: 'azuremonitor-containers' } },
    };
    const missing = await h.raw('PUT', `${extPath(c, 'azuremonitor-containers')}${V}`, { properties: body });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('logAnalyticsWorkspaceResourceID');
    const ok = await h.raw('PUT', `${extPath(c, 'azuremonitor-containers')}${V}`, {
      properties: {
        ...body,
        configurationSettings: {
          logAnalyticsWorkspaceResourceID: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws`,
        },
      },
    });
    expect(ok.status).toBe(201);
  });
});

describe('PATCH merge semantics', () => {
  it('a PATCH merges settings into the ARM view and a null value removes a key', async () => {
    const c = await newCluster();
    await install(c, 'osm', '1.2.6', { 'osm.osm.enableEgress': 'true', 'osm.osm.envoyLogLevel': 'debug' });
    const r = await h.raw('PATCH', `${extPath(c, 'osm')}${V}`, {
      properties: {
        configurationSettings: { 'osm.osm.envoyLogLevel': null, 'osm.osm.tracing.enable': 'true' },
      },
    });
    expect(r.status).toBe(202);
    expect(
      (r.body as { properties: { configurationSettings: unknown } }).properties.configurationSettings,
    ).toEqual({
      'osm.osm.enableEgress': 'true',
      'osm.osm.tracing.enable': 'true',
    });
  });
});
