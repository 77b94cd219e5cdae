// Failure modes from the field, each switchable through the control surface: Offline/Expired clusters,
// conflicting operations, lingering namespaces, unregistered providers, cluster deleted mid-operation,
// Helm timeouts, install-outcome rules and request fault rules.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OSM_BODY, POLL, RG, SUB, extPath, startHarness, waitFor, type Harness } from './harness.js';

const V = '?api-version=2023-05-01';
let h: Harness;
let n = 0;

async function newCluster(
  connectivityStatus: 'Connected' | 'Offline' | 'Expired' = 'Connected',
): Promise<string> {
  const name = `fm-${++n}`;
  await h.control.seed({ explicit: [{ subscriptionId: SUB, resourceGroup: RG, name, connectivityStatus }] });
  return name;
}

async function putOsm(cluster: string, version = '1.2.6'): Promise<string> {
  const res = await h.raw('PUT', `${extPath(cluster, 'osm')}${V}`, { properties: OSM_BODY(version) });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  const url = new URL(String(res.headers['azure-asyncoperation']));
  return url.pathname + url.search;
}

async function opStatus(opPath: string): Promise<{
  status: string;
  error: { code: string; message: string; details?: { code: string; message: string }[] } | null;
}> {
  return (await h.raw('GET', opPath)).body as never;
}

async function waitDone(opPath: string) {
  let body = await opStatus(opPath);
  await waitFor(async () => (body = await opStatus(opPath)).status !== 'InProgress');
  return body;
}

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.control.config({
    installMs: 30,
    failureModes: {
      conflictWhileInProgress: true,
      conflictResponse: 'asyncFailure',
      namespaceLingerMs: 0,
      offlineTimeoutMs: 60_000,
      helmTimeoutRate: 0,
    },
  });
  await h.control.clearFaults();
});
afterAll(async () => h.close());

describe('Offline and Expired clusters', () => {
  it('an Offline cluster accepts the PUT, stays InProgress, and completes once it is back', async () => {
    const c = await newCluster('Offline');
    const op = await putOsm(c);
    // a witness on a Connected cluster, started after: once it is done, the Offline one had the time too
    expect((await waitDone(await putOsm(await newCluster()))).status).toBe('Succeeded');
    expect((await opStatus(op)).status).toBe('InProgress');
    expect((await h.raw('GET', `${extPath(c, 'osm')}${V}`)).body).toMatchObject({
      properties: { provisioningState: 'Creating' },
    });
    await h.control.setConnectivity(h.clusterId(c), 'Connected');
    expect((await waitDone(op)).status).toBe('Succeeded');
  });

  it('an operation on an Offline cluster times out after the (scaled) hour with the agent message', async () => {
    await h.control.config({ failureModes: { offlineTimeoutMs: 120 } });
    const c = await newCluster('Offline');
    const done = await waitDone(await putOsm(c));
    expect(done.status).toBe('Failed');
    expect(done.error?.code).toBe('ResourceOperationFailure');
    expect(done.error?.details?.[0]?.message).toMatch(/Unable to get response from the Agent in time/);
  });

  it('an Expired cluster never runs the operation; reconnecting it deletes its extensions', async () => {
    await h.control.config({ failureModes: { offlineTimeoutMs: 400 } });
    const c = await newCluster('Expired');
    const op = await putOsm(c);
    expect((await waitDone(await putOsm(await newCluster()))).status).toBe('Succeeded'); // a witness
    expect((await opStatus(op)).status).toBe('InProgress');
    await h.control.setConnectivity(h.clusterId(c), 'Connected');
    expect((await opStatus(op)).status).toBe('Canceled');
    expect((await h.raw('GET', `${extPath(c, 'osm')}${V}`)).status).toBe(404);
  });
});

