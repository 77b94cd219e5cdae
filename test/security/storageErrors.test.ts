/**
 * Storage failures and paging tokens through the HTTP API (issue 14, items 9 and 10; docs/security.md):
 * the client gets a documented code in our words, never the store's own (host and port, table name,
 * `odata.error` with its request id); a continuation token this API did not issue is a 400 on every paged
 * route, never a 500.
 */
import { createServer } from 'node:net';
import { RestError } from '@azure/data-tables';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import { errorResponse } from '../../functions/lib/errorResponse.js';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { registrations } from '../../functions/registrations.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import { loadConfig } from '../../shared/config.js';
import { createAppContext } from '../../shared/createAppContext.js';
import { classifyStorageError } from '../../shared/store/classifyStorageError.js';
import { expectError } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { uniquePrefix } from '../support/storeFixture.js';

const LEAKS = [/ECONNREFUSED/, /127\.0\.0\.1/, /:\d{4,5}\b/, /odata/i, /RequestId/i, /Storage4\d\d/];
const expectNoLeak = (body: unknown) => {
  for (const leak of LEAKS) expect(JSON.stringify(body)).not.toMatch(leak);
};

describe('a crafted continuationToken (item 10)', () => {
  let stack: FleetStack;
  let rolloutId = '';
  beforeAll(async () => {
    stack = await startFleetStack({ reconcileEveryMs: 60_000, events: false });
    expect((await stack.api('PUT', '/api/policies/tok', { osm: { version: '1.2.6' } })).status).toBe(201);
    const created = await stack.api('POST', '/api/rollouts', { policy: 'tok' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    rolloutId = created.body.id as string;
  });
  afterAll(async () => stack?.stop());

  const b64 = (v: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString('base64'));
  const tokens = [
    b64({ nextPartitionKey: 'x', nextRowKey: 5 }), // the reported one
    b64({ nextPartitionKey: 5 }),
    b64({ nextPartitionKey: 'x', nextRowKey: 'y', extra: true }),
    b64({ nextPartitionKey: '' }),
    b64(['x']),
    b64(null),
    'not-base64-json',
    b64({ nextPartitionKey: 'policy', nextRowKey: '\ud800' }), // a lone surrogate the SDK cannot URL-encode
    b64({ nextPartitionKey: 'a\u0000b' }), // a control character, which no response header carries
    '', // an empty token
    'x'.repeat(5000), // longer than any token the API issues
  ];
  const sub = SUBS[0]!;
  const paged = [
    '/api/policies',
    '/api/clusters',
    '/api/rollouts',
    '/api/rollouts/{id}/clusters',
    `/api/clusters/${sub}/rg-x/c-x/history`,
  ];

  it.each(paged)('%s answers 400 InvalidContinuationToken for each', async (path) => {
    for (const token of tokens) {
      const r = await stack.api('GET', `${path.replace('{id}', rolloutId)}?continuationToken=${token}`);
      expectError(r, 400, 'InvalidContinuationToken', 'continuationToken');
    }
  });

  it('still takes the tokens it issues', async () => {
    for (const name of ['a', 'b'])
      expect((await stack.api('PUT', `/api/policies/${name}`, { osm: { version: '1.2.6' } })).status).toBe(
        201,
      );
    const first = await stack.api('GET', '/api/policies?top=2');
    expect(first.body.continuationToken).toEqual(expect.any(String));
    const next = await stack.api(
      'GET',
      `/api/policies?top=2&continuationToken=${encodeURIComponent(first.body.continuationToken as string)}`,
    );
    expect(next.status).toBe(200);
    expect(next.body.items.map((p: { name: string }) => p.name)).toEqual(['tok']);
  });

  it('an over-long filter value is a 400 in our words, not the store URL limit as a 422 (item 9)', async () => {
    const r = await stack.api('GET', `/api/clusters?osmVersion=${encodeURIComponent("'".repeat(3000))}`);
    expectError(r, 400, 'InvalidQueryParameter', 'osmVersion');
    expectNoLeak(r.body);
    const p = await stack.api('GET', `/api/clusters?policy=${'x'.repeat(9000)}`);
    expectError(p, 400, 'InvalidQueryParameter', 'policy');
    expect(JSON.stringify(p.body).length).toBeLessThan(500); // the value is not echoed back
    expect((await stack.api('GET', '/api/clusters?osmVersion=NONE')).status).toBe(200);
    expect((await stack.api('GET', '/api/clusters?osmVersion=1.0.0-1')).status).toBe(200);
  });
});

describe('the state store unreachable (item 9)', () => {
  let host: LocalHost;
  const logs: string[] = [];

  beforeAll(async () => {
    const port = await closedPort();
    const cs = inject('azurite')
      .connectionString.replace(/TableEndpoint=http:\/\/[^/;]+/, `TableEndpoint=http://127.0.0.1:${port}`)
      .replace(/QueueEndpoint=http:\/\/[^/;]+/, `QueueEndpoint=http://127.0.0.1:${port}`);
    const config = loadConfig({
      FLEET_SUBSCRIPTIONS: SUBS.join(','),
      AzureWebJobsStorage: cs,
      ARM_ENDPOINT: 'https://127.0.0.1:1',
      ARM_STATIC_TOKEN: 'integration-test-token',
    });
    const app = await createAppContext(config, {
      tablePrefix: uniquePrefix(),
      ensureCreated: false,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    setAppContextFactory(async () => app);
    host = await startLocalHost({
      registrations: registrations.filter((r): r is HttpRegistration => r.kind === 'http'),
      consumer: app.store.queueConsumer,
      port: 0,
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => host?.stop());

  it('answers 503 StorageUnavailable with retry-after; the cause goes to the log only', async () => {
    const res = await fetch(`${host.url}/api/policies`);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(503);
    expect(body.error.code).toBe('StorageUnavailable');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectNoLeak(body);
    expect(logs.join('\n')).toMatch(/ECONNREFUSED/);
  }, 60_000);
});

describe('a storage refusal (item 9)', () => {
  it("never passes the service's odata.error (with its request id) to the client", () => {
    const request = createPipelineRequest({ url: 'http://127.0.0.1:10202/devstoreaccount1/t1policies()' });
    const raw =
      '{"odata.error":{"code":"InvalidInput","message":{"lang":"en-US","value":"One of the request inputs is not valid.\\nRequestId:5a1c\\nTime:2026-12-03T09:00:00Z"}}}';
    const err = new RestError(raw, {
      statusCode: 400,
      request,
      response: { status: 400, headers: createHttpHeaders({}), request },
    });
    (err as { details?: unknown }).details = { odataError: { code: 'InvalidInput' } };
    const warned: unknown[][] = [];
    const context = { warn: (...a: unknown[]) => warned.push(a), error: () => {} };
    const res = errorResponse(classifyStorageError(err, 'list t1policies'), context as never);
    expect(res.status).toBe(500);
    expect(res.jsonBody).toEqual({
      error: { code: 'StorageError', message: expect.stringMatching(/state store refused/) },
    });
    expectNoLeak(res.jsonBody);
    expect(JSON.stringify(warned)).toMatch(/RequestId/);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
