// The FleetInventory adapter against the emulator's Resource Graph through the real ResourceGraphClient:
// a multi-page sweep over several subscriptions, scoping, the clusterIds filter and injection attempts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceGraphServiceFor } from '../../emulator/graph/resourceGraphHandler.js';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { FOREIGN_SUB, RG, SUB, SUBS, startAzureHarness, type AzureHarness } from './azureHarness.js';

let h: AzureHarness;
const SWEPT = new Set(['microsoft.openservicemesh', 'microsoft.azuremonitor.containers']);
const monitor = {
  name: 'azuremonitor-containers',
  extensionType: 'Microsoft.AzureMonitor.Containers',
  configurationSettings: { logAnalyticsWorkspaceResourceID: '/subscriptions/x/ws' },
  protectedSettings: { 'amalogs.secret.key': 'top-secret' },
};

beforeAll(async () => {
  h = await startAzureHarness();
  await h.control.seed({
    seed: 11,
    clusters: 2500,
    subscriptions: [...SUBS],
    osm: { fraction: 0.4, versions: { '1.1.1': 1, '1.2.6': 1 }, otherNameFraction: 0.1 },
    offlineFraction: 0.1,
  });
  await h.control.seed({ seed: 12, clusters: 40, subscriptions: [FOREIGN_SUB], namePrefix: 'foreign' });
  await h.control.seed({
    explicit: [
      {
        subscriptionId: SUB,
        resourceGroup: 'RG-Mixed.Case',
        name: 'both',
        distribution: 'openshift',
        tags: { env: 'prod', team: 'payments' },
        extensions: [
          {
            name: 'osm',
            extensionType: 'Microsoft.openservicemesh',
            version: '1.2.6',
            configurationSettings: { 'osm.osm.enablePrivilegedInitContainer': 'true' },
          },
          monitor,
          { name: 'flux', extensionType: 'microsoft.flux' },
        ],
      },
      { subscriptionId: SUB, resourceGroup: RG, name: 'plain' },
      { subscriptionId: FOREIGN_SUB, resourceGroup: RG, name: 'plain' },
    ],
  });
}, 60_000);
afterAll(async () => h.close());

/** What the emulator holds, in the subscriptions given. */
function truth(subs: readonly string[]): Map<string, { ext: Map<string, string | null> }> {
  const out = new Map<string, { ext: Map<string, string | null> }>();
  for (const c of h.emu.context.state.clusters.values()) {
    if (!subs.includes(c.subscriptionId)) continue;
    const ext = new Map<string, string | null>();
    for (const e of c.extensions.values()) if (SWEPT.has(e.extensionType)) ext.set(e.name, e.currentVersion);
    out.set(c.id, { ext });
  }
  return out;
}

function byId(clusters: ClusterInfo[]): Map<string, ClusterInfo> {
  return new Map(clusters.map((c) => [c.id, c]));
}

describe('sweep', () => {
  it('returns every cluster of the configured subscriptions with its OSM and monitor extensions, over several pages', async () => {
    const graph = resourceGraphServiceFor(h.emu.context.graph);
    const before = graph.stats().queries;
    const clusters = await h.adapters({ token: 'sweep-all' }).inventory.sweep();
    const expected = truth(SUBS);
    expect(expected.size).toBe(2502);
    expect(clusters).toHaveLength(expected.size);
    expect(graph.stats().queries - before).toBe(3); // 2,500+ rows in pages of 1000, one subscription batch
    const got = byId(clusters);
    for (const [id, t] of expected) {
      const c = got.get(id);
      expect(c, id).toBeDefined();
      expect(new Map(c?.extensions.map((e) => [e.name, e.version]))).toEqual(t.ext);
    }
    expect(clusters.some((c) => c.subscriptionId === FOREIGN_SUB)).toBe(false);
    expect(
      clusters.filter((c) => c.extensions.some((e) => e.name === 'open-service-mesh')).length,
    ).toBeGreaterThan(0);
    expect(clusters.filter((c) => c.connectivity === 'Offline').length).toBeGreaterThan(100);
  });

  it('maps a cluster fully and never carries protected settings', async () => {
    const id = h.clusterId('both', SUB, 'RG-Mixed.Case');
    const [c] = await h.adapters({ token: 'sweep-one' }).inventory.sweep({ clusterIds: [id.toUpperCase()] });
    expect(c).toMatchObject({
      id,
      name: 'both',
      subscriptionId: SUB,
      resourceGroup: 'RG-Mixed.Case',
      location: 'eastus',
      distribution: 'openshift',
      infrastructure: 'generic',
      kubernetesVersion: '1.28.5',
      connectivity: 'Connected',
      tags: { env: 'prod', team: 'payments' },
    });
    expect([...(c?.extensions ?? [])].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {
        name: 'azuremonitor-containers',
        extensionType: 'microsoft.azuremonitor.containers',
        version: '1.0.0',
        provisioningState: 'Succeeded',
        releaseTrain: 'Stable',
        autoUpgradeMinorVersion: true,
        configurationSettings: { logAnalyticsWorkspaceResourceID: '/subscriptions/x/ws' },
      },
      {
        name: 'osm',
        extensionType: 'microsoft.openservicemesh',
        version: '1.2.6',
        provisioningState: 'Succeeded',
        releaseTrain: 'Stable',
        autoUpgradeMinorVersion: false,
        configurationSettings: { 'osm.osm.enablePrivilegedInitContainer': 'true' },
      },
    ]);
    expect(JSON.stringify(c)).not.toContain('secret');
  });

  it('clusterIds filters to those clusters, within the configured subscriptions only', async () => {
    const ids = [h.clusterId('plain'), h.clusterId('plain', FOREIGN_SUB), h.clusterId('missing')];
    const clusters = await h.adapters({ token: 'sweep-ids' }).inventory.sweep({ clusterIds: ids });
    expect(clusters.map((c) => c.id)).toEqual([h.clusterId('plain')]);
    expect(await h.adapters({ token: 'sweep-ids' }).inventory.sweep({ clusterIds: [] })).toEqual([]);
    const many = [...truth([SUBS[1]]).keys()].slice(0, 120);
    const some = await h.adapters({ token: 'sweep-ids' }).inventory.sweep({ clusterIds: many });
    expect(new Set(some.map((c) => c.id))).toEqual(new Set(many));
  });

  it('scopes to the configured subscriptions', async () => {
    const clusters = await h
      .adapters({ token: 'sweep-scope', subscriptions: [FOREIGN_SUB] })
      .inventory.sweep();
    expect(clusters).toHaveLength(41);
    expect(clusters.every((c) => c.subscriptionId === FOREIGN_SUB)).toBe(true);
  });

  it('an injection attempt in a cluster id does not widen the result', async () => {
    const plain = h.clusterId('plain');
    const attempts = [
      `${plain}' or 1==1 //`,
      `x') or tolower(id) !in ('`,
      `${plain}'\n| where 1==1 | project id //`,
      `' | union Resources | where '1'=='1`,
      `\\' or id != '`,
      `${plain}\\`,
    ];
    const { inventory } = h.adapters({ token: 'sweep-evil' });
    expect(await inventory.sweep({ clusterIds: attempts })).toEqual([]);
    const mixed = await inventory.sweep({ clusterIds: [...attempts, plain] });
    expect(mixed.map((c) => c.id)).toEqual([plain]);
  });
});