describe('conflicting operations', () => {
  it('by default a write while an operation runs is accepted and its operation fails with UpdateFailed; the running one carries on', async () => {
    await h.control.config({ installMs: 300 });
    expect((await h.control.config()).failureModes.conflictResponse).toBe('asyncFailure');
    const c = await newCluster();
    const first = await putOsm(c);
    const second = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, { properties: OSM_BODY('1.2.6') });
    expect(second.status).toBe(200);
    expect(second.headers['azure-asyncoperation']).toEqual(expect.stringContaining('/operations/'));
    const secondUrl = new URL(String(second.headers['azure-asyncoperation']));
    const failed = await waitDone(secondUrl.pathname + secondUrl.search);
    expect(failed).toMatchObject({
      status: 'Failed',
      error: {
        code: 'ResourceOperationFailure',
        details: [
          { code: 'UpdateFailed', message: expect.stringMatching(/conflicting operation in progress/) },
        ],
      },
    });
    const patch = await h.raw('PATCH', `${extPath(c, 'osm')}${V}`, {
      properties: { configurationSettings: { a: 'b' } },
    });
    expect(patch.status).toBe(202);
    const del = await h.raw('DELETE', `${extPath(c, 'osm')}${V}`);
    expect(del.status).toBe(202);
    const delUrl = new URL(String(del.headers['azure-asyncoperation']));
    expect((await waitDone(delUrl.pathname + delUrl.search)).status).toBe('Failed');
    // The first operation was not disturbed and the refused PATCH left no trace.
    expect((await waitDone(first)).status).toBe('Succeeded');
    const ext = (await h.raw('GET', `${extPath(c, 'osm')}${V}`)).body as {
      properties: { provisioningState: string; configurationSettings: Record<string, string> };
    };
    expect(ext.properties.provisioningState).toBe('Succeeded');
    expect(ext.properties.configurationSettings.a).toBeUndefined();
  });

  it('the real SDK client reports the accepted-then-failed conflict as a failed operation', async () => {
    await h.control.config({ installMs: 300 });
    const c = await newCluster();
    const first = await putOsm(c);
    const error = await h.client.extensions
      .beginUpdateAndWait(
        RG,
        'Microsoft.Kubernetes',
        'connectedClusters',
        c,
        'osm',
        { configurationSettings: { a: 'b' } },
        POLL,
      )
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
    expect(error?.message).toMatch(/terminal provisioning state 'Failed'/);
    expect((await waitDone(first)).status).toBe('Succeeded');
  });

  it('switched to sync409, the write gets 409 UpdateFailed; switched off, the newer one supersedes', async () => {
    await h.control.config({ installMs: 300, failureModes: { conflictResponse: 'sync409' } });
    const c = await newCluster();
    const first = await putOsm(c);
    const second = await h.raw('PATCH', `${extPath(c, 'osm')}${V}`, {
      properties: { configurationSettings: { a: 'b' } },
    });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      error: { code: 'UpdateFailed', message: expect.stringMatching(/conflicting operation in progress/) },
    });
    expect((await h.raw('DELETE', `${extPath(c, 'osm')}${V}`)).status).toBe(409);
    await h.control.config({ failureModes: { conflictWhileInProgress: false } });
    const third = await h.raw('PATCH', `${extPath(c, 'osm')}${V}`, {
      properties: { configurationSettings: { a: 'b' } },
    });
    expect(third.status).toBe(202);
    expect((await opStatus(first)).status).toBe('Canceled');
    const url = new URL(String(third.headers['azure-asyncoperation']));
    expect((await waitDone(url.pathname + url.search)).status).toBe('Succeeded');
  });

  it('refuses an unknown conflictResponse', async () => {
    const r = await h.raw('PUT', '/_emulator/config', { failureModes: { conflictResponse: 'maybe' } });
    expect(r.status).toBe(400);
  });
});

describe('release namespace lingering after delete', () => {
  it('a quick reinstall fails with the terminating-namespace error; after the window it succeeds', async () => {
    await h.control.config({ failureModes: { namespaceLingerMs: 400 } });
    const c = await newCluster();
    expect((await waitDone(await putOsm(c))).status).toBe('Succeeded');
    await h.client.extensions.beginDeleteAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      c,
      'osm',
      POLL,
    );
    const state = await h.control.getCluster(h.clusterId(c));
    expect(Object.keys(state.terminatingNamespaces)).toEqual(['arc-osm-system']);
    const quick = await waitDone(await putOsm(c));
    expect(quick.status).toBe('Failed');
    expect(quick.error?.details?.[0]?.message).toMatch(/because it is being terminated/);
    // the emulator says until when the namespace terminates: wait for that instant, not a guessed time
    const until = Date.parse(state.terminatingNamespaces['arc-osm-system']!);
    await waitFor(async () => Date.now() > until);
    expect((await waitDone(await putOsm(c))).status).toBe('Succeeded');
  });
});

describe('subscription and cluster faults', () => {
  it('a resource provider not registered on the subscription gives 409 MissingSubscriptionRegistration', async () => {
    const c = await newCluster();
    await h.control.setProviderRegistered(SUB, false);
    const res = await h.raw('PUT', `${extPath(c, 'osm')}${V}`, { properties: OSM_BODY('1.2.6') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'MissingSubscriptionRegistration' } });
    await h.control.setProviderRegistered(SUB, true);
    expect((await h.raw('PUT', `${extPath(c, 'osm')}${V}`, { properties: OSM_BODY('1.2.6') })).status).toBe(
      201,
    );
  });

  it('deleting the cluster while its extension operation runs cancels the operation', async () => {
    await h.control.config({ installMs: 300 });
    const c = await newCluster();
    const op = await putOsm(c);
    const del = await h.raw(
      'DELETE',
      `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/${c}?api-version=2024-01-01`,
    );
    expect(del.status).toBe(202);
    const body = await opStatus(op);
    expect(body.status).toBe('Canceled');
    expect(body.error?.details?.[0]?.code).toBe('ParentResourceNotFound');
    expect((await h.raw('GET', `${extPath(c, 'osm')}${V}`)).status).toBe(404);
  });

  it('Helm timeouts ("pods never ready") fail the install with the atomic-rollback message', async () => {
    await h.control.config({ failureModes: { helmTimeoutRate: 1 } });
    const c = await newCluster();
    const done = await waitDone(await putOsm(c));
    expect(done.status).toBe('Failed');
    expect(done.error?.details?.[0]?.message).toMatch(/uninstalled due to atomic being set/);
  });

  it('install-outcome rules fail chosen clusters with the given code and message', async () => {
    const bad = await newCluster();
    const good = await newCluster();
    await h.control.addInstallOutcome({
      clusterIds: [h.clusterId(bad)],
      code: 'ExtensionCreationFailed',
      message: 'boom',
      count: 1,
    });
    const failed = await waitDone(await putOsm(bad));
    expect(failed.error?.details).toEqual([{ code: 'ExtensionCreationFailed', message: 'boom' }]);
    expect((await waitDone(await putOsm(good))).status).toBe('Succeeded');
    const ext = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', bad, 'osm');
    expect(ext.statuses?.[0]).toMatchObject({ code: 'InstallationFailed', level: 'Error' });
    expect(ext.statuses?.[0]?.message).toMatch(
      /^Error: \{boom\} occurred while doing the operation : \{Installing the extension\} on the config$/,
    );
  });
});

