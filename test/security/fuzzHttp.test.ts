/**
 * Property-based fuzzing of every HTTP route of the registration table (a new route is fuzzed without
 * touching this file): hostile path params, queries, headers and bodies. Every answer is a 4xx with the error
 * shape (or a 2xx that valid input earns), never a 5xx, a hang, a stack trace or a file path; and the stored
 * state (stores + emulator) changes only where a 2xx says it did. FUZZ_RUNS=<n> raises the runs per route
 * (default 60) for a longer campaign: `FUZZ_RUNS=500 npx vitest run test/security/fuzzHttp.test.ts`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { registrations } from '../../functions/registrations.js';
import { policyBody } from '../support/apiExpect.js';
import { untilPlanned } from '../support/rolloutFlow.js';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import { hostileBody, hostileHeaders, hostileQuery, hostileSegment } from './support/fuzzInputs.js';
import { rawHttp, type RawResponse } from './support/rawHttp.js';
import { changedKeys, snapshotState } from './support/stateSnapshot.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const http = registrations.filter((r): r is HttpRegistration => r.kind === 'http');
const routes = http.flatMap((r) => r.methods.map((method) => ({ r, method: String(method) })));
const LEAK = [/\n\s+at\s/, /node_modules/, /file:\/\//, new RegExp(escape(process.cwd())), /\.ts:\d+/];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let stack: FleetStack;
let rolloutId = '';
/** Plausible values per route param: real records and well-formed unknown ones, so bodies get validated. */
let plausible: Record<string, string[]> = {};

const FULL_POLICY = {
  description: 'fuzz base',
  target: {
    subscriptions: [SUBS[0]!],
    resourceGroups: ['rg-f'],
    tags: { env: 'prod' },
    distributions: ['aks'],
    locations: ['eastus'],
    clusterNames: ['f-*'],
    exclude: [
      `/subscriptions/${SUBS[1]!}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/x`,
    ],
  },
  osm: {
    version: '1.2.6',
    releaseTrain: 'stable',
    configurationSettings: { 'osm.osm.enablePermissiveTrafficPolicy': 'false' },
    configurationProtectedSettings: { 'osm.osm.secret': 'p' },
  },
  rollout: {
    waves: [
      { name: 'canary', count: 1, maxParallel: 1, soakMinutes: 0 },
      { name: 'rest', percent: 100, maxParallel: 5 },
    ],
    maxFailurePercent: 5,
    maintenanceWindow: { days: ['Sat'], start: '02:00', durationHours: 6, timeZone: 'UTC' },
    crdUpgrades: 'requireApproval',
  },
  autoOnboard: false,
  schedule: '0 0 3 * * 6',
};

/** A valid body per route (by name); routes without one get the policy body, fuzzed all the same. */
function baseBody(name: string, path: string): unknown {
  if (name === 'createRollout') return { policy: 'sample' };
  if (name === 'rolloutCommand') return path.endsWith('/approve') ? { all: true } : undefined;
  if (name === 'putClusterOsm')
    return { version: '1.2.6', configurationSettings: { 'osm.osm.envoyLogLevel': 'debug' } };
  return FULL_POLICY;
}

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 600_000, events: false });
  await stack.control.seed({
    explicit: ['f-1', 'f-2'].map((name) => ({
      subscriptionId: SUBS[0]!,
      resourceGroup: 'rg-f',
      name,
      distribution: 'aks',
      location: 'eastus',
      tags: { env: 'prod' },
    })),
  });
  await new Promise((r) => setTimeout(r, 400));
  expect((await stack.api('PUT', '/api/policies/sample', policyBody())).status).toBe(201);
  const created = await stack.api('POST', '/api/rollouts', { policy: 'sample' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  rolloutId = created.body.id as string;
  await waitFor(
    async () => (await stack.api('GET', `/api/rollouts/${rolloutId}`)).body.state === 'Succeeded',
  );
  plausible = {
    name: ['sample', 'f-1', 'nope'],
    id: [rolloutId, 'r-unknown'],
    command: ['pause', 'resume', 'cancel', 'retry-failed', 'approve', 'explode'],
    // Cluster routes point at a well-formed cluster that does not exist: bodies are validated, nothing runs.
    sub: [SUBS[0]!, SUBS[1]!],
    rg: ['rg-none'],
  };
}, 60_000);
afterAll(async () => stack?.stop());

