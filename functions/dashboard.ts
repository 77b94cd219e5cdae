/**
 * The dashboard (docs/dashboard.md): one HTML page, its script and its style sheet, behind the same auth as
 * the API. The page's asset URLs carry the `?code=` it was opened with (a script tag cannot send a header);
 * the script then sends the key to the API as `x-functions-key`.
 */
import { HttpError } from './lib/errorResponse.js';
import { dashboardAssets } from './lib/dashboardAssets.js';
import type { ApiRequest, ApiResponse } from './lib/httpEndpoint.js';
import { httpEndpoint } from './lib/httpEndpoint.js';

/** Self only: no inline script or style, no other origin, no framing. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const dashboardPage = httpEndpoint({
  name: 'dashboard',
  methods: ['GET'],
  route: 'dashboard',
  handle: (req) => serve(req, 'index.html'),
});

export const dashboardAsset = httpEndpoint({
  name: 'dashboardAsset',
  methods: ['GET'],
  route: 'dashboard/{*path}',
  handle: (req) => serve(req, req.params.path ?? ''),
});

async function serve(req: ApiRequest, name: string): Promise<ApiResponse> {
  const asset = (await dashboardAssets()).get(name);
  if (!asset)
    throw new HttpError(404, 'NotFound', `no dashboard file named ${JSON.stringify(name.slice(0, 100))}`);
  const code = req.query.get('code');
  const body =
    name === 'index.html'
      ? asset.body.replaceAll('__CODE__', code ? escapeHtml(`?code=${encodeURIComponent(code)}`) : '')
      : asset.body;
  return {
    status: 200,
    body,
    headers: {
      'content-type': asset.contentType,
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
