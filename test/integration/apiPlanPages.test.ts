/**
 * Issue 17: a large fleet's plan is stored and read page by page. Through the API (emulator, Azurite, local
 * host) with 1,250 clusters: the POST answers the summary and the first page with a token, the pages hold
 * every cluster once, and the CLI's `plan -o json` follows them to the full list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, show } from '../cli/runCli.js';
import { policyBody } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';

const CLUSTERS = 1250;
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60 * 60_000, events: false });
  await stack.control.seed({
    seed: 17,
    clusters: CLUSTERS,
    subscriptions: SUBS,
    distributions: { aks: 1 },
    osm: { fraction: 0, versions: {} },
    offlineFraction: 0,
    expiredFraction: 0,
  });
  expect((await stack.api('PUT', '/api/policies/large', policyBody())).status).toBe(201);
});
afterAll(async () => stack?.stop());

describe('a plan over 1,250 clusters', () => {
  it('answers its summary and first page; the pages hold every cluster once; the CLI follows them', async () => {
    const plan = await stack.api('POST', '/api/policies/large/plan');
    expect(plan.status).toBe(200);
    expect(plan.body.summary.clusters).toBe(CLUSTERS);
    expect(plan.body.clusters.length).toBeGreaterThan(0);
    expect(plan.body.clusters.length).toBeLessThanOrEqual(1000);
    expect(plan.body.continuationToken).toEqual(expect.any(String));
    const ids: string[] = plan.body.clusters.map((c: { id: string }) => c.id);
    let token: string | undefined = plan.body.continuationToken;
    let pages = 1;
    while (token) {
      const page = await stack.api(
        'GET',
        `/api/plans/${plan.body.planId}/clusters?continuationToken=${encodeURIComponent(token)}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((c: { id: string }) => c.id));
      token = page.body.continuationToken;
      pages++;
    }
    expect(pages).toBe(2);
    expect(ids).toHaveLength(CLUSTERS);
    expect(new Set(ids.map((i) => i.toLowerCase())).size).toBe(CLUSTERS);

    const cli = await runCli(['plan', 'large', '-o', 'json'], cliEnv({ OSM_FLEET_ENDPOINT: stack.host.url }));
    expect(cli.code, show(cli)).toBe(0);
    const printed = JSON.parse(cli.stdout) as { summary: { clusters: number }; clusters: { id: string }[] };
    expect(printed.summary.clusters).toBe(CLUSTERS);
    expect(new Set(printed.clusters.map((c) => c.id.toLowerCase()))).toEqual(
      new Set(ids.map((i) => i.toLowerCase())),
    );
    expect(printed).not.toHaveProperty('continuationToken');
  });
});
