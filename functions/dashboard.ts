/**
 * The dashboard (docs/dashboard.md): one HTML page, its script and its style sheet. They hold no data and
 * no key, so they are served without one (anonymous): the key never appears in a URL or in the page. The
 * script asks for the key when the API wants one, posts it once to /api/session and from then on the
 * browser's HttpOnly session cookie authenticates its API calls (functions/session.ts).
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
  authLevel: 'anonymous',
  handle: (req) => serve(req, 'index.html'),
});

export const dashboardAsset = httpEndpoint({
  name: 'dashboardAsset',
  methods: ['GET'],
  route: 'dashboard/{*path}',
  authLevel: 'anonymous',
  handle: (req) => serve(req, req.params.path ?? ''),
});

async function serve(req: ApiRequest, name: string): Promise<ApiResponse> {
  const asset = (await dashboardAssets()).get(name);
  if (!asset)
    throw new HttpError(404, 'NotFound', `no dashboard file named ${JSON.stringify(name.slice(0, 100))}`);
  return {
    status: 200,
    body: asset.body,
    headers: {
      'content-type': asset.contentType,
      'content-security-policy': DASHBOARD_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  };
}