describe('request fault rules', () => {
  it('injects 503 once (the SDK retries), drops a connection, and adds latency', async () => {
    const c = await newCluster();
    await waitDone(await putOsm(c));
    await h.control.addFault({
      method: 'GET',
      pathRegex: `/connectedClusters/${c}/providers/Microsoft.KubernetesConfiguration/extensions/osm$`,
      action: { status: 503 },
      count: 1,
    });
    const got = await h.client.extensions.get(RG, 'Microsoft.Kubernetes', 'connectedClusters', c, 'osm');
    expect(got.provisioningState).toBe('Succeeded');
    await h.control.clearFaults();
    await h.control.addFault({ clusterId: h.clusterId(c), action: { timeout: true }, count: 1 });
    await expect(h.raw('GET', `${extPath(c, 'osm')}${V}`)).rejects.toThrow();
    await h.control.addFault({ clusterId: h.clusterId(c), action: { latencyMs: 150 }, count: 1 });
    const start = Date.now();
    expect((await h.raw('GET', `${extPath(c, 'osm')}${V}`)).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    expect((await h.control.stats()).faultsInjected).toBe(3);
  });
});

describe('more agent behaviour', () => {
  it('the SDK waits out an Offline cluster and succeeds when it reconnects', async () => {
    const c = await newCluster('Offline');
    setTimeout(() => void h.control.setConnectivity(h.clusterId(c), 'Connected'), 200);
    const started = Date.now();
    const ext = await h.client.extensions.beginCreateAndWait(
      RG,
      'Microsoft.Kubernetes',
      'connectedClusters',
      c,
      'osm',
      OSM_BODY('1.2.6'),
      POLL,
    );
    expect(ext.provisioningState).toBe('Succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('never-converging operations stay InProgress until the deadline, then fail', async () => {
    // A deadline far above one request's time even on a loaded machine; the failure must not come sooner.
    const deadlineMs = 1_500;
    await h.control.config({ failureModes: { neverConvergeRate: 1, offlineTimeoutMs: deadlineMs } });
    try {
      const c = await newCluster();
      const sent = Date.now();
      const op = await putOsm(c);
      expect((await opStatus(op)).status).toBe('InProgress');
      expect((await waitDone(op)).status).toBe('Failed');
      expect(Date.now() - sent).toBeGreaterThanOrEqual(deadlineMs);
    } finally {
      await h.control.config({ failureModes: { neverConvergeRate: 0 } });
    }
  });

  it('an install-outcome failRate fails a share of operations, deterministically for the seed', async () => {
    // Two emulators with the same seed, the same 20 installs one after the other: the same clusters fail.
    const outcomes = async (seed: number) => {
      const e = await startHarness({ config: { randomSeed: seed } });
      try {
        await e.control.addInstallOutcome({ failRate: 0.5, extensionType: 'microsoft.openservicemesh' });
        const names = Array.from({ length: 20 }, (_, i) => `det-${i}`);
        await e.control.seed({
          explicit: names.map((name) => ({ subscriptionId: SUB, resourceGroup: RG, name })),
        });
        const statuses: string[] = [];
        for (const name of names) {
          const res = await e.raw('PUT', `${extPath(name, 'osm')}${V}`, { properties: OSM_BODY('1.2.6') });
          const url = new URL(String(res.headers['azure-asyncoperation']));
          const status = async () =>
            ((await e.raw('GET', url.pathname + url.search)).body as { status: string }).status;
          let last = await status();
          await waitFor(async () => (last = await status()) !== 'InProgress');
          statuses.push(last);
        }
        return statuses;
      } finally {
        await e.close();
      }
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['Succeeded', 'Failed'])); // the rate is neither 0 nor 1
  });
});
