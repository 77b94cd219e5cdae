// Seeding (deterministic fleets, OSM pre-installed, other names, offline share), the Resource Graph rows
// the ARM side feeds (with lag), an end-to-end ARG query through the real client, and the stats.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSM_BODY, RG, SUB, credential, extPath, startHarness, waitFor, type Harness } from './harness.js';

const V = '?api-version=2023-05-01';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: { graphLagMs: 200 } });
});
afterAll(async () => h.close());

describe('seeding', () => {
  it('is deterministic for a seed and honours the mix', async () => {
    const input = {
      seed: 7,
      clusters: 301,
      subscriptions: 3,
      osm: {
        fraction: 0.5,
        versions: { '1.1.1': 1, '1.2.3': 1 },
        otherNameFraction: 0.2,
        settings: { 'osm.osm.enableEgress': 'true' },
      },
      offlineFraction: 0.1,
    };
    const a = await h.control.seed(input);
    await h.control.reset();
    const b = await h.control.seed(input);
    expect(b.subscriptions).toEqual(a.subscriptions);
    expect(b.clusterIds).toEqual(a.clusterIds);
    expect(a.clusters).toBe(301);
    const states = await Promise.all(a.clusterIds.map((id) => h.control.getCluster(id)));
    const osm = states
      .flatMap((s) => s.extensions)
      .filter((e) => e.resource.properties.extensionType === 'microsoft.openservicemesh');
    expect(osm.length).toBeGreaterThan(100);
    expect(osm.length).toBeLessThan(200);
    expect(osm.some((e) => e.resource.name === 'open-service-mesh')).toBe(true);
    expect(new Set(osm.map((e) => e.resource.properties.currentVersion))).toEqual(
      new Set(['1.1.1', '1.2.3']),
    );
    expect(osm[0]?.runningSettings).toMatchObject({
      'osm.osm.enableEgress': 'true',
      'osm.osm.enablePermissiveTrafficPolicy': 'true',
    });
    const offline = states.filter((s) => s.cluster.properties.connectivityStatus === 'Offline').length;
    expect(offline).toBeGreaterThan(10);
    expect(offline).toBeLessThan(60);
    const list = await h.raw(
      'GET',
      `/subscriptions/${a.subscriptions[0]}/providers/Microsoft.Kubernetes/connectedClusters?api-version=2024-01-01`,
    );
    expect((list.body as { value: unknown[] }).value).toHaveLength(100);
    const next = new URL(String((list.body as { nextLink?: string }).nextLink));
    const rest = await h.raw('GET', next.pathname + next.search);
    expect((rest.body as { value: unknown[]; nextLink?: string }).value).toHaveLength(1);
    expect((rest.body as { nextLink?: string }).nextLink).toBeUndefined();
  });
});

