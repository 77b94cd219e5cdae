/**
 * ARM's read bucket refills 2.5 times faster than its write bucket (25 vs 10 per s per subscription), so a
 * hop that reads more than about 2.5 times per write makes reads, not writes, bind a large rollout
 * (docs/performance.md). Issue 5's budget: at most 1 ARM write and 3 ARM reads per cluster per hop. Here,
 * on a check delay long enough for every install to end before its first check, a rollout of installs and
 * upgrades spends exactly that: GET cluster + LIST extensions before the PUT, one GET of the extension after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import {
  osmExt,
  putPolicy,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const CLUSTERS = 12;
let stack: FleetStack;

beforeAll(async () => {
  // installMs 150 ± 50; the first check comes 1 s after the PUT, so it finds the operation over.
  stack = await startFleetStack({ reconcileEveryMs: 600_000, checkDelayMs: 1_000 });
  // A third already runs 1.2.3: one upgrade hop; the rest get one install hop.
  await seedAndSettle(
    stack,
    Array.from({ length: CLUSTERS }, (_, i) =>
      seedCluster(SUBS[i % 2]!, 'rg-budget', `b-${i}`, i % 3 === 0 ? { extensions: [osmExt('1.2.3')] } : {}),
    ),
  );
}, 60_000);
afterAll(async () => stack?.stop());

describe('ARM requests per hop', () => {
  it('a hop costs 1 write and at most 3 reads', async () => {
    await putPolicy(stack, 'budget', {
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: CLUSTERS }] },
    });
    const before = await stack.control.stats();
    const done = await waitRollout(stack, await startRollout(stack, 'budget'));
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
