// The request/response shapes the ARM handlers work with (decoupled from node:http).
import type { RequestOrigin } from './emulatorContext.js';

export interface ArmRequest {
  method: string;
  /** Decoded path, original casing. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  apiVersion: string;
  /** https://127.0.0.1:PORT, used for Azure-AsyncOperation and nextLink. */
  baseUrl: string;
  origin: RequestOrigin;
}

export interface ArmResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** nextLink paging over an ordered list of keys (the skip token is an offset). */
export function pageOf<T>(
  items: T[],
  req: ArmRequest,
  pageSize: number,
): { page: T[]; nextLink: string | null } {
  const skip = Math.max(0, Number(req.query.get('$skipToken') ?? '0') || 0);
  const top = Math.min(pageSize, Math.max(1, Number(req.query.get('$top') ?? pageSize) || pageSize));
  const page = items.slice(skip, skip + top);
  let nextLink: string | null = null;
  if (skip + top < items.length) {
    const url = new URL(req.path, req.baseUrl);
    url.searchParams.set('api-version', req.apiVersion);
    url.searchParams.set('$skipToken', String(skip + top));
    nextLink = url.toString();
  }
  return { page, nextLink };
}
