// Replays recorded requests against a live endpoint and lists how the answers differ from the recorded
// ones: status, the headers that matter, the set of JSON property paths (with their JSON types) and the
// values of chosen deterministic paths. Each difference is one line, deduplicated per recording.
import { request } from 'node:https';
import { at, jsonPaths, type RecordedInteraction } from './recordings.js';

export const HEADERS_THAT_MATTER = [
  'azure-asyncoperation',
  'location',
  'retry-after',
  'x-ms-ratelimit-remaining-subscription-reads',
  'x-ms-ratelimit-remaining-subscription-writes',
  'x-ms-ratelimit-remaining-subscription-deletes',
  'x-ms-ratelimit-remaining-subscription-resource-requests',
  'x-ms-ratelimit-remaining-tenant-resource-requests',
  'x-ms-ratelimit-remaining-tenant-writes',
  'x-ms-user-quota-remaining',
  'x-ms-user-quota-resets-after',
];

export interface LiveAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export function send(endpoint: string, ca: string, method: string, pathAndQuery: string, body?: unknown) {
  return new Promise<LiveAnswer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      new URL(pathAndQuery, endpoint),
      { method, ca, headers: { authorization: 'Bearer replay', 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = String(v);
          let parsed: unknown;
          try {
            parsed = text ? (JSON.parse(text) as unknown) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Operation and resource URLs with hosts, GUIDs and api-version values made comparable. */
export function urlShape(url: string): string {
  return url
    .replace(/^https:\/\/(management\.azure\.com|127\.0\.0\.1:\d+|localhost:\d+)/, '{arm}')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{guid}')
    .replace(/(api-version=)[^&]+/i, '$1{v}');
}

export interface CompareOptions {
  /** Paths whose values must match (dotted, no arrays; for a list answer applied to value[0]). */
  values?: string[];
  /** Path prefixes whose subtree is not compared (data the two sides cannot share). */
  ignore?: string[];
}

export function compare(
  label: string,
  recorded: RecordedInteraction,
  live: LiveAnswer,
  options: CompareOptions = {},
): string[] {
  const out: string[] = [];
  if (recorded.status !== live.status)
    out.push(`${label}: status ${recorded.status}, emulator ${live.status}`);
  for (const h of HEADERS_THAT_MATTER) {
    const r = recorded.headers[h];
    const l = live.headers[h];
    if (r !== undefined && l === undefined) out.push(`${label}: header ${h} missing`);
    else if (r === undefined && l !== undefined) out.push(`${label}: header ${h} extra`);
    else if (r !== undefined && l !== undefined && (h === 'azure-asyncoperation' || h === 'location')) {
      if (urlShape(r) !== urlShape(l)) out.push(`${label}: header ${h} ${urlShape(r)} vs ${urlShape(l)}`);
    }
  }
  const ignored = (p: string) => (options.ignore ?? []).some((prefix) => p.startsWith(prefix));
  const rp = [...jsonPaths(recorded.body)].filter((p) => !ignored(p));
  const lp = [...jsonPaths(live.body)].filter((p) => !ignored(p));
  for (const p of rp) if (!lp.includes(p)) out.push(`${label}: body ${p} missing`);
  for (const p of lp) if (!rp.includes(p)) out.push(`${label}: body ${p} extra`);
  const first = (b: unknown) => {
    const list = (b as { value?: unknown[] } | undefined)?.value;
    return Array.isArray(list) ? list[0] : b;
  };
  for (const path of options.values ?? []) {
    const r = JSON.stringify(at(first(recorded.body), path));
    const l = JSON.stringify(at(first(live.body), path));
    if (r !== l) out.push(`${label}: value ${path} ${r} vs ${l}`);
  }
  return out;
}
