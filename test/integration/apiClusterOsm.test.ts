/** API.md, Clusters, through the local host: one-off PUT/DELETE osm and the history they leave. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-cl';
const SECRET = 'cluster-secret-value-5a4b3c';
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

describe('PUT /api/clusters/{sub}/{rg}/{name}/osm', () => {
  it('installs a version: 202 with the operation and a rollout link; busy while it runs', async () => {
    const r = await stack.api('PUT', `${path('c-none')}/osm`, {
      version: '1.2.6',
      configurationSettings: { 'osm.osm.envoyLogLevel': 'warning' },
      configurationProtectedSettings: { 'osm.osm.secret': SECRET },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      clusterId: clusterIdOf(S0, RG, 'c-none'),
      action: 'install',
      from: null,
      to: '1.2.6',
      path: ['1.2.6'],
      rolloutId: expect.any(String),
      state: expect.any(String),
    });
    expect(r.headers.get('location')).toBe(`/api/rollouts/${r.body.rolloutId}`);
    expect(JSON.stringify(r.body)).not.toContain(SECRET);
    expectError(await stack.api('PUT', `${path('c-none')}/osm`, { version: '1.2.6' }), 409, 'ClusterBusy');

    const ro = await waitFor(async () => {
      const v = await stack.api('GET', r.headers.get('location')!);
      return v.body.state === 'Succeeded' && v;
    });
    expect(ro.body.counts.succeeded).toBe(1);
    const armState = await stack.control.getCluster(clusterIdOf(S0, RG, 'c-none'));
    expect(armState.extensions[0]?.protectedSettingKeys).toEqual(['osm.osm.secret']);
    for (const url of [
      path('c-none'),
      `${path('c-none')}/history`,
      `/api/rollouts/${r.body.rolloutId}/clusters`,
    ])
      expect(JSON.stringify((await stack.api('GET', url)).body)).not.toContain(SECRET);
  });

  it('is 409 while an operation of a cancelled rollout still runs on the cluster, then works', async () => {
    const race = clusterIdOf(S0, 'rg-race', 'c-race');
    const racy = policyBody({ target: { resourceGroups: ['rg-race'] } });
    expect((await stack.api('PUT', '/api/policies/racy', racy)).status).toBe(201);
    const ro = await stack.api('POST', '/api/rollouts', { policy: 'racy' });
    expect(ro.status).toBe(201);
    const row = () => stack.app.deps.rollouts.getCluster(ro.body.id, race.toLowerCase());
    await waitFor(async () => (await row())?.value.operation !== undefined); // the install was started
    expect((await stack.api('POST', `/api/rollouts/${ro.body.id}/cancel`)).body.state).toBe('Cancelled');
    const early = await stack.api('PUT', `${path('c-race', 'rg-race')}/osm`, { version: '1.2.6' });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(['ClusterBusy', 'OperationInProgress']).toContain(early.body.error.code);
    await waitFor(async () => (await row())?.value.state === 'Succeeded');
    const later = await stack.api('PUT', `${path('c-race', 'rg-race')}/osm`, {
      version: '1.2.6',
      configurationSettings: { 'osm.osm.envoyLogLevel': 'warning' },
    });
    expect(later.status).toBe(202);
    expect(later.body.action).toBe('reconfigure');
    const done = await waitFor(async () => {
      const v = await stack.api('GET', `/api/rollouts/${later.body.rolloutId}`);
      return v.body.state === 'Succeeded' && v.body;
    }, 10_000);
    expect(done.counts.succeeded).toBe(1);
  });

  it('refuses a downgrade with 422 DowngradeRefused', async () => {
    const r = await stack.api('PUT', `${path('c-new')}/osm`, { version: '1.1.1' });
    expectError(r, 422, 'DowngradeRefused');
    expect((await stack.control.getCluster(clusterIdOf(S0, RG, 'c-new'))).extensions[0]?.puts).toBe(0);
  });

  it('answers 200 without an operation when nothing would change', async () => {
    const r = await stack.api('PUT', `${path('c-new')}/osm`, { version: '1.2.6' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ action: 'noChange', from: '1.2.6', to: '1.2.6' });
    expect(r.body.rolloutId).toBeUndefined();
  });

  it('applies a stored policy with {policy}', async () => {
    const r = await stack.api('PUT', `${path('c-old')}/osm`, { policy: 'prod' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      action: 'upgrade',
      from: '1.1.1',
      to: '1.2.6',
      rolloutId: expect.any(String),
    });
    const ro = await stack.api('GET', `/api/rollouts/${r.body.rolloutId}`);
    expect(ro.body.policy).toBe('prod');
    expectError(await stack.api('PUT', `${path('c-bare')}/osm`, { policy: 'nope' }), 404, 'PolicyNotFound');
  });

  it.each([
    ['version', { version: 'latest' }],
    ['version', { version: '9.9.9' }],
    ['(body)', {}],
    ['(body)', []],
    ['policy', { policy: 'prod', version: '1.2.6' }],
    ['policy', { policy: 'Not A Name' }],
    ['colour', { version: '1.2.6', colour: 'red' }],
    ['configurationSettings.a', { version: '1.2.6', configurationSettings: { a: 1 } }],
    ['releaseTrain', { version: '1.2.6', releaseTrain: 'nightly' }],
    ['crdUpgrades', { version: '1.2.6', crdUpgrades: 'sometimes' }],
  ])('422 InvalidRequest naming %s for a bad body', async (field, body) => {
    expectInvalid(await stack.api('PUT', `${path('c-bare')}/osm`, body), field, 422, 'InvalidRequest');
  });

  it('400 for malformed JSON, 404 for an unknown cluster', async () => {
    expectError(await stack.api('PUT', `${path('c-bare')}/osm`, '{"version"'), 400, 'InvalidJson');
    expectError(
      await stack.api('PUT', `${path('c-missing')}/osm`, { version: '1.2.6' }),
      404,
      'ClusterNotFound',
    );
  });
});

describe('DELETE /api/clusters/{sub}/{rg}/{name}/osm', () => {
  it('uninstalls (202), records history newest first, then 404 OsmNotInstalled', async () => {
    const id = clusterIdOf(S0, RG, 'c-new');
    const r = await stack.api('DELETE', `${path('c-new')}/osm`);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      clusterId: id,
      action: 'uninstall',
      from: '1.2.6',
      to: null,
      extensionName: 'osm',
    });
    await waitFor(async () => (await stack.control.getCluster(id)).extensions.length === 0);
    expectError(await stack.api('DELETE', `${path('c-new')}/osm`), 404, 'OsmNotInstalled');
    const history = await stack.api('GET', `${path('c-new')}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items[0]).toMatchObject({ action: 'UninstallStarted', from: '1.2.6', to: null });
    const at = history.body.items.map((e: { at: string }) => e.at);
    expect([...at].sort().reverse()).toEqual(at);
  });

  it('404 OsmNotInstalled on a cluster without OSM; 404 for an unknown cluster', async () => {
    expectError(await stack.api('DELETE', `${path('c-bare')}/osm`), 404, 'OsmNotInstalled');
    expectError(await stack.api('DELETE', `${path('c-missing')}/osm`), 404, 'ClusterNotFound');
  });

  it('history pages and answers an empty page for a cluster without events', async () => {
    const r = await stack.api('GET', `${path('c-none')}/history?top=1`);
    expect(r.status).toBe(200);
    expect(r.body.items).toHaveLength(1);
    expect(r.body.continuationToken).toEqual(expect.any(String));
    const next = await stack.api(
      'GET',
      `${path('c-none')}/history?top=1&continuationToken=${encodeURIComponent(r.body.continuationToken)}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.items[0]).not.toEqual(r.body.items[0]);
    expect((await stack.api('GET', `${path('c-other', 'rg-two', SUBS[1])}/history`)).body).toEqual({
      items: [],
    });
  });
});
