/**
 * A bare HTTP/1.1 client for hostile-input tests: any method, path bytes, headers and body, a declared
 * `content-length` that may lie, one connection per request (`connection: close`) and a hard timeout, so a
 * hang is a failure rather than a stuck test.
 */
import { request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is (already encoded): `/api/policies/%00`. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Declared length; defaults to the body's byte length. */
  contentLength?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function rawHttp(baseUrl: string, r: RawRequest, timeoutMs = 5_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = r.body === undefined ? undefined : Buffer.from(r.body, 'utf8');
  const headers: Record<string, string> = { connection: 'close', ...r.headers };
  if (body !== undefined || r.contentLength !== undefined)
    headers['content-length'] = String(r.contentLength ?? body?.length ?? 0);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms: ${r.method} ${r.path.slice(0, 120)}`));
    });
    req.on('error', reject);
    // A declared length below the body's: the server reads the declared bytes; the rest is junk after them.
    if (body) req.end(body);
    else req.end();
  });
}
