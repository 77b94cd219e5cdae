/**
 * bench:events helpers: an Event Grid subscriber of our own (loopback HTTP, registered beside the host's
 * webhook, so it receives every event at the same moment the host does) that records when each cluster's
 * write events arrived, and a connectedClusters PUT through ARM as `az connectedk8s connect` sends it.
 */
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface EventProbe {
  url: string;
  /** Lower-cased cluster ID -> receive times (ms) of its connectedClusters write events, in order. */
  received: Map<string, number[]>;
  close(): Promise<void>;
}

export async function startEventProbe(): Promise<EventProbe> {
  const received = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { subject?: string }[];
        for (const e of events) {
          const id = (e.subject ?? '').toLowerCase();
          if (!/\/connectedclusters\/[^/]+$/.test(id)) continue;
          const list = received.get(id) ?? [];
          list.push(at);
          received.set(id, list);
        }
      } catch {
        /* not our concern */
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** PUT a connected cluster (it starts Connecting and turns Connected after the emulator's connectMs). */
export function putConnectedCluster(endpoint: string, caPem: string, id: string): Promise<number> {
  const body = JSON.stringify({
    location: 'eastus',
    identity: { type: 'SystemAssigned' },
    properties: {
      agentPublicKeyCertificate: 'MIIBCgKCAQEAbench',
      distribution: 'aks',
      infrastructure: 'generic',
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(`${id}?api-version=2024-01-01`, endpoint),
      {
        method: 'PUT',
        ca: caPem,
        headers: { authorization: 'Bearer bench-events', 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
