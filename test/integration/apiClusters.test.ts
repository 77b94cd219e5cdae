/** API.md, Clusters, through the local host: inventory views, filters, paging, path segments. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-cl';
const S0 = SUBS[0]!;
const osm = (version: string, settings: Record<string, string> = {}) => [
  { name: 'osm', extensionType: 'Microsoft.openservicemesh', version, configurationSettings: settings },
];
const path = (name: string, rg = RG, sub = S0) => `/api/clusters/${sub}/${rg}/${name}`;
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000 });
  await stack.control.seed({
    explicit: [
      { subscriptionId: S0, resourceGroup: RG, name: 'c-none', distribution: 'eks', location: 'eastus' },
      { subscriptionId: S0, resourceGroup: RG, name: 'c-bare', distribution: 'eks' },
      {
        subscriptionId: S0,
        resourceGroup: RG,
        name: 'c-old',
        distribution: 'aks',
        tags: { env: 'prod' },
        extensions: osm('1.1.1', { 'osm.osm.envoyLogLevel': 'debug' }),
      },
      { subscriptionId: S0, resourceGroup: RG, name: 'c-new', distribution: 'aks', extensions: osm('1.2.6') },
      {
        subscriptionId: S0,
        resourceGroup: RG,
        name: 'c-off',
        distribution: 'gke',
        connectivityStatus: 'Offline',
      },
      { subscriptionId: SUBS[1]!, resourceGroup: 'rg-two', name: 'c-other', distribution: 'aks' },
      { subscriptionId: S0, resourceGroup: 'rg-race', name: 'c-race', distribution: 'eks' },
    ],
  });
  const prod = policyBody({ target: { tags: { env: 'prod' } } });
  expect((await stack.api('PUT', '/api/policies/prod', prod)).status).toBe(201);
  await new Promise((r) => setTimeout(r, 300)); // Resource Graph catches up with the seed
  await stack.host.runTimer('reconcile'); // refreshes the inventory
});
afterAll(async () => stack?.stop());

const names = (r: { body: { items: { name: string }[] } }) => r.body.items.map((c) => c.name).sort();

describe('GET /api/clusters', () => {
  it('lists the fleet as discovered, with the API.md fields', async () => {
    const r = await stack.api('GET', '/api/clusters');
    expect(r.status).toBe(200);
    expect(names(r)).toEqual(['c-bare', 'c-new', 'c-none', 'c-off', 'c-old', 'c-other', 'c-race']);
    const old = r.body.items.find((c: { name: string }) => c.name === 'c-old');
    expect(old).toMatchObject({
      id: clusterIdOf(S0, RG, 'c-old'),
      subscriptionId: S0,
      resourceGroup: RG,
      location: expect.any(String),
      distribution: 'aks',
      connectivity: 'Connected',
      tags: { env: 'prod' },
      osm: {
        name: 'osm',
        version: '1.1.1',
        provisioningState: 'Succeeded',
        settings: { 'osm.osm.envoyLogLevel': 'debug' },
      },
      monitor: { installed: false },
      policies: ['prod'],
    });
    expect(r.body.items.find((c: { name: string }) => c.name === 'c-none').osm).toBeNull();
  });

  it('filters by policy, osmVersion and state (case-insensitive)', async () => {
    expect(names(await stack.api('GET', '/api/clusters?policy=prod'))).toEqual(['c-old']);
    expect(names(await stack.api('GET', '/api/clusters?osmVersion=1.2.6'))).toEqual(['c-new']);
    expect(names(await stack.api('GET', '/api/clusters?state=offline'))).toEqual(['c-off']);
    expect(names(await stack.api('GET', '/api/clusters?state=OFFLINE'))).toEqual(['c-off']);
    expect(names(await stack.api('GET', '/api/clusters?state=Connected&osmVersion=1.1.1'))).toEqual([
      'c-old',
    ]);
  });

  it('pages with top=2 through continuation tokens', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const q = `top=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const r = await stack.api('GET', `/api/clusters?${q}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...names(r));
      token = r.body.continuationToken;
    } while (token);
    expect(seen.sort()).toEqual(['c-bare', 'c-new', 'c-none', 'c-off', 'c-old', 'c-other', 'c-race']);
  });

  it('answers bad filters with 4xx naming them', async () => {
    expectError(
      await stack.api('GET', '/api/clusters?state=%27%20or%201%3D%3D1'),
      400,
      'InvalidQueryParameter',
      'state',
    );
    expectError(await stack.api('GET', '/api/clusters?policy=nope'), 404, 'PolicyNotFound');
    expectError(await stack.api('GET', '/api/clusters?top=0'), 400, 'InvalidQueryParameter', 'top');
    expectError(
      await stack.api('GET', '/api/clusters?continuationToken=zz'),
      400,
      undefined,
      'continuationToken',
    );
  });
});

describe('GET /api/clusters/{sub}/{rg}/{name}', () => {
  it('answers one cluster; any casing of the path finds it; 404 when unknown', async () => {
    const r = await stack.api('GET', path('c-old'));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: clusterIdOf(S0, RG, 'c-old'), name: 'c-old', policies: ['prod'] });
    expect((await stack.api('GET', path('C-OLD', 'RG-CL', S0.toUpperCase()))).body.name).toBe('c-old');
    expectError(await stack.api('GET', path('c-missing')), 404, 'ClusterNotFound');
  });

  it.each([
    ['subscriptionId', path('c-old', RG, 'not-a-guid')],
    ['resourceGroup', path('c-old', 'rg*bad')],
    ['resourceGroup', path('c-old', 'ends-with-dot.')],
    ['clusterName', path('-leading-dash')],
  ])('400 naming %s for a bad path segment', async (segment, url) => {
    for (const suffix of ['', '/history']) {
      expectInvalid(await stack.api('GET', url + suffix), segment, 400, 'InvalidPathParameter');
    }
    expectInvalid(await stack.api('PUT', `${url}/osm`, { version: '1.2.6' }), segment, 400);
    expectInvalid(await stack.api('DELETE', `${url}/osm`), segment, 400);
  });
});
