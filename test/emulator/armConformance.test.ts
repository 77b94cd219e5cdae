// Conformance: the real SDK client drives the emulator, every response body is validated against the
// OpenAPI schemas in vendor/specs, and the spec's example requests are replayed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSM_BODY, POLL, RG, SUB, extPath, startHarness, waitFor, type Harness } from './harness.js';
import {
  ARM_TYPES,
  CLUSTERS_SPEC,
  CLUSTER_EXAMPLES_DIR,
  EXAMPLES_DIR,
  EXTENSIONS_SPEC,
  KC_COMMON,
  SpecValidator,
  readExample,
} from './specSchemas.js';

const spec = new SpecValidator();
const V = '?api-version=2023-05-01';
const CV = '?api-version=2024-01-01';
let h: Harness;

function expectValid(file: string, definition: string, body: unknown): void {
  expect(spec.validate(file, definition, body), JSON.stringify(body)).toEqual([]);
}

beforeAll(async () => {
  h = await startHarness({ config: { failureModes: { namespaceLingerMs: 0 } } });
  await h.control.seed({
    explicit: [
      { subscriptionId: SUB, resourceGroup: RG, name: 'c1' },
      { subscriptionId: SUB, resourceGroup: 'rg1', name: 'clusterName1' },
    ],
  });
});
afterAll(async () => h.close());

describe('schema validator', () => {
  it('rejects bodies that break the spec (so passing means something)', () => {
    expect(
      spec.validate(EXTENSIONS_SPEC, 'Extension', { properties: { autoUpgradeMinorVersion: 'yes' } }),
    ).not.toEqual([]);
    expect(spec.validate(KC_COMMON, 'OperationStatusResult', { name: 'x' })).not.toEqual([]);
    expect(spec.validate(CLUSTERS_SPEC, 'ConnectedCluster', { location: 'x', properties: {} })).not.toEqual(
      [],
    );
  });
});

describe('extensions through the real SDK client', () => {
  it('creates, reads, lists, updates and deletes an OSM extension', async () => {
    const created = await h.client.extensions.beginCreateAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      'c1',
      'osm',
      OSM_BODY('1.2.3'),
      POLL,
    );
    expect(created.provisioningState).toBe('Succeeded');
    expect(created.currentVersion).toBe('1.2.3');
    expect(created.extensionType).toBe('microsoft.openservicemesh');

    const got = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', 'c1', 'osm');
    expect(got.id?.toLowerCase()).toBe(
      `${h.clusterId('c1')}/providers/Microsoft.KubernetesConfiguration/extensions/osm`.toLowerCase(),
    );

    const updated = await h.client.extensions.beginUpdateAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      'c1',
      'osm',
      {
        version: '1.2.6',
        autoUpgradeMinorVersion: false,
        configurationSettings: { 'osm.osm.enableEgress': 'true' },
      },
      POLL,
    );
    expect(updated.currentVersion).toBe('1.2.6');

    const names: string[] = [];
    for await (const e of h.client.extensions.list(RG, 'Microsoft.Kubernetes', 'connectedClusters', 'c1'))
      names.push(e.name ?? '');
    expect(names).toEqual(['osm']);

    await h.client.extensions.beginDeleteAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      'c1',
      'osm',
      POLL,
    );
    await expect(
      h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', 'c1', 'osm'),
    ).rejects.toMatchObject({ statusCode: 404 });
  });

  it('operationStatus.get through the SDK reads an operation by id', async () => {
    const poller = await h.client.extensions.beginCreate(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      'c1',
      'opstat',
      {
        extensionType: 'Contoso.Thing',
      },
    );
    const asyncUrl = JSON.parse(poller.toString()) as { state?: { config?: { operationLocation?: string } } };
    const opId =
      String(asyncUrl.state?.config?.operationLocation ?? '')
        .split('?')[0]
        ?.split('/')
        .pop() ?? '';
    expect(opId).toMatch(/^[0-9a-f-]{36}$/);
    const status = await h.client.operationStatus.get(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      'c1',
      'opstat',
      opId,
    );
    expect(['InProgress', 'Succeeded']).toContain(status.status);
    await poller.pollUntilDone({ intervalInMs: 20 } as never);
    expect(
      (
        await h.client.operationStatus.get(
          RG,
          'Microsoft.Kubernetes',
          'connectedClusters',
          'c1',
          'opstat',
          opId,
        )
      ).status,
    ).toBe('Succeeded');
    expect((await h.raw('DELETE', `${extPath('c1', 'opstat')}${V}&forceDelete=true`)).status).toBe(200);
  });

  it('lists with nextLink across pages', async () => {
    await h.control.config({ listPageSize: 2 });
    try {
      for (const n of ['a', 'b', 'c', 'd', 'e']) {
        const r = await h.raw('PUT', `${extPath('c1', `x-${n}`)}${V}`, {
          properties: { extensionType: 'Contoso.Thing', scope: { cluster: {} } },
        });
        expect(r.status).toBe(201);
      }
      const first = await h.raw('GET', `${extPath('c1')}${V}`);
      expect((first.body as { nextLink: string }).nextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
      expectValid(EXTENSIONS_SPEC, 'ExtensionsList', first.body);
      const names: string[] = [];
      for await (const e of h.client.extensions.list(RG, 'Microsoft.Kubernetes', 'connectedClusters', 'c1'))
        names.push(e.name ?? '');
      expect(names.sort()).toEqual(['x-a', 'x-b', 'x-c', 'x-d', 'x-e']);
    } finally {
      await h.control.config({ listPageSize: 100 });
    }
  });
});