function expectSafeAnswer(res: RawResponse, what: string): void {
  expect(res.status, `${what} -> ${res.status} ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
  expect(res.status, `${what} -> ${res.status} ${res.text.slice(0, 300)}`).toBeLessThan(500);
  for (const re of LEAK) expect(res.text, `${what}: leaks ${re}`).not.toMatch(re);
  if (res.status < 400) return;
  expect(String(res.headers['content-type'])).toMatch(/application\/json/);
  const body = JSON.parse(res.text) as { error?: Record<string, unknown> };
  expect(Object.keys(body), what).toEqual(['error']);
  expect(body.error?.code, what).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  expect(typeof body.error?.message, what).toBe('string');
  expect(Object.keys(body.error ?? {}).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

/**
 * Snapshot keys a 2xx answer may legitimately have changed. A rollout created or resumed goes to work: its
 * clusters' leases (inventory), their history and the emulator's counters move as well, for its clusters only.
 */
async function explained(name: string, params: Record<string, string>, res: RawResponse): Promise<string[]> {
  if (name === 'putPolicy' || name === 'deletePolicy') return [`policy:${params.name ?? ''}`];
  const id =
    name === 'createRollout'
      ? (JSON.parse(res.text) as { id: string }).id
      : name === 'rolloutCommand'
        ? (params.id ?? '')
        : undefined;
  if (id === undefined) return [];
  // A created rollout is planned by the planning worker after the answer: wait for its rows.
  if (name === 'createRollout') await untilPlanned(stack, id);
  const rows = await stack.app.deps.rollouts.listClusters(id);
  const clusters = rows.items.map((r) => r.value.clusterId.toLowerCase());
  return [
    `rollout:${id}`,
    ...clusters.flatMap((c) => [`inventory:${c}`, `history:${c}`]),
    ...(clusters.length > 0 ? ['emulator:puts', 'emulator:operations'] : []),
  ];
}

describe('fuzzing every HTTP route', () => {
  it('enumerates the registration table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(16);
    expect(new Set(routes.map((x) => x.r.name))).toEqual(new Set(http.map((r) => r.name)));
  });

  it.each(routes.map((x) => ({ ...x, name: x.r.name, route: x.r.route })))(
    '$method $route ($name)',
    async ({ r, method }) => {
      const params = [...r.route.matchAll(/\{([^}]+)\}/g)].map(([, p]) => p ?? '');
      const before = await snapshotState(stack);
      const allowed = new Set<string>();
      const answered: string[] = [];
      const segments = fc.tuple(...params.map((p) => hostileSegment(plausible[p] ?? ['x'])));
      const pathFor = (values: string[]) =>
        `/api/${r.route.replace(/\{([^}]+)\}/g, (_m, p: string) => values[params.indexOf(p)] ?? '')}`;
      await fc.assert(
        fc.asyncProperty(
          segments.chain((values) =>
            fc.record({
              values: fc.constant(values),
              query: hostileQuery,
              head: hostileHeaders,
              body:
                method === 'GET'
                  ? fc.option(hostileBody(undefined), { freq: 4, nil: undefined })
                  : hostileBody(baseBody(r.name, pathFor(values)) as never),
            }),
          ),
          async ({ values, query, head, body }) => {
            const path = pathFor(values) + query;
            const bytes = body === undefined ? 0 : Buffer.byteLength(body);
            const lie = Math.min(head.lieBy, bytes);
            const res = await rawHttp(stack.host.url, {
              method,
              path,
              headers: head.headers,
              ...(body === undefined ? {} : { body, contentLength: bytes - lie }),
            });
            const what = `${method} ${path.slice(0, 150)} body=${JSON.stringify((body ?? '').slice(0, 120))}`;
            answered.push(`${res.status} ${method} ${path.slice(0, 80)}`);
            expectSafeAnswer(res, what);
            if (res.status < 300 && method !== 'GET') {
              const decoded = Object.fromEntries(
                params.map((p, i) => [p, safeDecode(values[i] ?? '')] as [string, string]),
              );
              for (const k of await explained(r.name, decoded, res)) allowed.add(k);
            }
          },
        ),
        { numRuns: RUNS, endOnFailure: true, reporter: shortReport },
      );
      const after = await snapshotState(stack);
      const unexplained = changedKeys(before, after).filter(
        (k) => ![...allowed].some((a) => k === a || k.startsWith(`${a}:`)),
      );
      const diff = unexplained.map(
        (k) => `${k}: ${before.get(k)?.slice(0, 300)} -> ${after.get(k)?.slice(0, 300)}`,
      );
      expect(
        unexplained,
        `allowed: ${[...allowed].join(', ')}\n${diff.join('\n')}\n${answered.join('\n')}`,
      ).toEqual([]);
    },
    60_000,
  );
});

/** Failure report without the counterexample's megabytes (huge strings, deep nesting). */
function shortReport<T>(details: fc.RunDetails<T>): void {
  if (!details.failed) return;
  const example = JSON.stringify(details.counterexample).slice(0, 600);
  throw new Error(
    `seed ${details.seed}, path ${details.counterexamplePath}: ${example}\n${String(details.errorInstance).slice(0, 1500)}`,
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
