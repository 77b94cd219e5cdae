/** Every route answers hostile path segments, queries and bodies with a 4xx and the error shape, never a 5xx. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { registrations } from '../../functions/registrations.js';
import { expectError, policyBody } from '../support/apiExpect.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { samplePath } from '../support/routeSamples.js';

const http = registrations.filter(
  (r): r is HttpRegistration => r.kind === 'http' && r.authLevel !== 'anonymous',
);
const WEIRD = [
  "'",
  'a b',
  '\u0000',
  '\u0007bell',
  'x'.repeat(2000),
  '..',
  '<script>',
  'ü-ñ-漢',
  'a#b',
  'a\\b',
  'a?b',
  '%',
  "' or 1==1 //",
];
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000, events: false });
  expect((await stack.api('PUT', '/api/policies/sample', policyBody())).status).toBe(201);
});
afterAll(async () => stack?.stop());

/** The route with one `{param}` replaced by `value` (URL-encoded), the others plausible. */
function withParam(route: string, param: string, value: string): string {
  return samplePath(route.replace(`{${param}}`, '__X__')).replace('__X__', encodeURIComponent(value));
}

const cases = http.flatMap((r) =>
  [...r.route.matchAll(/\{([^}]+)\}/g)].flatMap(([, p]) =>
    r.methods.map((method) => ({ name: r.name, method, route: r.route, param: p ?? '' })),
  ),
);

describe('hostile path segments', () => {
  it.each(cases)('$method $route: {$param} never gets a 5xx', async ({ method, route, param }) => {
    for (const value of WEIRD) {
      const body = method === 'PUT' || method === 'POST' ? policyBody() : undefined;
      const r = await stack.api(method, withParam(route, param, value), body);
      expect(
        r.status,
        `${method} {${param}}=${JSON.stringify(value.slice(0, 20))}: ${JSON.stringify(r.body)}`,
      ).toBeLessThan(500);
      if (r.status >= 400) expectError(r, r.status);
    }
  });
});

describe('hostile queries and bodies', () => {
  it.each(['top', 'continuationToken', 'state', 'policy', 'osmVersion'])(
    'query %s with hostile values never gets a 5xx',
    async (q) => {
      for (const path of ['/api/policies', '/api/rollouts', '/api/clusters', '/api/rollouts/r-x/clusters'])
        for (const value of WEIRD) {
          const r = await stack.api('GET', `${path}?${q}=${encodeURIComponent(value)}`);
          expect(
            r.status,
            `${path}?${q}=${JSON.stringify(value.slice(0, 20))}: ${JSON.stringify(r.body)}`,
          ).toBeLessThan(500);
          if (r.status >= 400) expectError(r, r.status);
        }
    },
  );

  it.each(http.filter((r) => r.methods.some((m) => m === 'PUT' || m === 'POST')))(
    '$name: hostile bodies get a 4xx and change nothing',
    async (r) => {
      const method = r.methods.find((m) => m === 'PUT' || m === 'POST')!;
      const path = samplePath(r.route).replace('/rollouts/r-sample/pause', '/rollouts/r-sample/approve');
      const before = (await stack.api('GET', '/api/policies')).body;
      const nested = '['.repeat(5000) + ']'.repeat(5000);
      for (const body of [
        '[1,2',
        '"\u0000"',
        '1e999',
        nested,
        '{"__proto__":{"x":1}}',
        JSON.stringify({ policy: 'x'.repeat(100_000) }),
      ]) {
        const res = await stack.api(method, path.replace('/policies/sample', '/policies/hostile'), body);
        expect(res.status, `${body.slice(0, 30)}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectError(res, res.status);
      }
      const big = JSON.stringify({ policy: 'sample', pad: 'x'.repeat(300 * 1024) });
      expectError(await stack.api(method, path, big), 413, 'PayloadTooLarge');
      expect((await stack.api('GET', '/api/policies')).body).toEqual(before);
    },
  );
});
