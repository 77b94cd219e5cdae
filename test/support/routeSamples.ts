/** Plausible values for the `{params}` of the registration table's routes, for tests that call every route. */
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';

const SAMPLE: Record<string, string> = {
  name: 'sample',
  id: 'r-sample',
  command: 'pause',
  sub: '11111111-1111-4111-8111-111111111111',
  rg: 'rg-sample',
  '*path': 'style.css',
  planId: '6f1c9a2e-0b7d-4c1e-9a53-2f4d8e7b1c00',
};

/** `/api/<route>` with every `{param}` filled (an unknown param name fails the test that uses it). */
export function samplePath(route: string): string {
  const filled = route.replace(/\{([^}]+)\}/g, (_m, p: string) => {
    const v = SAMPLE[p];
    if (v === undefined) throw new Error(`no sample value for route parameter {${p}} in ${route}`);
    return encodeURIComponent(v);
  });
  return `/api/${filled}`;
}

/** One call per (route, method) of the HTTP registrations, with a JSON body for PUT and POST. */
export function sampleCalls(
  http: readonly HttpRegistration[],
): { name: string; method: string; path: string; body?: unknown; anonymous: boolean }[] {
  return http.flatMap((r) =>
    r.methods.map((method) => ({
      name: r.name,
      method,
      path: samplePath(r.route),
      ...(method === 'PUT' || method === 'POST' ? { body: {} } : {}),
      anonymous: r.authLevel === 'anonymous',
    })),
  );
}