describe('Resource Graph feed', () => {
  it('clusters and extensions show up in Resource Graph after the lag, with ARG row shapes', async () => {
    await h.control.reset();
    await h.control.seed({
      explicit: [{ subscriptionId: SUB, resourceGroup: RG, name: 'g1', distribution: 'EKS' }],
    });
    const graph = new ResourceGraphClient(credential, {
      endpoint: h.emu.endpoint,
      tlsOptions: { ca: h.emu.caPem },
    });
    const query = (q: string) =>
      graph
        .resources({ query: q, subscriptions: [SUB] })
        .catch((e: { statusCode?: number; response?: { bodyAsText?: string } }) => {
          throw new Error(
            `ARG ${e.statusCode}: ${e.response?.bodyAsText} ${JSON.stringify((e as { response?: { headers?: unknown } }).response?.headers)}`,
          );
        });
    const clusters = await query(
      "Resources | where type =~ 'microsoft.kubernetes/connectedclusters' | project id, name, type, resourceGroup, properties",
    );
    expect(clusters.data).toEqual([
      expect.objectContaining({
        name: 'g1',
        type: 'microsoft.kubernetes/connectedclusters',
        resourceGroup: RG.toLowerCase(),
        properties: expect.objectContaining({ distribution: 'EKS' }),
      }),
    ]);
    expect(
      (
        await h.raw('PUT', `${extPath('g1', 'osm')}${V}`, {
          properties: OSM_BODY('1.2.6', { 'osm.osm.enableEgress': 'true' }),
        })
      ).status,
    ).toBe(201);
    const extQuery =
      "KubernetesConfigurationResources | where type =~ 'microsoft.kubernetesconfiguration/extensions' | project id, properties";
    expect((await query(extQuery)).data).toEqual([]); // not visible before graphLagMs
    await waitFor(
      async () => JSON.stringify((await query(extQuery)).data).includes('"ProvisioningState":"Succeeded"'),
      4000,
      250, // Resource Graph allows 15 queries per 5 s per principal: poll gently
    );
    const row = ((await query(extQuery)).data as { properties: Record<string, unknown> }[])[0];
    expect(row?.properties).toMatchObject({
      ExtensionType: 'microsoft.openservicemesh',
      Version: '1.2.6',
      InstalledVersion: '1.2.6',
      ReleaseTrain: 'stable',
      AutoUpgradeMinorVersion: false,
      ConfigurationSettings: { 'osm.osm.enableEgress': 'true' },
      Scope: { Cluster: { ReleaseNamespace: 'arc-osm-system' } },
    });
    // No source says which key ARG uses: one key only, InstalledVersion by default (docs/emulator.md ledger).
    expect(row?.properties).not.toHaveProperty('CurrentVersion');
    expect((await h.control.stats()).resourceGraphQueries).toBeGreaterThan(3);
  });

  it('writes the running version under CurrentVersion instead when switched', async () => {
    await h.control.reset();
    await h.control.config({ graphVersionProperty: 'CurrentVersion', graphLagMs: 0 });
    try {
      await h.control.seed({
        explicit: [
          {
            subscriptionId: SUB,
            resourceGroup: RG,
            name: 'g2',
            extensions: [
              {
                name: 'osm',
                extensionType: 'microsoft.openservicemesh',
                version: '1.2.6',
                provisioningState: 'Succeeded',
              },
            ],
          },
        ],
      });
      const graph = new ResourceGraphClient(credential, {
        endpoint: h.emu.endpoint,
        tlsOptions: { ca: h.emu.caPem },
      });
      const result = await graph.resources({
        query: "KubernetesConfigurationResources | where name == 'osm' | project properties",
        subscriptions: [SUB],
      });
      const props = (result.data as { properties: Record<string, unknown> }[])[0]?.properties;
      expect(props).toMatchObject({ CurrentVersion: '1.2.6' });
      expect(props).not.toHaveProperty('InstalledVersion');
    } finally {
      await h.control.config({ graphVersionProperty: 'InstalledVersion', graphLagMs: 200 });
    }
  });
});

describe('stats', () => {
  it('count PUTs per cluster and extension, operations and their peak concurrency', async () => {
    await h.control.reset();
    await h.control.seed({
      explicit: ['s1', 's2', 's3'].map((name) => ({ subscriptionId: SUB, resourceGroup: RG, name })),
    });
    await h.control.config({ installMs: 200 });
    for (const c of ['s1', 's2', 's3'])
      expect((await h.raw('PUT', `${extPath(c, 'osm')}${V}`, { properties: OSM_BODY('1.2.6') })).status).toBe(
        201,
      );
    let stats = await h.control.stats();
    expect(stats.inFlightOperations).toBe(3);
    expect(stats.peakConcurrentOperations).toBe(3);
    expect(stats.putsPerCluster[h.clusterId('s1').toLowerCase()]).toBe(1);
    expect(
      stats.putsPerExtension[
        `${h.clusterId('s2')}/providers/Microsoft.KubernetesConfiguration/extensions/osm`.toLowerCase()
      ],
    ).toBe(1);
    expect(stats.requestsBySubscription[SUB]).toBe(3);
    expect(stats.requestsByKind.write).toBe(3);
    await waitFor(async () => (await h.control.stats()).inFlightOperations === 0, 3000);
    stats = await h.control.stats();
    expect(stats.operationsSucceeded).toBe(3);
  });
});
