/**
 * ARM's read bucket refills 2.5 times faster than its write bucket (25 vs 10 per s per subscription), so a
 * hop that reads more than about 2.5 times per write makes reads, not writes, bind a large rollout
 * (docs/performance.md). Issue 5's budget: at most 1 ARM write and 3 ARM reads per cluster per hop. Here,
 * on a check delay long enough for every install to end before its first check, a rollout of installs and
 * upgrades spends exactly that: GET cluster + LIST extensions before the PUT, one GET of the extension after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const CLUSTERS = 12;
let stack: FleetStack;

beforeAll(async () => {
  // installMs 150 ± 50; the first check comes 1 s after the PUT, so it finds the operation over.
  stack = await startFleetStack({ reconcileEveryMs: 600_000, checkDelayMs: 1_000 });
  await stack.control.seed({
    explicit: Array.from({ length: CLUSTERS }, (_, i) => ({
      subscriptionId: SUBS[i % 2]!,
      resourceGroup: 'rg-budget',
      name: `b-${i}`,
      distribution: 'aks',
      // A third already runs 1.2.3: one upgrade hop; the rest get one install hop.
      ...(i % 3 === 0
        ? {
            extensions: [
              {
                name: 'osm',
                extensionType: 'Microsoft.openservicemesh',
                version: '1.2.3',
                autoUpgradeMinorVersion: false,
              },
            ],
          }
        : {}),
    })),
  });
  await new Promise((r) => setTimeout(r, 400)); // Resource Graph catches up with the seed
}, 60_000);
afterAll(async () => stack?.stop());

describe('ARM requests per hop', () => {
  it('a hop costs 1 write and at most 3 reads', async () => {
    const put = await stack.api('PUT', '/api/policies/budget', {
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: CLUSTERS }] },
    });
    expect(put.status).toBe(201);
    const before = await stack.control.stats();
    const created = await stack.api('POST', '/api/rollouts', { policy: 'budget' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
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
    const after = await stack.control.stats();
    const delta = (op: string) =>
      (after.requestsByOperation[op] ?? 0) - (before.requestsByOperation[op] ?? 0);
    const ops = Object.keys(after.requestsByOperation);
    const reads = ops
      .filter((op) => op.endsWith(':GET') && !op.startsWith('resourceGraph'))
      .reduce((n, op) => n + delta(op), 0);
    const writes = ops.filter((op) => /:(PUT|PATCH|DELETE)$/.test(op)).reduce((n, op) => n + delta(op), 0);
    const perOp = Object.fromEntries(ops.map((op) => [op, delta(op)]));
    expect(after.throttled429 - before.throttled429).toBe(0);
    expect(writes, JSON.stringify(perOp)).toBe(CLUSTERS);
    expect(reads / CLUSTERS, JSON.stringify(perOp)).toBeLessThanOrEqual(3);
  });
});
