// ARM throttling (token buckets, headers, 429 + Retry-After honoured by the SDK) and Event Grid delivery
// (validation handshake, event shape against the spec, duplicates, retries, loopback-only subscribers).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OSM_BODY, RG, SUB, extPath, startHarness, waitFor, type Harness } from './harness.js';
import { SpecValidator } from './specSchemas.js';

const V = '?api-version=2023-05-01';
const EG_SPEC = 'eventgrid/data-plane/Microsoft.EventGrid/stable/2024-01-01/Resources.json';
const OTHER_SUB = '9d3a1c52-58f6-4a3e-9a57-6f1f0e7b2c11';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.control.seed({
    explicit: [
      { subscriptionId: SUB, resourceGroup: RG, name: 't1' },
      { subscriptionId: OTHER_SUB, resourceGroup: RG, name: 't2' },
    ],
  });
});
afterAll(async () => h.close());

describe('ARM throttling', () => {
  it('counts down x-ms-ratelimit-remaining-subscription-reads and answers 429 with Retry-After, per subscription', async () => {
    await h.control.config({ throttling: { read: { burst: 3, perSecond: 1 } } });
    try {
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await h.raw('GET', `${extPath('t1')}${V}`);
        expect(r.status).toBe(200);
        remaining.push(String(r.headers['x-ms-ratelimit-remaining-subscription-reads']));
      }
      expect(remaining).toEqual(['2', '1', '0']);
      const throttled = await h.raw('GET', `${extPath('t1')}${V}`);
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(throttled.body).toMatchObject({ error: { code: 'SubscriptionRequestsThrottled' } });
      expect((await h.raw('GET', `${extPath('t2', undefined, OTHER_SUB)}${V}`)).status).toBe(200);
    } finally {
      await h.control.config({ throttling: { read: { burst: 250, perSecond: 25 } } });
    }
  });

  it('the real SDK client gets 429, waits Retry-After and succeeds', async () => {
    await h.control.config({ throttling: { write: { burst: 2, perSecond: 2 } } });
    try {
      const before = (await h.control.stats()).throttled429;
      const started = Date.now();
      for (const name of ['w1', 'w2', 'w3', 'w4']) {
        const poller = await h.client.extensions.beginCreate(
          RG,
          'Microsoft.Kubernetes',
          'connectedClusters',
          't1',
          name,
          {
            extensionType: 'Contoso.Thing',
          },
        );
        expect(poller.getOperationState().status).not.toBe('failed');
      }
      const stats = await h.control.stats();
      expect(stats.throttled429).toBeGreaterThan(before);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const names: string[] = [];
      for await (const e of h.client.extensions.list(RG, 'Microsoft.Kubernetes', 'connectedClusters', 't1'))
        names.push(e.name ?? '');
      expect(names).toEqual(expect.arrayContaining(['w1', 'w2', 'w3', 'w4']));
    } finally {
      await h.control.config({ throttling: { write: { burst: 200, perSecond: 10 } } });
    }
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: {
    eventType: string;
    subject: string;
    topic: string;
    id: string;
    data: Record<string, unknown>;
    dataVersion: string;
    metadataVersion: string;
  }[];
  /** When the request arrived (ms since the epoch). */
  at: number;
}

async function webhook(
  behaviour: { failFirst?: number; validate?: boolean } = {},
): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  let failures = behaviour.failFirst ?? 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
      got.push({ headers: req.headers, body, at: Date.now() });
      if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
        const code = (body[0]?.data as { validationCode?: string }).validationCode;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ validationResponse: behaviour.validate === false ? 'wrong' : code }));
        return;
      }
      if (failures-- > 0) return void res.writeHead(500).end();
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`, got, server };
}

describe('Event Grid', () => {
  it('runs the validation handshake, then delivers ResourceWriteSuccess for a cluster PUT with the full data', async () => {
    const hook = await webhook();
    try {
      const sub = await h.control.addSubscriber({ url: hook.url, name: 'fleet' });
      expect(sub.provisioningState).toBe('Succeeded');
      expect(hook.got[0]?.headers['aeg-event-type']).toBe('SubscriptionValidation');
      expect(hook.got[0]?.body[0]?.eventType).toBe('Microsoft.EventGrid.SubscriptionValidationEvent');

      const path = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/evt1`;
      const put = await h.raw('PUT', `${path}?api-version=2024-01-01`, {
        location: 'eastus',
        identity: { type: 'SystemAssigned' },
        properties: { agentPublicKeyCertificate: '', distribution: 'eks' },
      });
      expect(put.status).toBe(201);
      await waitFor(() =>
        hook.got.some(
          (g) => g.body[0]?.subject === path && g.body[0].eventType.endsWith('ResourceWriteSuccess'),
        ),
      );
      const delivery = hook.got.find((g) => g.body[0]?.subject === path);
      expect(delivery?.headers['aeg-event-type']).toBe('Notification');
      expect(delivery?.headers['content-type']).toMatch(/application\/json/);
      const event = delivery?.body[0];
      expect(event).toMatchObject({ topic: `/subscriptions/${SUB}`, dataVersion: '2', metadataVersion: '1' });
      expect(event?.data).toMatchObject({
        operationName: 'Microsoft.Kubernetes/connectedClusters/write',
        resourceProvider: 'Microsoft.Kubernetes',
        resourceUri: path,
        status: 'Succeeded',
        subscriptionId: SUB,
        httpRequest: { method: 'PUT' },
        authorization: { scope: path, action: 'Microsoft.Kubernetes/connectedClusters/write' },
      });
      expect(new SpecValidator().validate(EG_SPEC, 'ResourceWriteSuccessEventData', event?.data)).toEqual([]);

      // The agents' first heartbeat turns it Connected but is no ARM write: no event for it. A later ARM
      // write (PATCH) raises one, so once that one is in, the heartbeat has had its chance to raise one too.
      await waitFor(async () => {
        const got = await h.raw('GET', `${path}?api-version=2024-01-01`);
        return (
          (got.body as { properties?: { connectivityStatus?: string } }).properties?.connectivityStatus ===
          'Connected'
        );
      });
      await h.raw('PATCH', `${path}?api-version=2024-01-01`, { tags: { env: 'test' } });
      await waitFor(() =>
        hook.got.some(
          (g) =>
            g.body[0]?.subject === path &&
            (g.body[0].data.httpRequest as { method?: string } | undefined)?.method === 'PATCH',
        ),
      );
      const writes = hook.got
        .filter((g) => g.body[0]?.subject === path)
        .map((g) => (g.body[0]?.data.httpRequest as { method?: string } | undefined)?.method);
      expect(writes).toEqual(['PUT', 'PATCH']);
      // Deleting raises ResourceDeleteSuccess.
      await h.raw('DELETE', `${path}?api-version=2024-01-01`);
      await waitFor(() =>
        hook.got.some((g) => g.body[0]?.eventType === 'Microsoft.Resources.ResourceDeleteSuccess'),
      );
      const del = hook.got.find((g) => g.body[0]?.eventType === 'Microsoft.Resources.ResourceDeleteSuccess')
        ?.body[0];
      expect(new SpecValidator().validate(EG_SPEC, 'ResourceDeleteSuccessEventData', del?.data)).toEqual([]);
      expect(del?.data.operationName).toBe('Microsoft.Kubernetes/connectedClusters/delete');
    } finally {
      await h.control.clearSubscribers();
      hook.server.close();
    }
  });

  it('extension writes raise events; duplicates are delivered when asked; failed deliveries are retried', async () => {
    const hook = await webhook({ failFirst: 1 });
    try {
      await h.control.addSubscriber({
        url: hook.url,
        duplicateRate: 1,
        eventTypes: ['Microsoft.Resources.ResourceWriteSuccess'],
      });
      const res = await h.raw('PUT', `${extPath('t1', 'osm')}${V}`, { properties: OSM_BODY('1.2.6') });
      expect(res.status).toBe(201);
      const isExt = (g: Received) =>
        g.body[0]?.data.operationName === 'Microsoft.KubernetesConfiguration/extensions/write';
      await waitFor(
        () => hook.got.filter((g) => isExt(g) && g.headers['aeg-event-type'] === 'Notification').length >= 3,
      );
      const deliveries = hook.got.filter(isExt);
      expect(new Set(deliveries.map((d) => d.body[0]?.id)).size).toBe(1);
      expect(deliveries.map((d) => d.headers['aeg-delivery-count'])).toContain('1');
    } finally {
      await h.control.clearSubscribers();
      hook.server.close();
    }
  });

  it("retryScale spaces the attempts by Event Grid's own schedule (10 s, 30 s, ...) times the factor", async () => {
    const hook = await webhook({ failFirst: 2 });
    try {
      // 10 s and 30 s scaled by 0.02: 200 ms, then 600 ms.
      await h.control.addSubscriber({ url: hook.url, endpointType: 'azurefunction', retryScale: 0.02 });
      const path = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/t1?api-version=2024-01-01`;
      const headers = { authorization: 'Bearer x', 'x-ms-client-request-id': 'retry-scale' };
      expect((await h.raw('PATCH', path, { tags: { retry: 'scaled' } }, headers)).status).toBe(200);
      const ours = () =>
        hook.got.filter(
          (g) =>
            (g.body[0]?.data.httpRequest as { clientRequestId?: string } | undefined)?.clientRequestId ===
            'retry-scale',
        );
      await waitFor(() => ours().length >= 3, 10_000);
      expect(ours().map((g) => g.headers['aeg-delivery-count'])).toEqual(['0', '1', '2']);
      // spacing measured when each attempt arrived at the webhook, not when the test happened to look
      const [first = 0, second = 0, third = 0] = ours().map((g) => g.at);
      expect(second - first).toBeGreaterThanOrEqual(150);
      expect(third - second).toBeGreaterThanOrEqual(500);
    } finally {
      await h.control.clearSubscribers();
      hook.server.close();
    }
  });

  it('refuses subscribers that fail validation or are not on loopback', async () => {
    const hook = await webhook({ validate: false });
    try {
      await expect(h.control.addSubscriber({ url: hook.url })).rejects.toMatchObject({ status: 400 });
      await expect(h.control.addSubscriber({ url: 'http://example.com/hook' })).rejects.toMatchObject({
        status: 400,
      });
      expect((await h.control.stats()).subscribers).toBe(0);
    } finally {
      hook.server.close();
    }
  });

  it('reorders deliveries when maxDelayMs is set (Event Grid does not keep order)', async () => {
    const hook = await webhook();
    try {
      await h.control.addSubscriber({ url: hook.url, maxDelayMs: 300, endpointType: 'azurefunction' });
      expect(hook.got).toHaveLength(0); // no handshake for an Event Grid trigger
      const tags = Array.from({ length: 12 }, (_, i) => String(i));
      const path = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Kubernetes/connectedClusters/t1?api-version=2024-01-01`;
      for (const t of tags) {
        const headers = { authorization: 'Bearer x', 'x-ms-client-request-id': t };
        expect((await h.raw('PATCH', path, { tags: { seq: t } }, headers)).status).toBe(200);
      }
      await waitFor(() => hook.got.length >= tags.length, 3000);
      const order = hook.got.map(
        (g) => (g.body[0]?.data.httpRequest as { clientRequestId: string }).clientRequestId,
      );
      expect(new Set(order)).toEqual(new Set(tags));
      expect(order).not.toEqual(tags);
    } finally {
      await h.control.clearSubscribers();
      hook.server.close();
    }
  });

  it('a failed extension operation raises ResourceWriteFailure with status Failed', async () => {
    const hook = await webhook();
    try {
      await h.control.addSubscriber({
        url: hook.url,
        eventTypes: ['Microsoft.Resources.ResourceWriteFailure'],
        endpointType: 'azurefunction',
      });
      await h.control.seed({
        explicit: [{ subscriptionId: SUB, resourceGroup: RG, name: 'ocp', distribution: 'openshift' }],
      });
      expect(
        (await h.raw('PUT', `${extPath('ocp', 'osm')}${V}`, { properties: OSM_BODY('1.2.6') })).status,
      ).toBe(201);
      await waitFor(() => hook.got.length === 1, 3000);
      const event = hook.got[0]?.body[0];
      expect(event).toMatchObject({
        eventType: 'Microsoft.Resources.ResourceWriteFailure',
        subject: expect.stringMatching(/\/extensions\/osm$/),
      });
      expect(event?.data).toMatchObject({
        status: 'Failed',
        operationName: 'Microsoft.KubernetesConfiguration/extensions/write',
      });
      expect(new SpecValidator().validate(EG_SPEC, 'ResourceWriteFailureEventData', event?.data)).toEqual([]);
    } finally {
      await h.control.clearSubscribers();
      hook.server.close();
    }
  });
});
