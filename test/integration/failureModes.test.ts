/**
 * The field's failure modes, end to end (issue 4, Adapters and state): ARM throttling and 5xx are retried
 * without a second PUT, an extension busy with someone else's operation is waited for (one operation per
 * extension at a time), an operation past its deadline is reported stuck, and a terminal error (provider
 * not registered) is recorded with ARM's code and message and not retried blindly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, afterWorkConsidered, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import {
  armCall,
  extensionOf,
  type Json,
  osmExt,
  osmVersionOf,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const [S0, S1] = [SUBS[0]!, SUBS[1]!];
const throttled = ['t-1', 't-2', 't-3'].map((n) => seedCluster(S0, 'rg-throttle', n));
const busy = seedCluster(S0, 'rg-busy', 'busy-1', { extensions: [osmExt('1.2.3')] });
const stuck = seedCluster(S0, 'rg-stuck', 'stuck-1');
const unregistered = seedCluster(S1, 'rg-unreg', 'unreg-1');
const EXT_API = 'api-version=2023-05-01';

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [...throttled, busy, stuck, unregistered]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

async function rollOut(name: string, rg: string, timeoutMs = 25_000): Promise<{ done: Json; id: string }> {
  await putPolicy(stack, name, {
    target: { resourceGroups: [rg] },
    osm: { version: '1.2.6' },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }], maxFailurePercent: 100 },
  });
  const id = await startRollout(stack, name);
  return { done: await waitRollout(stack, id, undefined, timeoutMs), id };
}

describe('failure modes', () => {
  it('retries ARM throttling and 5xx without a second PUT', async () => {
    await stack.control.addFault({
      method: 'PUT',
      pathRegex: 'rg-throttle/.*/extensions/',
      action: { status: 429, retryAfterSeconds: 1 },
      count: 2,
    });
    await stack.control.addFault({
      method: 'GET',
      pathRegex: 'rg-throttle/.*/extensions/osm$',
      action: { status: 503 },
      count: 2,
    });
    const { done } = await rollOut('throttle', 'rg-throttle');
    expect(done.state).toBe('Succeeded');
    expect((await stack.control.stats()).faultsInjected).toBeGreaterThanOrEqual(4);
    for (const c of throttled) {
      const ext = await extensionOf(stack, c.id);
      expect({ name: c.name, puts: ext?.puts }).toEqual({ name: c.name, puts: 1 });
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    }
  });

  it('waits while someone else runs an operation on the extension, then upgrades it', async () => {
    await stack.control.config({ installMs: 1_500, installJitterMs: 0 });
    try {
      const path = `${busy.id}/providers/Microsoft.KubernetesConfiguration/extensions/osm?${EXT_API}`;
      const hand = await armCall(stack, 'PATCH', path, {
        properties: { configurationSettings: { 'osm.osm.envoyLogLevel': 'info' } },
      });
      expect(hand.status, JSON.stringify(hand.body)).toBe(202);
      const { done, id } = await rollOut('busy', 'rg-busy');
      expect(done.state).toBe('Succeeded');
      const ext = await extensionOf(stack, busy.id);
      expect(ext?.puts).toBe(2); // the operator's PATCH, then one PUT of ours once it finished
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
      expect(ext?.runningSettings['osm.osm.envoyLogLevel']).toBe('info'); // the operator's change is kept
      expect((await rowsOf(stack, id)).get(busy.id.toLowerCase())?.attempts).toBe(1);
    } finally {
      await stack.control.config({ installMs: 150, installJitterMs: 50 });
    }
  });

  it('reports an operation that never converges as stuck at its deadline', async () => {
    const deadline = stack.app.deps.settings.operationDeadlineMs;
    stack.app.deps.settings.operationDeadlineMs = 2_000;
    await stack.control.config({ failureModes: { neverConvergeRate: 1 } });
    try {
      const { done, id } = await rollOut('stuck', 'rg-stuck');
      expect(done.state).toBe('Failed');
      const row = (await rowsOf(stack, id)).get(stuck.id.toLowerCase());
      expect(row).toMatchObject({ state: 'Failed', reason: 'OperationStuck', attempts: 1 });
      expect(row.message).toMatch(/still in progress/);
      expect((await extensionOf(stack, stuck.id))?.puts).toBe(1);
    } finally {
      stack.app.deps.settings.operationDeadlineMs = deadline;
      await stack.control.config({ failureModes: { neverConvergeRate: 0 } });
    }
  });

  it('records a terminal ARM error with its code and message and does not retry it', async () => {
    await stack.control.setProviderRegistered(S1, false);
    try {
      const { done, id } = await rollOut('unreg', 'rg-unreg');
      expect(done.state).toBe('Failed');
      const row = (await rowsOf(stack, id)).get(unregistered.id.toLowerCase());
      // refused at the first extension read: no PUT was ever attempted
      expect(row).toMatchObject({ state: 'Failed', reason: 'MissingSubscriptionRegistration', attempts: 0 });
      expect(row.message).toContain('not registered to use namespace');
      await afterWorkConsidered(stack); // two reconcile passes and every message handled: nobody tries again
      const stats = await stack.control.stats();
      expect(stats.putsPerCluster[unregistered.id.toLowerCase()] ?? 0).toBe(0);
      expect(await osmVersionOf(stack, unregistered.id)).toBeUndefined();
      expect((await rowsOf(stack, id)).get(unregistered.id.toLowerCase())).toMatchObject({
        state: 'Failed',
        attempts: 0,
      });
    } finally {
      await stack.control.setProviderRegistered(S1, true);
    }
  });
});
