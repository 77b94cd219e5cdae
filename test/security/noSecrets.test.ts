/**
 * No secret in logs or responses: a rollout to a small fleet with protected settings holding random tokens,
 * and a random static ARM token. Afterwards no log line (app and local host), no answer of any GET route
 * (nor the plan), no stored history event and no emulator answer to a cluster or extension GET (nor Resource
 * Graph) contains any of them. The emulator did receive the protected settings (their keys are listed), as
 * ARM must; it must not return them.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const token = (tag: string) => `${tag}-${randomBytes(18).toString('base64url')}`;
const SECRETS = { a: token('psa'), b: token('psb') };
/** JWT-shaped, as real ARM tokens are (the emulator names a non-JWT caller by the token text itself). */
const ARM_TOKEN = [
  { alg: 'none', typ: 'JWT' },
  { oid: randomBytes(16).toString('hex'), aud: 'https://management.azure.com/' },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .concat(token('sig'))
  .join('.');
const ALL = [SECRETS.a, SECRETS.b, ARM_TOKEN];
const clusters = ['s-1', 's-2', 's-3'].map((n, i) => clusterIdOf(SUBS[i % 2]!, 'rg-s', n));
let stack: FleetStack;
let rolloutId = '';
const seen: string[] = [];

beforeAll(async () => {
  stack = await startFleetStack({ env: { ARM_STATIC_TOKEN: ARM_TOKEN }, reconcileEveryMs: 600_000 });
  await stack.control.seed({
    explicit: clusters.map((id, i) => ({
      subscriptionId: SUBS[i % 2]!,
      resourceGroup: 'rg-s',
      name: id.split('/').pop()!,
      distribution: 'aks',
      ...(i === 0
        ? {
            extensions: [
              {
                name: 'osm',
                extensionType: 'Microsoft.openservicemesh',
                version: '1.1.1',
                autoUpgradeMinorVersion: false,
              },
            ],
          }
        : {}),
    })),
  });
  await new Promise((r) => setTimeout(r, 400));
  const put = await stack.api('PUT', '/api/policies/secret', {
    osm: {
      version: '1.2.6',
      configurationProtectedSettings: { 'osm.osm.secretA': SECRETS.a, 'osm.osm.secretB': SECRETS.b },
    },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 3 }] },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  seen.push(JSON.stringify(put.body));
  const created = await stack.api('POST', '/api/rollouts', { policy: 'secret' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  rolloutId = created.body.id as string;
  const done = await waitFor(
    async () => {
      const r = await stack.api('GET', `/api/rollouts/${rolloutId}`);
      return ['Succeeded', 'Failed', 'Halted'].includes(r.body.state) && r.body;
    },
    30_000,
    () => stack.logs.slice(-10).join('\n'),
  );
  expect(done.state).toBe('Succeeded');
}, 60_000);
afterAll(async () => stack?.stop());

function expectClean(what: string, text: string): void {
  for (const s of ALL) expect(text.includes(s), `${what} holds a secret`).toBe(false);
}

/** An ARM call to the emulator as the app makes it (bearer token), returning the body text. */
function arm(method: string, path: string, body?: unknown): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, stack.emulator.endpoint);
    const req = request(
      url,
      {
        method,
        ca: stack.emulator.caPem,
        headers: { authorization: `Bearer ${ARM_TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('no secret in logs or responses', () => {
  it('the emulator received the protected settings (keys listed, as ARM does)', async () => {
    for (const id of clusters) {
      const state = await stack.control.getCluster(id);
      expect(state.extensions.find((e) => e.resource.name === 'osm')?.protectedSettingKeys.sort()).toEqual([
        'osm.osm.secretA',
        'osm.osm.secretB',
      ]);
      expectClean(`control view of ${id}`, JSON.stringify(state));
    }
  });

  it('no API answer of any GET route, nor the plan', async () => {
    const paths = [
      '/api/health',
      '/api/policies',
      '/api/policies/secret',
      '/api/rollouts',
      `/api/rollouts/${rolloutId}`,
      `/api/rollouts/${rolloutId}/clusters`,
      '/api/clusters',
      ...clusters.flatMap((id) => {
        const [, , sub, , rg, , , , name] = id.split('/');
        return [`/api/clusters/${sub}/${rg}/${name}`, `/api/clusters/${sub}/${rg}/${name}/history`];
      }),
    ];
    for (const p of paths) {
      const r = await stack.api('GET', p);
      expect(r.status, p).toBe(200);
      expectClean(p, JSON.stringify(r.body));
    }
    const plan = await stack.api('POST', '/api/policies/secret/plan');
    expect(plan.status).toBe(200);
    expectClean('plan', JSON.stringify(plan.body));
    for (const s of seen) expectClean('PUT answer', s);
  });

  it('no stored history event', async () => {
    let events = 0;
    for (const id of clusters) {
      const page = await stack.app.deps.history.list(id.toLowerCase(), { top: 1000 });
      events += page.items.length;
      expectClean(`history of ${id}`, JSON.stringify(page.items));
    }
    expect(events).toBeGreaterThanOrEqual(clusters.length);
  });

  it('no emulator answer to cluster and extension GETs, nor Resource Graph', async () => {
    const v = 'api-version=2023-05-01';
    for (const id of clusters) {
      const ext = `${id}/providers/Microsoft.KubernetesConfiguration/extensions`;
      expectClean('extension list', await arm('GET', `${ext}?${v}`));
      const one = await arm('GET', `${ext}/osm?${v}`);
      expect(JSON.parse(one)).toMatchObject({ name: 'osm', properties: { provisioningState: 'Succeeded' } });
      expectClean('extension GET', one);
      expectClean('cluster GET', await arm('GET', `${id}?api-version=2024-01-01`));
    }
    const graph = await arm('POST', '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01', {
      subscriptions: SUBS,
      query: 'KubernetesConfigurationResources | project id, properties',
    });
    expect(graph).toContain('osm');
    expectClean('Resource Graph', graph);
  });

  it('no log line (app and local host), and the logs are not empty', () => {
    expect(stack.logs.length).toBeGreaterThan(20);
    for (const line of stack.logs) expectClean(`log line ${line.slice(0, 80)}`, line);
  });
});
