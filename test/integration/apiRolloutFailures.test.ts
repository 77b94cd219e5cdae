/** API.md, Rollouts, through the local host: approve all, failed rows, retry-failed, and the paged list. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-ro';
const SECRET = 'rollout-secret-value-9f8e7d';
const osm = (version: string) => [{ name: 'osm', extensionType: 'Microsoft.openservicemesh', version }];
const FLAKY = clusterIdOf(SUBS[0]!, RG, 'r-flaky');
const COUNT_KEYS = [
  'awaitingApproval',
  'cancelled',
  'deferred',
  'failed',
  'inProgress',
  'pending',
  'skipped',
  'succeeded',
];
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 300 });
  await stack.control.seed({
    explicit: [
      {
        subscriptionId: SUBS[0]!,
        resourceGroup: RG,
        name: 'r-gated',
        distribution: 'aks',
        extensions: osm('0.8.4'),
      },
      { subscriptionId: SUBS[0]!, resourceGroup: RG, name: 'r-flaky', distribution: 'eks' },
      { subscriptionId: SUBS[0]!, resourceGroup: RG, name: 'r-plain', distribution: 'gke' },
    ],
  });
  const gate = policyBody({
    target: { clusterNames: ['r-gated'] },
    osm: { version: '1.2.6', configurationProtectedSettings: { 'osm.osm.secret': SECRET } },
  });
  expect((await stack.api('PUT', '/api/policies/gate', gate)).status).toBe(201);
  const flaky = policyBody({
    target: { clusterNames: ['r-flaky'] },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }], maxFailurePercent: 100 },
  });
  expect((await stack.api('PUT', '/api/policies/flaky', flaky)).status).toBe(201);
  expect(
    (await stack.api('PUT', '/api/policies/plain', policyBody({ target: { clusterNames: ['r-plain'] } })))
      .status,
  ).toBe(201);
  await new Promise((r) => setTimeout(r, 300)); // Resource Graph catches up with the seed
});
afterAll(async () => stack?.stop());

const rollout = (id: string) => stack.api('GET', `/api/rollouts/${id}`);
const rows = (id: string, q = '') => stack.api('GET', `/api/rollouts/${id}/clusters${q}`);
const command = (id: string, name: string, body?: unknown) =>
  stack.api('POST', `/api/rollouts/${id}/${name}`, body);
const finished = (id: string) =>
  waitFor(
    async () => {
      const r = await rollout(id);
      return ['Succeeded', 'Failed', 'Cancelled', 'Halted'].includes(r.body.state) && r.body;
    },
    20_000,
    () => stack.logs.slice(-20).join('\n'),
  );

function expectRolloutShape(view: Record<string, unknown>, policy: string): void {
  expect(view).toMatchObject({ policy, trigger: 'api' });
  expect(view.id).toEqual(expect.any(String));
  expect([
    'Planning',
    'Pending',
    'Running',
    'Paused',
    'Halted',
    'Succeeded',
    'Failed',
    'Cancelled',
  ]).toContain(view.state);
  expect(Number.isNaN(Date.parse(String(view.createdAt)))).toBe(false);
  expect(view).toHaveProperty('startedAt');
  expect(view).toHaveProperty('finishedAt');
  expect(Object.keys(view.counts as object).sort()).toEqual(COUNT_KEYS);
  const waves = view.waves as { name: string; state: string; counts: object }[];
  expect(waves.length).toBeGreaterThan(0);
  for (const w of waves) {
    expect(w.name).toEqual(expect.any(String));
    expect(w.state).toEqual(expect.any(String));
    expect(Object.keys(w.counts).sort()).toEqual(COUNT_KEYS);
  }
}

describe('approve {all: true}', () => {
  it('releases every cluster awaiting approval; the rollout then finishes; approving again is 409', async () => {
    const created = await stack.api('POST', '/api/rollouts', { policy: 'gate' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(async () => (await rows(id, '?state=AwaitingApproval')).body.items.length === 1);
    // The operator did the manual CRD step on the cluster, then approves.
    await stack.control.markCrdPrepared(clusterIdOf(SUBS[0]!, RG, 'r-gated'));
    const approved = await command(id, 'approve', { all: true });
    expect(approved.status).toBe(200);
    expect(approved.body.counts.awaitingApproval).toBe(0);
    const done = await finished(id);
    expect(done.state).toBe('Succeeded');
    expect(done.counts.succeeded).toBe(1);
    expectError(await command(id, 'approve', { all: true }), 409, 'RolloutFinished');
    const gated = await stack.control.getCluster(clusterIdOf(SUBS[0]!, RG, 'r-gated'));
    expect(gated.extensions[0]?.resource.properties.currentVersion).toBe('1.2.6');
  });
});

describe('a rollout with a failed cluster', () => {
  it('lists the failed row by state, retry-failed finishes it, then 409', async () => {
    await stack.control.addInstallOutcome({
      clusterIds: [FLAKY],
      failRate: 1,
      code: 'InstallBroken',
      message: 'broken chart',
    });
    const created = await stack.api('POST', '/api/rollouts', { policy: 'flaky' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const done = await finished(id);
    expect(done.state).toBe('Failed');
    expect(done.counts.failed).toBe(1);
    for (const q of ['failed', 'FAILED', 'Failed']) {
      const r = await rows(id, `?state=${q}`);
      expect(r.status).toBe(200);
      expect(r.body.items).toHaveLength(1);
      expect(r.body.items[0].id.toLowerCase()).toBe(FLAKY.toLowerCase());
      expect(r.body.items[0]).toMatchObject({ state: 'Failed', from: null, to: '1.2.6' });
      expect(r.body.items[0].message).toEqual(expect.any(String));
    }
    expect((await rows(id, '?state=succeeded')).body.items).toHaveLength(0);
    expectError(await command(id, 'approve', { all: true }), 409);

    await stack.control.clearFaults();
    const retried = await command(id, 'retry-failed');
    expect(retried.status).toBe(200);
    expect(retried.body.counts.failed).toBe(0);
    expect((await finished(id)).state).toBe('Succeeded');
    expectError(await command(id, 'retry-failed'), 409);
    expectError(await command(id, 'cancel'), 409, 'RolloutFinished');
  });
});

describe('GET /api/rollouts', () => {
  it('pages with top=1 through continuation tokens', async () => {
    const created = await stack.api('POST', '/api/rollouts', { policy: 'plain' });
    expect(created.status).toBe(201);
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const q = `top=1${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const r = await stack.api('GET', `/api/rollouts?${q}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(1);
      for (const v of r.body.items) expectRolloutShape(v, v.policy);
      ids.push(...r.body.items.map((v: { id: string }) => v.id));
      token = r.body.continuationToken;
    } while (token);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids).toContain(created.body.id);
    expectError(await stack.api('GET', '/api/rollouts?top=x'), 400, 'InvalidQueryParameter', 'top');
    expectError(
      await stack.api('GET', '/api/rollouts?continuationToken=zzz'),
      400,
      undefined,
      'continuationToken',
    );
  });
});
