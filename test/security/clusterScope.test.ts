/**
 * Issue 14 item 4: the routes that act on one named cluster (PUT / DELETE /api/clusters/{sub}/{rg}/{name}/osm)
 * refuse a cluster outside FLEET_SUBSCRIPTIONS (403 SubscriptionOutOfScope) before any ARM request, like the
 * Event Grid path; the same request on an in-scope cluster is accepted (so the refusal is the scope's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, type FleetStack } from '../support/fleetStack.js';

const OUTSIDE = '33333333-3333-4333-8333-333333333333';
const osm = [{ name: 'osm', extensionType: 'Microsoft.openservicemesh', version: '1.2.6' }];
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000, events: false });
  await stack.control.seed({
    explicit: [
      { subscriptionId: OUTSIDE, resourceGroup: 'rg-out', name: 'bare', distribution: 'aks' },
      {
        subscriptionId: OUTSIDE,
        resourceGroup: 'rg-out',
        name: 'with-osm',
        distribution: 'aks',
        extensions: osm,
      },
      { subscriptionId: SUBS[0]!, resourceGroup: 'rg-in', name: 'bare', distribution: 'aks' },
    ],
  });
});
afterAll(async () => stack?.stop());

describe('cluster routes and FLEET_SUBSCRIPTIONS', () => {
  it('PUT and DELETE .../osm on an out-of-scope subscription: 403, no ARM request, nothing installed', async () => {
    const before = (await stack.control.stats()).requestsBySubscription[OUTSIDE] ?? 0;
    const put = await stack.api('PUT', `/api/clusters/${OUTSIDE}/rg-out/bare/osm`, {
      version: '1.2.6',
      configurationProtectedSettings: { 'osm.osm.token': 'never-sent-out-of-scope' },
    });
    expectError(put, 403, 'SubscriptionOutOfScope');
    expectError(
      await stack.api('DELETE', `/api/clusters/${OUTSIDE}/rg-out/with-osm/osm`),
      403,
      'SubscriptionOutOfScope',
    );
    expect((await stack.control.stats()).requestsBySubscription[OUTSIDE] ?? 0).toBe(before);
    expect((await stack.control.getCluster(clusterIdOf(OUTSIDE, 'rg-out', 'bare'))).extensions).toEqual([]);
    expect(
      (await stack.control.getCluster(clusterIdOf(OUTSIDE, 'rg-out', 'with-osm'))).extensions,
    ).toHaveLength(1);
  });

  it('the same PUT on an in-scope cluster is accepted', async () => {
    const put = await stack.api('PUT', `/api/clusters/${SUBS[0]!}/rg-in/bare/osm`, { version: '1.2.6' });
    expect(put.status).toBe(202);
  });
});