describe('wire responses validate against the OpenAPI schemas', () => {
  it('PUT 201 / operation InProgress then Succeeded / PATCH 202 / GET / PATCH 200 unchanged / DELETE 202 then 204', async () => {
    const put = await h.raw('PUT', `${extPath('c1', 'osm2')}${V}`, {
      properties: { ...OSM_BODY('1.2.3'), configurationProtectedSettings: { secret: 's3cret' } },
    });
    expect(put.status).toBe(201);
    expectValid(EXTENSIONS_SPEC, 'Extension', put.body);
    expect(JSON.stringify(put.body)).not.toContain('s3cret');
    expect((put.body as { properties: Record<string, unknown> }).properties.provisioningState).toBe(
      'Creating',
    );
    const asyncUrl = new URL(String(put.headers['azure-asyncoperation']));
    expect(asyncUrl.origin).toBe(h.emu.endpoint);
    expect(asyncUrl.pathname).toMatch(/\/extensions\/osm2\/operations\/[0-9a-f-]{36}$/);
    expect(put.headers['retry-after']).toBe('0'); // the harness's retryAfterSeconds

    const inProgress = await h.raw('GET', asyncUrl.pathname + asyncUrl.search);
    expect((inProgress.body as { status: string }).status).toBe('InProgress');
    expectValid(KC_COMMON, 'OperationStatusResult', inProgress.body);
    let done = inProgress;
    await waitFor(
      async () =>
        ((done = await h.raw('GET', asyncUrl.pathname + asyncUrl.search)).body as { status: string })
          .status !== 'InProgress',
    );
    expect(done.body).toMatchObject({
      status: 'Succeeded',
      error: null,
      name: asyncUrl.pathname.split('/').pop(),
    });
    expectValid(KC_COMMON, 'OperationStatusResult', done.body);

    const patch = await h.raw('PATCH', `${extPath('c1', 'osm2')}${V}`, {
      properties: { configurationSettings: { 'osm.osm.envoyLogLevel': 'debug' } },
    });
    expect(patch.status).toBe(202);
    expectValid(EXTENSIONS_SPEC, 'Extension', patch.body);
    await new Promise((r) => setTimeout(r, 100));
    const get = await h.raw('GET', `${extPath('c1', 'osm2')}${V}`);
    expectValid(EXTENSIONS_SPEC, 'Extension', get.body);
    const same = await h.raw('PATCH', `${extPath('c1', 'osm2')}${V}`, {
      properties: { configurationSettings: { 'osm.osm.envoyLogLevel': 'debug' } },
    });
    expect(same.status).toBe(200);

    const del = await h.raw('DELETE', `${extPath('c1', 'osm2')}${V}`);
    expect(del.status).toBe(202);
    const delUrl = new URL(String(del.headers['azure-asyncoperation']));
    expect(delUrl.pathname).toMatch(/\/extensions\/osm2\/operations\/[0-9a-f-]{36}$/);
    await waitFor(
      async () =>
        ((await h.raw('GET', delUrl.pathname + delUrl.search)).body as { status: string }).status ===
        'Succeeded',
    );
    expect((await h.raw('DELETE', `${extPath('c1', 'osm2')}${V}`)).status).toBe(204);
  });

  it('forceDelete is synchronous (200)', async () => {
    await h.raw('PUT', `${extPath('c1', 'fd')}${V}`, { properties: { extensionType: 'Contoso.Thing' } });
    const del = await h.raw('DELETE', `${extPath('c1', 'fd')}${V}&forceDelete=true`);
    expect(del.status).toBe(200);
    expect((await h.raw('GET', `${extPath('c1', 'fd')}${V}`)).status).toBe(404);
  });

  it('errors use the ARM ErrorResponse envelope', async () => {
    const cases = [
      await h.raw('GET', `${extPath('c1', 'nope')}${V}`),
      await h.raw('GET', extPath('c1', 'nope')),
      await h.raw('GET', `${extPath('c1', 'nope')}?api-version=2019-01-01`),
      await h.raw('GET', `${extPath('c1')}${V}`, undefined, {}),
      await h.raw('PUT', `${extPath('c1', 'bad')}${V}`, { properties: {} }),
    ];
    expect(cases.map((c) => c.status)).toEqual([404, 400, 400, 401, 400]);
    expect(cases.map((c) => (c.body as { error: { code: string } }).error.code)).toEqual([
      'ResourceNotFound',
      'MissingApiVersionParameter',
      'NoRegisteredProviderFound',
      'AuthenticationFailed',
      'InvalidRequestContent',
    ]);
    for (const c of cases) expectValid(ARM_TYPES, 'ErrorResponse', c.body);
  });

  it('connectedClusters PUT/GET/PATCH/list/DELETE match the 2024-01-01 schema', async () => {
    const ex = readExample(CLUSTER_EXAMPLES_DIR, 'CreateCluster_KindExample.json');
    const body = (ex.parameters as Record<string, unknown>).ConnectedCluster;
    const path = `/subscriptions/${SUB}/resourceGroups/k8sc-rg/providers/Microsoft.Kubernetes/connectedClusters/testCluster`;
    const put = await h.raw('PUT', `${path}${CV}`, body);
    expect(put.status).toBe(201);
    expectValid(CLUSTERS_SPEC, 'ConnectedCluster', put.body);
    expect(put.body).toMatchObject({
      kind: 'ProvisionedCluster',
      location: 'East US',
      properties: { distribution: 'AKS' },
    });
    const op = new URL(String(put.headers['azure-asyncoperation']));
    expect((await h.raw('GET', op.pathname + op.search)).body).toMatchObject({ status: 'Succeeded' });
    const again = await h.raw('PUT', `${path}${CV}`, body);
    expect(again.status).toBe(200);

    const upd = readExample(CLUSTER_EXAMPLES_DIR, 'UpdateClusterExample.json');
    const patch = await h.raw(
      'PATCH',
      `${path}${CV}`,
      (upd.parameters as Record<string, unknown>).ConnectedClusterPatch,
    );
    expect(patch.status).toBe(200);
    expectValid(CLUSTERS_SPEC, 'ConnectedCluster', patch.body);
    expect((patch.body as { tags: unknown }).tags).toEqual(
      ((upd.parameters as Record<string, Record<string, unknown>>).ConnectedClusterPatch ?? {}).tags,
    );

    const get = await h.raw(
      'GET',
      `${path.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')}${CV}`,
    );
    expect(get.status).toBe(200);
    expect((get.body as { name: string }).name).toBe('testCluster');
    const list = await h.raw(
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Kubernetes/connectedClusters${CV}`,
    );
    expectValid(CLUSTERS_SPEC, 'ConnectedClusterList', list.body);
    expect((list.body as { value: unknown[] }).value.length).toBeGreaterThanOrEqual(3);

    expect((await h.raw('DELETE', `${path}${CV}`)).status).toBe(202);
    expect((await h.raw('GET', `${path}${CV}`)).status).toBe(404);
    expect((await h.raw('DELETE', `${path}${CV}`)).status).toBe(204);
  });
});

describe('spec example requests replay', () => {
  const base = (name: string) => extPath('clusterName1', name, SUB, 'rg1');
  for (const file of ['CreateExtension.json', 'CreateExtensionWithPlan.json']) {
    it(`replays ${file}`, async () => {
      const ex = readExample(EXAMPLES_DIR, file);
      const p = ex.parameters as Record<string, unknown>;
      const res = await h.raw('PUT', `${base(String(p.extensionName))}${V}`, p.extension);
      expect(Object.keys(ex.responses as object)).toContain(String(res.status));
      expectValid(EXTENSIONS_SPEC, 'Extension', res.body);
      const sent = (p.extension as { properties: Record<string, unknown> }).properties;
      const got = (res.body as { properties: Record<string, unknown> }).properties;
      expect(got.extensionType).toBe(String(sent.extensionType).toLowerCase());
      expect(got.releaseTrain).toBe(sent.releaseTrain);
      if (sent.configurationSettings) expect(got.configurationSettings).toEqual(sent.configurationSettings);
      expect(got).not.toHaveProperty('configurationProtectedSettings');
      if ((p.extension as Record<string, unknown>).plan)
        expect((res.body as Record<string, unknown>).plan).toEqual(
          (p.extension as Record<string, unknown>).plan,
        );
    });
  }

  it('replays PatchExtension, GetExtension, ListExtensions, GetExtensionAsyncOperationStatus and DeleteExtension', async () => {
    await new Promise((r) => setTimeout(r, 100));
    const patchEx = readExample(EXAMPLES_DIR, 'PatchExtension.json');
    const patch = await h.raw(
      'PATCH',
      `${base('ClusterMonitor')}${V}`,
      (patchEx.parameters as Record<string, unknown>).patchExtension,
    );
    expect(['200', '202']).toContain(String(patch.status));
    expectValid(EXTENSIONS_SPEC, 'Extension', patch.body);
    // The create example already sent the same values, so the service reports "nothing changed" (200).
    expect(patch.status).toBe(200);
    const changed = await h.raw('PATCH', `${base('ClusterMonitor')}${V}`, {
      properties: { releaseTrain: 'Stable' },
    });
    expect(changed.status).toBe(202);
    const op = new URL(String(changed.headers['azure-asyncoperation']));
    const status = await h.raw('GET', `${op.pathname}${op.search}`);
    expectValid(KC_COMMON, 'OperationStatusResult', status.body);
    const opEx = readExample(EXAMPLES_DIR, 'GetExtensionAsyncOperationStatus.json');
    const exBody = (opEx.responses as Record<string, { body: Record<string, unknown> }>)['200']?.body ?? {};
    expect(Object.keys(status.body as object).sort()).toEqual(Object.keys(exBody).sort());
    await new Promise((r) => setTimeout(r, 100));
    const get = await h.raw('GET', `${base('ClusterMonitor')}${V}`);
    expectValid(EXTENSIONS_SPEC, 'Extension', get.body);
    expect(get.body).toMatchObject({
      name: 'ClusterMonitor',
      properties: { provisioningState: 'Succeeded' },
    });
    const list = await h.raw('GET', `${extPath('clusterName1', undefined, SUB, 'rg1')}${V}`);
    expectValid(EXTENSIONS_SPEC, 'ExtensionsList', list.body);
    expect((list.body as { value: { name: string }[] }).value.map((e) => e.name).sort()).toEqual([
      'ClusterMonitor',
      'azureVote',
    ]);
    const del = await h.raw('DELETE', `${base('ClusterMonitor')}${V}`);
    expect(Object.keys(readExample(EXAMPLES_DIR, 'DeleteExtension.json').responses as object)).toContain(
      String(del.status),
    );
  });
});

describe('ARM plumbing', () => {
  it('resource groups by PUT, newer extension api-versions, list by resource group, write headers', async () => {
    const rg = await h.raw('PUT', `/subscriptions/${SUB}/resourcegroups/rg-new?api-version=2021-04-01`, {
      location: 'westeurope',
    });
    expect(rg.status).toBe(201);
    expect(rg.body).toMatchObject({
      name: 'rg-new',
      location: 'westeurope',
      properties: { provisioningState: 'Succeeded' },
    });
    expect(
      (
        await h.raw('PUT', `/subscriptions/${SUB}/resourcegroups/rg-new?api-version=2021-04-01`, {
          location: 'westeurope',
        })
      ).status,
    ).toBe(200);
    expect(
      (await h.raw('GET', `/subscriptions/${SUB}/resourceGroups/RG-NEW?api-version=2021-04-01`)).status,
    ).toBe(200);
    for (const v of ['2024-11-01', '2025-03-01']) {
      expect((await h.raw('GET', `${extPath('c1')}?api-version=${v}`)).status).toBe(200);
    }
    const put = await h.raw('PUT', `${extPath('c1', 'hdr')}${V}`, {
      properties: { extensionType: 'Contoso.Thing' },
    });
    expect(Number(put.headers['x-ms-ratelimit-remaining-subscription-writes'])).toBeGreaterThan(0);
    expect(put.headers['x-ms-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const del = await h.raw('DELETE', `${extPath('c1', 'hdr')}${V}&forceDelete=true`);
    expect(Number(del.headers['x-ms-ratelimit-remaining-subscription-deletes'])).toBeGreaterThan(0);
    const byGroup = await h.raw(
      'GET',
      `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Kubernetes/connectedClusters${CV}`,
    );
    expectValid(CLUSTERS_SPEC, 'ConnectedClusterList', byGroup.body);
    expect((byGroup.body as { value: { name: string }[] }).value.map((c) => c.name)).toEqual([
      'clusterName1',
    ]);
    const badSub = await h.raw(
      'GET',
      `/subscriptions/not-a-guid/providers/Microsoft.Kubernetes/connectedClusters${CV}`,
    );
    expect(badSub.status).toBe(400);
    expect((await h.raw('GET', `/subscriptions/${SUB}/providers/Microsoft.Foo/bars${CV}`)).status).toBe(404);
  });

  it('the correlation id a client sends is echoed', async () => {
    const r = await h.raw('GET', `${extPath('c1')}${V}`, undefined, {
      authorization: 'Bearer x',
      'x-ms-correlation-request-id': 'corr-123',
    });
    expect(r.headers['x-ms-correlation-request-id']).toBe('corr-123');
  });
});
