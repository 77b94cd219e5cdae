/**
 * GET /api/policies/{name}/compliance (docs/api.md, Compliance) and DriftDetected, through the local host:
 * the timer's sweep fills the inventory, the API classifies from it; an out-of-band change of a policy
 * setting (an ARM PUT, as `az k8s-extension update` sends) is reported once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-comp';
const KEY = 'osm.osm.enablePermissiveTrafficPolicy';
const osmAt = (version: string, settings: Record<string, string>) => [
  { name: 'osm', extensionType: 'Microsoft.openservicemesh', version, configurationSettings: settings },
];
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  const sub = SUBS[0]!;
  await stack.control.seed({
    explicit: [
      {
        subscriptionId: sub,
        resourceGroup: RG,
        name: 'c-ok',
        distribution: 'eks',
        extensions: osmAt('1.2.6', { [KEY]: 'false' }),
      },
      {
        subscriptionId: sub,
        resourceGroup: RG,
        name: 'c-drift',
        distribution: 'eks',
        extensions: osmAt('1.2.6', { [KEY]: 'true' }),
      },
      {
        subscriptionId: sub,
        resourceGroup: RG,
        name: 'c-behind',
        distribution: 'aks',
        extensions: osmAt('1.1.1', { [KEY]: 'false' }),
      },
      { subscriptionId: sub, resourceGroup: RG, name: 'c-none', distribution: 'eks' },
      { subscriptionId: sub, resourceGroup: RG, name: 'c-odd', distribution: 'weirdk8s' },
      {
        subscriptionId: sub,
        resourceGroup: RG,
        name: 'c-off',
        distribution: 'gke',
        connectivityStatus: 'Offline',
      },
      { subscriptionId: SUBS[1]!, resourceGroup: RG, name: 'c-other-sub', distribution: 'eks' },
    ],
  });
  const put = await stack.api(
    'PUT',
    '/api/policies/comp',
    policyBody({
      target: { resourceGroups: [RG] },
      osm: { version: '1.2.6', configurationSettings: { [KEY]: 'false' } },
    }),
  );
  expect(put.status).toBe(201);
});
afterAll(async () => stack?.stop());

const compliance = (q = '') => stack.api('GET', `/api/policies/comp/compliance${q}`);

describe('GET /api/policies/{name}/compliance', () => {
  it('classifies every targeted cluster from the last sweep, with its age, and per subscription', async () => {
    const r = await waitFor(async () => {
      const res = await compliance();
      return res.status === 200 && res.body.summary.clusters === 7 ? res : undefined;
    });
    expect(r.body.sweep.at).toEqual(expect.any(String));
    expect(r.body.sweep.ageSeconds).toBeLessThan(60);
    expect(r.body.sweep.stale).toBe(false);
    expect(r.body.summary.counts).toEqual({
      compliant: 1,
      drifted: 1,
      behind: 1,
      missing: 2,
      notEligible: 2,
      failed: 0,
      other: 0,
    });
    expect(r.body.bySubscription[SUBS[1]!].counts.missing).toBe(1);
    expect(r.body.bySubscription[SUBS[0]!].clusters).toBe(6);
    const byName = Object.fromEntries(r.body.clusters.items.map((c: { name: string }) => [c.name, c]));
    expect(byName['c-drift']).toMatchObject({
      status: 'drifted',
      drift: [{ key: KEY, current: 'true', desired: 'false' }],
    });
    expect(byName['c-behind']).toMatchObject({ status: 'behind', version: '1.1.1', path: ['1.2.6'] });
    expect(byName['c-odd']).toMatchObject({ status: 'notEligible', reason: 'UnsupportedDistribution' });
    expect(byName['c-off']).toMatchObject({ status: 'notEligible', reason: 'ClusterOffline' });
  });

  it('lists one class, one subscription, a page at a time', async () => {
    const first = await compliance('?status=notEligible&top=1');
    expect(first.status).toBe(200);
    expect(first.body.clusters.items.map((c: { name: string }) => c.name)).toEqual(['c-odd']);
    const token = encodeURIComponent(first.body.clusters.continuationToken);
    const second = await compliance(`?status=notEligible&top=1&continuationToken=${token}`);
    expect(second.body.clusters.items.map((c: { name: string }) => c.name)).toEqual(['c-off']);
    expect(second.body.clusters.continuationToken).toBeUndefined();
    const sub = await compliance(`?subscription=${SUBS[1]}`);
    expect(sub.body.clusters.items.map((c: { name: string }) => c.name)).toEqual(['c-other-sub']);
  });

  it('refuses a bad status, a foreign token and an unknown policy', async () => {
    expectError(await compliance('?status=green'), 400, 'InvalidQueryParameter', 'status');
    expectError(await compliance('?continuationToken=bm9wZQ'), 400, 'InvalidQueryParameter');
    expectError(await stack.api('GET', '/api/policies/nope/compliance'), 404, 'PolicyNotFound');
  });
});

describe('DriftDetected', () => {
  const drifted = clusterIdOf(SUBS[0]!, RG, 'c-drift');
  const history = async () =>
    (
      (await stack.api('GET', `/api/clusters/${SUBS[0]}/${RG}/c-drift/history`)).body.items as {
        action: string;
        message: string;
      }[]
    ).filter((e) => e.action === 'DriftDetected');
  const sweeps = () => stack.logs.filter((l) => l.includes('fleet reconciled')).length;

  it('is raised once per change: the same drift over several sweeps is one event, a new change another', async () => {
    await waitFor(async () => (await history()).length === 1);
    const before = sweeps();
    await waitFor(async () => sweeps() >= before + 3); // three more sweeps saw the same drift
    expect(await history()).toHaveLength(1);
    expect((await history())[0]?.message).toContain(`${KEY} is true, policy says false`);

    // Out of band: someone sets another value with an ARM PUT.
    await stack.app.deps.arm.beginPutExtension(drifted, 'osm', {
      extensionType: 'Microsoft.openservicemesh',
      releaseTrain: 'stable',
      version: '1.2.6',
      autoUpgradeMinorVersion: false,
      releaseNamespace: 'arc-osm-system',
      configurationSettings: { [KEY]: 'maybe' },
      configurationProtectedSettings: {},
    });
    const events = await waitFor(async () => {
      const h = await history();
      return h.length === 2 ? h : undefined;
    });
    expect(events[0]?.message).toContain(`${KEY} is maybe`);
  });
});
