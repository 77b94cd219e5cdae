// Resource Graph's per-principal quota: the sweep waits for the window to reset when the quota headers say
// it is spent, waits out a 429 (sent without Retry-After, as ARG does), and gives up after a bounded number
// of waits with a TransientError.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceGraphServiceFor } from '../../emulator/graph/resourceGraphHandler.js';
import type { ResourceGraphService } from '../../emulator/graph/resourceGraphService.js';
import { staticCredential } from '../../shared/azure/credential.js';
import {
  ResourceGraphInventory,
  type ResourceGraphInventoryOptions,
} from '../../shared/azure/resourceGraphInventory.js';
import { TransientError } from '../../shared/domain/errors.js';
import { SUB, SUBS, startAzureHarness, type AzureHarness } from './azureHarness.js';

let h: AzureHarness;
let graph: ResourceGraphService;

beforeAll(async () => {
  h = await startAzureHarness();
  // Before the first query: 2 queries per 1-second window per principal (ARG's default is 15 per 5 s).
  graph = resourceGraphServiceFor(h.emu.context.graph, { quota: { queries: 2, windowMs: 1000 } });
  await h.control.seed({ seed: 3, clusters: 1200, subscriptions: [...SUBS] });
});
afterAll(async () => h.close());

function inventory(token: string, options: Partial<ResourceGraphInventoryOptions> = {}) {
  const client = new ResourceGraphClient(staticCredential(token), {
    endpoint: h.emu.endpoint,
    tlsOptions: { ca: h.emu.caPem },
  });
  return {
    client,
    inventory: new ResourceGraphInventory(client, { subscriptions: [...SUBS], pageSize: 250, ...options }),
  };
}

describe('quota', () => {
  it('pauses when the quota headers say the window is spent, instead of getting throttled', async () => {
    const before = graph.stats();
    const start = Date.now();
    const clusters = await inventory('quota-pause').inventory.sweep();
    expect(clusters).toHaveLength(1200);
    const after = graph.stats();
    expect(after.queries - before.queries).toBe(5); // 1200 rows / 250
    expect(after.throttled - before.throttled).toBe(0);
    expect(Date.now() - start).toBeGreaterThanOrEqual(1000); // at least one window reset waited for
  });

  it('waits out a 429 without Retry-After and completes', async () => {
    const { client, inventory: inv } = inventory('quota-burnt', { subscriptionsPerQuery: 1 });
    for (let i = 0; i < 2; i++)
      await client.resources({ query: 'Resources | project id', subscriptions: [SUB] });
    const before = graph.stats();
    const clusters = await inv.sweep();
    expect(clusters).toHaveLength(1200);
    const after = graph.stats();
    expect(after.throttled - before.throttled).toBe(1);
    expect(after.succeeded - before.succeeded).toBe(6); // 400 per subscription: 2 pages each
  });

  it('gives up after a bounded number of waits with a TransientError ArmThrottled', async () => {
    const waits: number[] = [];
    const { client, inventory: inv } = inventory('quota-stuck', {
      maxThrottleWaits: 2,
      sleep: async (ms) => void waits.push(ms), // never really waits: the window never resets
    });
    for (let i = 0; i < 2; i++)
      await client.resources({ query: 'Resources | project id', subscriptions: [SUB] });
    const before = graph.stats();
    const error = await inv.sweep().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'ArmThrottled' });
    expect((error as TransientError).retryAfterMs).toBeGreaterThan(0);
    expect((error as TransientError).retryAfterMs).toBeLessThanOrEqual(1000);
    expect(graph.stats().throttled - before.throttled).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('an interactive sweep leaves the last queries of a window to the engine, which then completes unthrottled', async () => {
    const { inventory: inv } = inventory('quota-interactive', { reservedQuota: 1 });
    const before = graph.stats();
    const error = await inv.sweep({ interactive: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'ResourceGraphBusy' });
    expect((error as TransientError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(graph.stats().queries - before.queries).toBe(1); // one page, then it stepped aside
    const clusters = await inv.sweep(); // the engine, same principal and adapter
    expect(clusters).toHaveLength(1200);
    expect(graph.stats().throttled - before.throttled).toBe(0);
  });

  it('an interactive sweep does not wait out a 429: it answers ResourceGraphBusy at once', async () => {
    const { client, inventory: inv } = inventory('quota-interactive-burnt');
    for (let i = 0; i < 2; i++)
      await client.resources({ query: 'Resources | project id', subscriptions: [SUB] });
    const before = graph.stats();
    const error = await inv.sweep({ interactive: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ResourceGraphBusy' });
    expect(graph.stats().throttled - before.throttled).toBe(1);
    expect(graph.stats().queries - before.queries).toBe(1);
  });
});
