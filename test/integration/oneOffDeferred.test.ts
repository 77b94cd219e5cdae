/**
 * Issue 13, field failure 2: a one-off install on a cluster that is not Connected yet (Connecting, Offline)
 * is accepted (202) and held Deferred like a rollout's cluster, then runs once the cluster connects; an
 * Expired cluster (its agents must be reconnected) is still refused with 422 ClusterExpired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import {
  extensionOf,
  rolloutOf,
  rowsOf,
  seedAndSettle,
  seedCluster,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const RG = 'rg-held';
const connecting = seedCluster(S, RG, 'h-connecting', { connectivityStatus: 'Connecting' });
const offline = seedCluster(S, RG, 'h-offline', { connectivityStatus: 'Offline' });
const expired = seedCluster(S, RG, 'h-expired', { connectivityStatus: 'Expired' });
const osmPath = (name: string) => `/api/clusters/${S}/${RG}/${name}/osm`;

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [connecting, offline, expired]);
}, 30_000);
afterAll(async () => stack?.stop());

describe('one-off install on a cluster that is not Connected', () => {
  it.each([
    ['Connecting', connecting],
    ['Offline', offline],
  ])('%s: 202 Deferred, nothing sent to ARM, then installed once it connects', async (status, c) => {
    const r = await stack.api('PUT', osmPath(c.name), { version: '1.2.6' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({
      clusterId: c.id,
      action: 'skip',
      to: '1.2.6',
      state: 'Deferred',
      rolloutId: expect.any(String),
    });
    expect(r.body.message).toBe(`connectivity is ${status}; deferred until the cluster is Connected`);
    const id = r.body.rolloutId as string;
    // a reconcile pass that saw the cluster still away keeps it Deferred and the rollout Running
    const pass = await stack.app.deps.fleet.sweep({ clusterIds: [c.id] });
    expect(pass[0]?.connectivity).toBe(status);
    await stack.host.runTimer('reconcile');
    expect((await rowsOf(stack, id)).get(c.id.toLowerCase())).toMatchObject({
      state: 'Deferred',
      reason: 'ClusterOffline',
    });
    expect((await rolloutOf(stack, id)).state).toBe('Running');
    expect(await extensionOf(stack, c.id)).toBeUndefined();

    await stack.control.setConnectivity(c.id, 'Connected');
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    const ext = await extensionOf(stack, c.id);
    expect(ext?.resource.properties).toMatchObject({
      currentVersion: '1.2.6',
      provisioningState: 'Succeeded',
    });
    expect(ext?.puts).toBe(1);
  });

  it('Expired: still 422 ClusterExpired, no rollout', async () => {
    const before = (await stack.api('GET', '/api/rollouts?top=100')).body.items.length;
    expectError(await stack.api('PUT', osmPath('h-expired'), { version: '1.2.6' }), 422, 'ClusterExpired');
    expect((await stack.api('GET', '/api/rollouts?top=100')).body.items.length).toBe(before);
  });
});
