// A small HTTPS server that answers with recorded ARM / Resource Graph responses (test/recordings), so the
// product's own adapters can be driven through what real Azure sent. TLS as the emulator does it: a fresh CA
// and a 127.0.0.1 certificate (emulator/tlsCert.ts). Requests are matched in recorded order by method, path
// (case-insensitively) and query parameters other than api-version; `https://management.azure.com` in the
// recorded headers and bodies is rewritten to this server (other hosts, such as the regional RP host in a
// recorded `Location`, are left alone: a client that follows them fails, as it would outside Azure).
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsMaterial } from '../../emulator/tlsCert.js';
import type { RecordedInteraction } from './recordings.js';

export interface ReplayServer {
  endpoint: string;
  caPem: string;
  /** Every request received, in order (method and path with query). */
  received: string[];
  /** Recorded interactions not yet served. */
  pending(): RecordedInteraction[];
  close(): Promise<void>;
}

const DROPPED = new Set(['content-length', 'transfer-encoding', 'date', 'vary', 'connection']);

function queryKey(url: URL): string {
  return [...url.searchParams]
    .filter(([k]) => k.toLowerCase() !== 'api-version')
    .map(([k, v]) => `${k.toLowerCase()}=${v.toLowerCase()}`)
    .sort()
    .join('&');
}

export async function startReplayServer(interactions: RecordedInteraction[]): Promise<ReplayServer> {
  const tls = await createTlsMaterial(mkdtempSync(join(tmpdir(), 'replay-ca-')));
  const queue = [...interactions];
  const received: string[] = [];
  let endpoint = '';
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', endpoint);
      received.push(`${req.method} ${url.pathname}${url.search}`);
      const i = queue.findIndex(
        (r) =>
          r.method === req.method &&
          r.url.pathname.toLowerCase() === url.pathname.toLowerCase() &&
          queryKey(r.url) === queryKey(url),
      );
      if (i < 0) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: 'NoRecording', message: `No recorded answer for ${req.method} ${url.pathname}` },
          }),
        );
        return;
      }
      const [r] = queue.splice(i, 1);
      if (!r) return;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) {
        if (!DROPPED.has(k)) headers[k] = v.replaceAll('https://management.azure.com', endpoint);
      }
      res.writeHead(r.status, headers);
      res.end(r.rawBody.replaceAll('https://management.azure.com', endpoint));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    caPem: tls.caPem,
    received,
    pending: () => [...queue],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
