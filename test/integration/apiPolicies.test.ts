/** API.md, Policies (PUT, GET, DELETE, ETags, validation) and routing, through the local host. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid, policyBody } from '../support/apiExpect.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';

const RG = 'rg-pol';
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000, events: false });
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
