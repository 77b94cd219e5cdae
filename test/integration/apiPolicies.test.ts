/** API.md, Policies and Plans, through the local host: shapes, ETags, paging, validation, secrets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid, policyBody } from '../support/apiExpect.js';
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

describe('PUT /api/policies/{name}', () => {
  it('creates (201, ETag), replaces (200, new ETag), and honours If-Match', async () => {
    const created = await stack.api('PUT', '/api/policies/etag', body({ description: 'v1' }));
    expect(created.status).toBe(201);
    const etag1 = created.headers.get('etag');
    expect(etag1).toBeTruthy();
    expect(created.body).toMatchObject({
      name: 'etag',
      description: 'v1',
      osm: { version: '1.2.6', releaseTrain: 'stable', configurationProtectedSettingKeys: [] },
      rollout: { maxFailurePercent: 5, crdUpgrades: 'requireApproval', majorUpgrades: 'refuse' },
      autoOnboard: false,
    });
    expect(typeof created.body.createdAt).toBe('string');

    const replaced = await stack.api('PUT', '/api/policies/etag', body({ description: 'v2' }));
    expect(replaced.status).toBe(200);
    const etag2 = replaced.headers.get('etag');
    expect(etag2).toBeTruthy();
    expect(etag2).not.toBe(etag1);

    const stale = await stack.api('PUT', '/api/policies/etag', body({ description: 'v3' }), {
      'if-match': etag1!,
    });
    expectError(stale, 412, 'PreconditionFailed');
    const unchanged = await stack.api('GET', '/api/policies/etag');
    expect(unchanged.body.description).toBe('v2');
    expect(unchanged.headers.get('etag')).toBe(etag2);

    const current = await stack.api('PUT', '/api/policies/etag', body({ description: 'v4' }), {
      'if-match': etag2!,
    });
    expect(current.status).toBe(200);
    expect(current.body.description).toBe('v4');
    expect((await stack.api('GET', '/api/policies/etag')).body.description).toBe('v4');
  });

  it('If-Match on a policy that does not exist is 412 and creates nothing', async () => {
    const r = await stack.api('PUT', '/api/policies/ghost', body(), { 'if-match': 'W/"x"' });
    expectError(r, 412, 'PreconditionFailed');
    expectError(await stack.api('GET', '/api/policies/ghost'), 404, 'PolicyNotFound');
  });

  it.each(['garbage', '"quoted"', 'W/"datetime\'2020-01-01T00%3A00%3A00Z\'"'])(
    'If-Match %s that is no ETag of the policy is 412 (PUT and DELETE) and changes nothing',
    async (etag) => {
      await stack.api('PUT', '/api/policies/bogus-etag', body({ description: 'kept' }));
      const put = await stack.api('PUT', '/api/policies/bogus-etag', body({ description: 'lost' }), {
        'if-match': etag,
      });
      expectError(put, 412, 'PreconditionFailed');
      const del = await stack.api('DELETE', '/api/policies/bogus-etag', undefined, { 'if-match': etag });
      expectError(del, 412, 'PreconditionFailed');
      expect((await stack.api('GET', '/api/policies/bogus-etag')).body.description).toBe('kept');
    },
  );

  it.each([
    ['osm.version', body({ osm: { version: 'latest' } })],
    ['osm.version', body({ osm: { version: '9.9.9' } })],
    ['osm', { rollout: { waves: [{ name: 'a', percent: 100, maxParallel: 1 }] } }],
    ['rollout.waves[0].maxParallel', body({ rollout: { waves: [{ name: 'a', percent: 100 }] } })],
    ['rollout.waves[0]', body({ rollout: { waves: [{ name: 'a', maxParallel: 1 }] } })],
    ['target.subscriptions[0]', body({ target: { subscriptions: ['not-a-guid'] } })],
    ['schedule', body({ schedule: 'every day' })],
    [
      'osm.configurationSettings.osm.osm.x',
      body({ osm: { version: '1.2.6', configurationSettings: { 'osm.osm.x': true } } }),
    ],
    ['monitor.logAnalyticsWorkspaceResourceId', body({ monitor: { enabled: true } })],
    ['surprise', body({ surprise: 1 })],
    ['target.colour', body({ target: { colour: 'blue' } })],
    ['name', body({ name: 'other' })],
  ])('422 naming %s', async (field, payload) => {
    const r = await stack.api('PUT', '/api/policies/invalid', payload);
    expectInvalid(r, field, 422, 'InvalidPolicy');
    expectError(await stack.api('GET', '/api/policies/invalid'), 404, 'PolicyNotFound');
  });

  it('422 for a bad policy name in the path, naming name', async () => {
    expectInvalid(await stack.api('PUT', '/api/policies/Bad_Name', body()), 'name', 422);
  });

  it.each([
    ['not JSON', '{"osm": '],
    ['a bare word', 'hello'],
  ])('400 InvalidJson for %s', async (_what, text) => {
    expectError(await stack.api('PUT', '/api/policies/badjson', text), 400, 'InvalidJson');
  });

  it.each([
    ['no body', undefined],
    ['an array', []],
    ['a string', '"text"'],
    ['null', 'null'],
  ])('422 for %s', async (_what, payload) => {
    expectError(await stack.api('PUT', '/api/policies/shape', payload), 422, 'InvalidPolicy');
  });

  it('413 for a body over 256 KiB', async () => {
    const big = body({ description: 'x'.repeat(300 * 1024) });
    expectError(await stack.api('PUT', '/api/policies/big', big), 413, 'PayloadTooLarge');
    expectError(await stack.api('GET', '/api/policies/big'), 404);
  });
});

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
    const stored = await stack.app.deps.policies.get('secret');
    expect(stored?.value.policy.osm.configurationProtectedSettings).toEqual({ 'osm.osm.token': SECRET });
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

describe('GET and DELETE /api/policies/{name}', () => {
  it('GET answers the view with an ETag; 404 PolicyNotFound for an unknown one', async () => {
    await stack.api('PUT', '/api/policies/getme', body());
    const r = await stack.api('GET', '/api/policies/getme');
    expect(r.status).toBe(200);
    expect(r.headers.get('etag')).toBeTruthy();
    expect(r.body).toMatchObject({ name: 'getme', osm: { version: '1.2.6' } });
    expectError(await stack.api('GET', '/api/policies/nope'), 404, 'PolicyNotFound');
  });

  it('DELETE answers 204, then 404', async () => {
    await stack.api('PUT', '/api/policies/deleteme', body());
    const r = await stack.api('DELETE', '/api/policies/deleteme');
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    expectError(await stack.api('GET', '/api/policies/deleteme'), 404, 'PolicyNotFound');
    expectError(await stack.api('DELETE', '/api/policies/deleteme'), 404, 'PolicyNotFound');
  });

  it('DELETE with a stale If-Match is 412 and the policy stays', async () => {
    const first = await stack.api('PUT', '/api/policies/keepme', body());
    await stack.api('PUT', '/api/policies/keepme', body({ description: 'newer' }));
    const r = await stack.api('DELETE', '/api/policies/keepme', undefined, {
      'if-match': first.headers.get('etag')!,
    });
    expectError(r, 412, 'PreconditionFailed');
    expect((await stack.api('GET', '/api/policies/keepme')).status).toBe(200);
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

describe('routing', () => {
  it('an unknown route is 404 with the error shape', async () => {
    expectError(await stack.api('GET', '/api/nothing-here'), 404, 'NotFound');
    expectError(await stack.api('GET', '/api/policies/a/b/c/d'), 404, 'NotFound');
    expectError(await stack.api('GET', '/elsewhere'), 404, 'NotFound');
  });

  it('a wrong method is 405 with the error shape', async () => {
    expectError(await stack.api('PATCH', '/api/policies/x', {}), 405, 'MethodNotAllowed');
    expectError(await stack.api('DELETE', '/api/policies'), 405, 'MethodNotAllowed');
    expectError(await stack.api('GET', '/api/policies/x/plan'), 405, 'MethodNotAllowed');
  });
});
