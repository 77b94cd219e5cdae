/**
 * Two rollouts that reach one cluster at once: the second one's step finds the cluster's lease held and
 * requeues itself; it must proceed soon after the first operation ends (the lease is released), not when
 * the lease would have expired (about an hour by default).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { policyBody } from '../support/apiExpect.js';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 300, events: false });
  await stack.control.seed({
    explicit: [{ subscriptionId: SUBS[0]!, resourceGroup: 'rg-both', name: 'both-1', distribution: 'eks' }],
  });
  await new Promise((r) => setTimeout(r, 300));
});
afterAll(async () => stack?.stop());

it('a rollout queued behind another one on the same cluster proceeds once that one ends', async () => {
  const target = { target: { resourceGroups: ['rg-both'] } };
  expect((await stack.api('PUT', '/api/policies/first', policyBody(target))).status).toBe(201);
  const second = policyBody({
    ...target,
    osm: { version: '1.2.6', configurationSettings: { 'osm.osm.envoyLogLevel': 'warning' } },
  });
  expect((await stack.api('PUT', '/api/policies/second', second)).status).toBe(201);
  const a = await stack.api('POST', '/api/rollouts', { policy: 'first' });
  const b = await stack.api('POST', '/api/rollouts', { policy: 'second' });
  expect([a.status, b.status]).toEqual([201, 201]);
  const state = async (id: string) => (await stack.api('GET', `/api/rollouts/${id}`)).body.state as string;
  await waitFor(async () => (await state(a.body.id)) === 'Succeeded', 10_000);
  // The first operation ended: the second should follow within seconds, not when the lease expires.
  await waitFor(async () => (await state(b.body.id)) === 'Succeeded', 8_000);
}, 25_000);
