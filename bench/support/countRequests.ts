/**
 * Preloaded into the bench's host process (`--import`): counts every outgoing HTTP(S) request by service
 * and operation (Table Storage, Storage Queues, ARM) at the socket API the Azure SDKs use, and the 429s
 * ARM answers, and writes the counts as JSON to BENCH_COUNTS_FILE every second and at exit. Bench only:
 * no app code knows about it. Ports come from BENCH_TABLE_PORT and BENCH_QUEUE_PORT.
 */
import http from 'node:http';
import https from 'node:https';
import { renameSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const counts: Record<string, number> = {};
const file = process.env.BENCH_COUNTS_FILE;
const tablePort = process.env.BENCH_TABLE_PORT ?? '';
const queuePort = process.env.BENCH_QUEUE_PORT ?? '';
const bump = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);

function kindOf(req: http.ClientRequest, secure: boolean): string {
  const port = String(req.getHeader('host') ?? '').split(':')[1] ?? '';
  const path = req.path.split('?')[0] ?? '';
  if (secure) {
    if (/\/providers\/Microsoft\.ResourceGraph\//i.test(path)) return 'arg:query';
    if (/\/operations\//i.test(path)) return `arm:${req.method}:operation`;
    if (/\/extensions\/[^/]+$/i.test(path)) return `arm:${req.method}:extension`;
    if (/\/extensions$/i.test(path)) return `arm:${req.method}:extensionList`;
    if (/\/connectedClusters\/[^/]+$/i.test(path)) return `arm:${req.method}:cluster`;
    return `arm:${req.method}:other`;
  }
  if (port === tablePort) {
    if (/\$batch/.test(path)) return 'table:batch';
    // /account/name(PartitionKey='…',RowKey='…') is a point operation, /account/name() a query.
    const m = /^\/[^/]+\/([A-Za-z0-9]+)(\((.*)\))?/.exec(path);
    const shape = m?.[3] ? 'point' : 'query';
    return `table:${req.method}:${m?.[1] ?? '?'}:${shape}`;
  }
  if (port === queuePort) {
    if (/\/messages\/[^/]+$/.test(path)) return req.method === 'DELETE' ? 'queue:delete' : 'queue:update';
    if (/\/messages$/.test(path)) return req.method === 'POST' ? 'queue:send' : 'queue:receive';
    return `queue:${req.method}:other`;
  }
  return `other:${req.method}`;
}

function wrap(mod: typeof http | typeof https, secure: boolean): void {
  const original = mod.request.bind(mod) as (...args: unknown[]) => http.ClientRequest;
  (mod as { request: unknown }).request = (...args: unknown[]) => {
    const req = original(...args);
    try {
      const kind = kindOf(req, secure);
      bump(kind);
      if (secure)
        req.once('response', (res: http.IncomingMessage) => {
          if (res.statusCode === 429) bump(`429:${kind}`);
        });
    } catch {
      bump('uncounted');
    }
    return req;
  };
}

wrap(http, false);
wrap(https, true);
syncBuiltinESMExports();

function flush(): void {
  if (!file) return;
  writeFileSync(`${file}.tmp`, JSON.stringify({ at: Date.now(), counts }));
  renameSync(`${file}.tmp`, file);
}
setInterval(flush, 1000).unref();
process.on('exit', flush);
