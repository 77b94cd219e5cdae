/**
 * The API client: same origin, authenticated by the browser's HttpOnly session cookie (set by
 * `POST /api/session` after the key prompt; this script never holds the key beyond that one call), and the
 * API's error message (not a stack) when a call fails.
 */
import type {
  Cluster,
  Command,
  Compliance,
  HistoryEvent,
  Page,
  Policy,
  Rollout,
  RolloutCluster,
} from './types.js';

/** `/api/` next to `/api/dashboard/app.js`, wherever the app is served. */
const BASE = new URL('../', import.meta.url).pathname;
/**
 * Where the Functions host itself checks keys (Azure: `authLevel: 'function'`), a cookie cannot pass it: the
 * key typed in the prompt is then held here, in memory only (never in a URL, the page or storage), and sent
 * as `x-functions-key`. Where the app checks the key (FLEET_API_KEY), the session cookie is used instead.
 */
let hostKey: string | undefined;
export function useHostKey(key: string | undefined): void {
  hostKey = key;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (hostKey) headers['x-functions-key'] = hostKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(BASE + path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed = (text ? JSON.parse(text) : undefined) as unknown;
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? 'Error', err?.message ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}

const q = (s: string) => encodeURIComponent(s);
const page = (top: number, token?: string) => `top=${top}${token ? `&continuationToken=${q(token)}` : ''}`;

/** Every call the dashboard makes goes through here (one place for the way it authenticates). */
export const api = {
  /** Whether the API wants a key and whether this browser has a session. */
  session: () => call<{ keyRequired: boolean; signedIn: boolean }>('GET', 'session'),
  /** Posts the key once; the answer sets the session cookie. */
  signIn: (key: string) => call<undefined>('POST', 'session', { key }),
  /** Newest first; `token` continues a previous page ("more"). */
  rollouts: (top = 20, token?: string) => call<Page<Rollout>>('GET', `rollouts?${page(top, token)}`),
  rollout: (id: string) => call<Rollout>('GET', `rollouts/${q(id)}`),
  rolloutClusters: (id: string, state: string, top = 100) =>
    call<Page<RolloutCluster>>('GET', `rollouts/${q(id)}/clusters?state=${q(state)}&top=${top}`),
  command: (id: string, command: Command, body?: unknown) =>
    call<Rollout>('POST', `rollouts/${q(id)}/${command}`, body),
  policy: (name: string) => call<Policy>('GET', `policies/${q(name)}`),
  policies: () => call<Page<Policy>>('GET', 'policies?top=1000'),
  compliance: (policy: string, status = '', top = 1, token?: string) =>
    call<Compliance>(
      'GET',
      `policies/${q(policy)}/compliance?${page(top, token)}${status ? `&status=${q(status)}` : ''}`,
    ),
  cluster: (path: string) => call<Cluster>('GET', `clusters/${path}`),
  history: (path: string, top = 100, token?: string) =>
    call<Page<HistoryEvent>>('GET', `clusters/${path}/history?${page(top, token)}`),
  /** The whole inventory, page by page, up to `max` clusters. */
  async allClusters(max = 20_000): Promise<{ items: Cluster[]; truncated: boolean }> {
    const items: Cluster[] = [];
    let token: string | undefined;
    do {
      const page = await call<Page<Cluster>>(
        'GET',
        `clusters?top=1000${token ? `&continuationToken=${q(token)}` : ''}`,
      );
      items.push(...page.items);
      token = page.continuationToken;
    } while (token && items.length < max);
    return { items, truncated: token !== undefined };
  },
};
