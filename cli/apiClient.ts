/**
 * A small fetch-based client of the osm-fleet HTTP API: base URL, the `x-functions-key` header, JSON in and
 * out, timeouts, and the API's error shape `{ error: { code, message, details? } }` turned into `ApiError`.
 */
import type { PageBody } from './types.js';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when no answer came (connection refused, timeout). */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export interface ClientOptions {
  endpoint: string;
  key?: string;
  timeoutMs?: number;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export type Query = Record<string, string | number | undefined>;

/** `http://host:7071`, `http://host:7071/`, `http://host:7071/api` all mean the API at `/api`. */
export function apiBase(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ApiError(
      0,
      'InvalidEndpoint',
      `endpoint: "${endpoint}" is not a URL such as http://127.0.0.1:7071/api`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = /\/api$/.test(path) ? path : `${path}/api`;
  return url.toString().replace(/\/+$/, '');
}

export class ApiClient {
  readonly base: string;
  constructor(private readonly options: ClientOptions) {
    this.base = apiBase(options.endpoint);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    query: Query = {},
    ifMatch?: string,
  ): Promise<ApiResponse<T>> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') qs.set(k, String(v));
    const url = `${this.base}${path}${qs.size ? `?${qs}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.key) headers['x-functions-key'] = this.options.key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch) headers['if-match'] = ifMatch;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw networkError(e, `${method} ${this.base}${path}`, timeoutMs);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) throw errorOf(res, parsed);
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.request<T>('GET', path, undefined, query)).body;
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    return (await this.request<T>('POST', path, body)).body;
  }

  /**
   * Follows `continuationToken`s until `limit` items are read (all of them when `limit` is undefined).
   * `more` tells whether the API had more to give.
   */
  async list<T>(path: string, query: Query, limit?: number): Promise<{ items: T[]; more: boolean }> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const left = limit === undefined ? 1000 : Math.min(1000, limit - items.length);
      const page = await this.get<PageBody<T>>(path, { ...query, top: left, continuationToken: token });
      items.push(...page.items);
      token = page.continuationToken;
    } while (token && (limit === undefined || items.length < limit));
    return { items, more: !!token };
  }
}

function errorOf(res: Response, body: unknown): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (err && typeof err.code === 'string') {
    const details = Array.isArray(err.details) ? (err.details as ErrorDetail[]) : [];
    return new ApiError(res.status, err.code, String(err.message ?? ''), details);
  }
  const text = typeof body === 'string' ? body.slice(0, 200) : '';
  return new ApiError(res.status, `Http${res.status}`, text || res.statusText || 'request failed');
}

function networkError(e: unknown, what: string, timeoutMs: number): ApiError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return new ApiError(0, 'Timeout', `${what}: no answer within ${timeoutMs / 1000} s`);
  const why = err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
  return new ApiError(0, 'ConnectionFailed', `${what}: ${why} (is the API running? see --endpoint)`);
}
