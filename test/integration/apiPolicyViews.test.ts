/** API.md, Policies (protected settings, lists) and Plans, through the local host. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, policyBody } from '../support/apiExpect.js';
import { SUBS, clusterIdOf, startFleetStack, type FleetStack } from '../support/fleetStack.js';

const SECRET = 'S3cr3t-value-never-returned';
const RG = 'rg-pol';
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000 });
  await stack.control.seed({
    explicit: [
      { subscriptionId: SUBS[0]!, resourceGroup: RG, name: 'p-new', distribution: 'eks' },
      {
        subscriptionId: SUBS[0]!,
        resourceGroup: RG,
        name: 'p-old',
        distribution: 'aks',
        extensions: [{ name: 'osm', extensionType: 'Microsoft.openservicemesh', version: '1.1.1' }],
      },
      { subscriptionId: SUBS[0]!, resourceGroup: RG, name: 'p-odd', distribution: 'weirdk8s' },
      {
        subscriptionId: SUBS[0]!,
        resourceGroup: RG,
        name: 'p-off',
        distribution: 'gke',
        connectivityStatus: 'Offline',
      },
    ],
  });
});
afterAll(async () => stack?.stop());

const body = (o: Record<string, unknown> = {}) => policyBody({ target: { resourceGroups: [RG] }, ...o });

describe('protected settings', () => {
  it('are never returned, their keys are listed, and a PUT without them keeps them', async () => {
    const withSecret = body({
      osm: { version: '1.2.6', configurationProtectedSettings: { 'osm.osm.token': SECRET } },
    });
    const put = await stack.api('PUT', '/api/policies/secret', withSecret);
    expect(put.status).toBe(201);
    expect(put.body.osm.configurationProtectedSettingKeys).toEqual(['osm.osm.token']);
    const views = [
      put,
      await stack.api('GET', '/api/policies/secret'),
      await stack.api('GET', '/api/policies?top=1000'),
      await stack.api('POST', '/api/policies/secret/plan'),
    ];
    for (const v of views) {
      expect(v.status).toBeLessThan(300);
      expect(JSON.stringify(v.body)).not.toContain(SECRET);
      expect(JSON.stringify(v.body)).not.toContain('configurationProtectedSettings"');
    }
    // A GET's body sent back (without protected values) keeps the stored secret.
    const again = await stack.api('PUT', '/api/policies/secret', body({ description: 'no secrets here' }));
    expect(again.status).toBe(200);
    expect(again.body.osm.configurationProtectedSettingKeys).toEqual(['osm.osm.token']);
    // Kept as the same reference to its Key Vault secret version (issue 14 item 3: never in the row itself).
    const stored = await stack.app.deps.policies.get('secret');
    expect(stored?.value.policy.osm.configurationProtectedSettings).toEqual({});
    const ref = stored!.value.protectedSettings!;
    expect(ref.keys).toEqual(['osm.osm.token']);
    expect(JSON.parse(await stack.app.deps.secrets.get(ref.secretName, ref.version))).toEqual({
      'osm.osm.token': SECRET,
    });
    // An explicit {} clears them.
    const cleared = await stack.api(
      'PUT',
      '/api/policies/secret',
      body({ osm: { version: '1.2.6', configurationProtectedSettings: {} } }),
    );
    expect(cleared.body.osm.configurationProtectedSettingKeys).toEqual([]);
  });
});

describe('GET /api/policies', () => {
  it('pages 7 policies with top=3 through continuation tokens', async () => {
    const names = ['pg-1', 'pg-2', 'pg-3', 'pg-4', 'pg-5', 'pg-6', 'pg-7'];
    for (const n of names) expect((await stack.api('PUT', `/api/policies/${n}`, body())).status).toBe(201);
    const seen: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const q = `top=3${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const r = await stack.api('GET', `/api/policies?${q}`);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).every((k) => k === 'items' || k === 'continuationToken')).toBe(true);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      sizes.push(r.body.items.length);
      seen.push(...r.body.items.map((p: { name: string }) => p.name));
      token = r.body.continuationToken;
    } while (token);
    expect(sizes.slice(0, -1).every((s) => s === 3)).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(names));
    const all = await stack.api('GET', '/api/policies?top=1000');
    expect(all.body.continuationToken).toBeUndefined();
    expect(all.body.items).toHaveLength(seen.length);
  });

  it.each(['0', '-1', 'abc', '1001', '2.5', ''])('400 naming top for top=%s', async (top) => {
    expectError(await stack.api('GET', `/api/policies?top=${top}`), 400, 'InvalidQueryParameter', 'top');
  });

  it('400 naming continuationToken for a token it never issued', async () => {
    const r = await stack.api('GET', '/api/policies?top=2&continuationToken=not-a-token');
    expectError(r, 400, undefined, 'continuationToken');
  });
});

describe('POST /api/policies/{name}/plan', () => {
  it('answers the plan with API.md shape and summary, with no side effects', async () => {
    await stack.api('PUT', '/api/policies/planme', body());
    const before = await stack.api('GET', '/api/rollouts');
    const r = await stack.api('POST', '/api/policies/planme/plan');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ policy: 'planme', targetVersion: '1.2.6' });
    expect(Number.isNaN(Date.parse(r.body.generatedAt))).toBe(false);
    expect(r.body.summary).toEqual({
      clusters: 4,
      install: 1,
      upgrade: 1,
      reconfigure: 0,
      noChange: 0,
      skipped: { UnsupportedDistribution: 1, ClusterOffline: 1 },
    });
    const byName = new Map(r.body.clusters.map((c: { name: string }) => [c.name, c]));
    expect(byName.get('p-old')).toMatchObject({
      id: clusterIdOf(SUBS[0]!, RG, 'p-old'),
      wave: 'all',
      action: 'upgrade',
      from: '1.1.1',
      to: '1.2.6',
      path: ['1.2.6'],
      reason: 'VersionBehind',
    });
    expect(byName.get('p-new')).toMatchObject({ action: 'install', from: null, reason: 'NotInstalled' });
    expect(byName.get('p-odd')).toMatchObject({ action: 'skip', reason: 'UnsupportedDistribution' });
    expect((await stack.api('GET', '/api/rollouts')).body).toEqual(before.body);
  });

  it('404 PolicyNotFound for an unknown policy', async () => {
    expectError(await stack.api('POST', '/api/policies/nope/plan'), 404, 'PolicyNotFound');
  });
});
