import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack();
  await stack.control.seed({
    explicit: [
      { subscriptionId: SUBS[0]!, resourceGroup: 'rg-a', name: 'new-1', distribution: 'eks' },
      {
        subscriptionId: SUBS[0]!,
        resourceGroup: 'rg-a',
        name: 'old-1',
        distribution: 'aks',
        extensions: [
          {
            name: 'osm',
            extensionType: 'Microsoft.openservicemesh',
            version: '1.1.1',
            autoUpgradeMinorVersion: false,
            configurationSettings: { 'osm.osm.envoyLogLevel': 'debug' },
          },
        ],
      },
    ],
  });
});
afterAll(async () => stack?.stop());

describe('smoke', () => {
  it('health answers', async () => {
    const r = await stack.api('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', storage: 'ok', arm: 'ok' });
  });

  it('rolls a policy out to two clusters', async () => {
    const put = await stack.api('PUT', '/api/policies/smoke', {
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }] },
    });
    expect(put.status).toBe(201);
    await new Promise((r) => setTimeout(r, 400)); // let Resource Graph catch up with the seed
    const created = await stack.api('POST', '/api/rollouts', { policy: 'smoke' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const done = await waitFor(
      async () => {
        const r = await stack.api('GET', `/api/rollouts/${id}`);
        return ['Succeeded', 'Failed', 'Halted'].includes(r.body.state) && r.body;
      },
      30_000,
      () => stack.logs.slice(-20).join('\n'),
    );
    expect(done.state).toBe('Succeeded');
    const old = await stack.control.getCluster(clusterIdOf(SUBS[0]!, 'rg-a', 'old-1'));
    expect(old.extensions[0]?.resource.properties.currentVersion).toBe('1.2.6');
    expect(old.extensions[0]?.runningSettings['osm.osm.envoyLogLevel']).toBe('debug');
  });
});
