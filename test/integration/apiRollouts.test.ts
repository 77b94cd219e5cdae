/** API.md, Rollouts, through the local host: create, 409s, views, state filter, approve and commands. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-ro';
const SECRET = 'rollout-secret-value-9f8e7d';
const osm = (version: string) => [{ name: 'osm', extensionType: 'Microsoft.openservicemesh', version }];
const GATED = clusterIdOf(SUBS[0]!, RG, 'r-gated');
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

describe('POST /api/rollouts: bad input', () => {
  it.each([
    ['no body', undefined, 'policy'],
    ['a number for policy', { policy: 1 }, 'policy'],
    ['an unknown field', { policy: 'plain', extra: true }, 'extra'],
    ['a bad policy name', { policy: 'Not A Name' }, 'policy'],
  ])('422 for %s, naming the field', async (_what, body, field) => {
    expectInvalid(await stack.api('POST', '/api/rollouts', body), field, 422);
  });

  it('400 InvalidJson for malformed JSON; 404 PolicyNotFound for an unknown policy', async () => {
    expectError(await stack.api('POST', '/api/rollouts', '{"policy":'), 400, 'InvalidJson');
    expectError(await stack.api('POST', '/api/rollouts', { policy: 'nope' }), 404, 'PolicyNotFound');
  });

  it('404 RolloutNotFound for unknown rollouts, on every rollout route', async () => {
    expectError(await rollout('r-does-not-exist'), 404, 'RolloutNotFound');
    expectError(await rows('r-does-not-exist'), 404, 'RolloutNotFound');
    expectError(await command('r-does-not-exist', 'pause'), 404, 'RolloutNotFound');
  });
});

describe('a rollout held for CRD approval', () => {
  let id: string;

  it('POST answers 201 with the rollout; a second is 409; the policy cannot be deleted', async () => {
    const created = await stack.api('POST', '/api/rollouts', { policy: 'gate' });
    expect(created.status).toBe(201);
    expectRolloutShape(created.body, 'gate');
    // Fleet-size work is the planning worker's: the answer comes at once, Planning, with where to look.
    expect(created.body.state).toBe('Planning');
    expect(created.body.planning).toMatchObject({ written: 0, total: null, finishedAt: null });
    expect(created.headers.get('location')).toBe(`/api/rollouts/${created.body.id}`);
    id = created.body.id;
    expectError(await stack.api('POST', '/api/rollouts', { policy: 'gate' }), 409, 'RolloutAlreadyRunning');
    expectError(await stack.api('DELETE', '/api/policies/gate'), 409, 'RolloutInProgress');
    expect((await stack.api('GET', '/api/policies/gate')).status).toBe(200);
  });

  it('waits in AwaitingApproval; the state filter is case-insensitive', async () => {
    const waiting = await waitFor(async () => {
      const r = await rows(id, '?state=awaitingapproval');
      return r.body.items.length === 1 && r.body;
    });
    expect(waiting.items[0].id.toLowerCase()).toBe(GATED.toLowerCase()); // rows keep the lower-cased id
    expect(waiting.items[0]).toMatchObject({
      wave: 'all',
      state: 'AwaitingApproval',
      from: '0.8.4',
      to: '1.2.6',
      hop: expect.any(Number),
      attempts: expect.any(Number),
      reason: expect.any(String),
    });
    expect(waiting.items[0].path).toEqual(expect.arrayContaining(['1.2.6']));
    expect(Object.keys(waiting.items[0])).toEqual(
      expect.arrayContaining([
        'id',
        'wave',
        'state',
        'from',
        'to',
        'path',
        'hop',
        'attempts',
        'reason',
        'message',
        'updatedAt',
      ]),
    );
    for (const q of ['AWAITINGAPPROVAL', 'AwaitingApproval', 'awaitingApproval'])
      expect((await rows(id, `?state=${q}`)).body.items).toHaveLength(1);
    expect((await rows(id, '?state=Failed')).body.items).toHaveLength(0);
    expectError(await rows(id, '?state=bogus'), 400, 'InvalidQueryParameter', 'state');
    expectError(await rows(id, '?top=0'), 400, 'InvalidQueryParameter', 'top');
    const view = await rollout(id);
    expectRolloutShape(view.body, 'gate');
    expect(view.body.counts.awaitingApproval).toBe(1);
  });

  it('never shows the protected setting in rollout views', async () => {
    for (const r of [await rollout(id), await rows(id), await stack.api('GET', '/api/rollouts')])
      expect(JSON.stringify(r.body)).not.toContain(SECRET);
  });

  it('approve needs exactly one of clusters or all', async () => {
    expectError(await command(id, 'approve', { clusters: [GATED], all: true }), 422);
    expectError(await command(id, 'approve', {}), 422);
    expectError(await command(id, 'approve'), 422);
    expectInvalid(await command(id, 'approve', { all: false }), 'all', 422);
    expectError(await command(id, 'approve', '{"all":'), 400, 'InvalidJson');
    expectError(await command(id, 'approve', { clusters: [FLAKY] }), 404, 'ClusterNotInRollout');
    expect((await rows(id, '?state=AwaitingApproval')).body.items).toHaveLength(1);
  });

  it('an unknown command is 404', async () => {
    expectError(await command(id, 'explode'), 404, 'UnknownCommand');
  });

  it('approve {clusters} moves the cluster on; pause, resume, cancel; then 409s', async () => {
    const approved = await command(id, 'approve', { clusters: [GATED.toUpperCase()] });
    expect(approved.status).toBe(200);
    expectRolloutShape(approved.body, 'gate');
    expect(approved.body.counts.awaitingApproval).toBe(0);

    const paused = await command(id, 'pause');
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe('Paused');
    expect((await command(id, 'pause')).body.state).toBe('Paused'); // repeating is harmless
    const resumed = await command(id, 'resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.state).toBe('Running'); // a multi-hop upgrade: still running a moment later
    const cancelled = await command(id, 'cancel');
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('Cancelled');
    expect(cancelled.body.finishedAt).toEqual(expect.any(String));
    expect((await command(id, 'cancel')).status).toBe(200); // repeating is harmless
    for (const c of ['pause', 'resume']) expectError(await command(id, c), 409);
    expectError(await command(id, 'approve', { all: true }), 409);
    expectError(await command(id, 'retry-failed'), 409);
    // No rollout of the policy is active any more: it can be deleted.
    expect((await stack.api('DELETE', '/api/policies/gate')).status).toBe(204);
  });
});
