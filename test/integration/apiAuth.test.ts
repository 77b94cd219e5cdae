/** API.md, Auth: with FLEET_API_KEY set, every route of the registration table but health needs the key. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { registrations } from '../../functions/registrations.js';
import { expectError } from '../support/apiExpect.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { sampleCalls } from '../support/routeSamples.js';

const KEY = 'local-test-key-0123456789';
const http = registrations.filter((r): r is HttpRegistration => r.kind === 'http');
const calls = sampleCalls(http);
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ env: { FLEET_API_KEY: KEY }, reconcileEveryMs: 60_000, events: false });
});
afterAll(async () => stack?.stop());

describe('FLEET_API_KEY', () => {
  it('covers every HTTP function of the registration table', () => {
    expect(new Set(calls.map((c) => c.name))).toEqual(new Set(http.map((r) => r.name)));
    // Anonymous: health, the dashboard's static files (no data, no key) and its sign-in (docs/security.md, 11).
    expect(http.filter((r) => r.authLevel === 'anonymous').map((r) => r.name)).toEqual([
      'health',
      'dashboard',
      'dashboardAsset',
      'getSession',
      'createSession',
      'deleteSession',
    ]);
  });

  it.each(calls.filter((c) => !c.anonymous))(
    '$method $path ($name): 401 without the key or with a wrong one',
    async ({ method, path, body }) => {
      expectError(await stack.api(method, path, body), 401, 'Unauthorized');
      expectError(await stack.api(method, path, body, { 'x-functions-key': 'wrong' }), 401, 'Unauthorized');
      expectError(await stack.api(method, `${path}?code=wrong`, body), 401, 'Unauthorized');
    },
  );

  it.each(calls.filter((c) => !c.anonymous))(
    '$method $path ($name): not 401 with the key in x-functions-key or ?code=',
    async ({ method, path, body }) => {
      const header = await stack.api(method, path, body, { 'x-functions-key': KEY });
      expect(header.status, JSON.stringify(header.body)).not.toBe(401);
      expect(header.status).toBeLessThan(500);
      const query = await stack.api(method, `${path}?code=${encodeURIComponent(KEY)}`, body);
      expect(query.status, JSON.stringify(query.body)).not.toBe(401);
      expect(query.status).toBeLessThan(500);
    },
  );

  it('GET /api/health stays open', async () => {
    const r = await stack.api('GET', '/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', storage: 'ok', arm: 'ok', version: expect.any(String) });
  });

  it('a protected route refused without the key changes nothing', async () => {
    const body = { osm: { version: '1.2.6' } };
    expectError(await stack.api('PUT', '/api/policies/locked', body), 401, 'Unauthorized');
    const r = await stack.api('GET', '/api/policies/locked', undefined, { 'x-functions-key': KEY });
    expectError(r, 404, 'PolicyNotFound');
  });
});
