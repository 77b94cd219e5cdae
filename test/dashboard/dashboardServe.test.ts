/**
 * Serving the dashboard (functions/dashboard.ts) through the local host: content types, the strict CSP, the
 * key carried into the asset URLs, 401 without it, 404 for anything but the three files, and the local
 * route table's `{*path}` catch-all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, dashboardAsset, dashboardPage } from '../../functions/dashboard.js';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import { RouteTable } from '../../local/routeTable.js';
import type { StorageQueueConsumer } from '../../shared/store/storageQueueConsumer.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const KEY = 'dash-key-<&>"0123';
let host: LocalHost;

beforeAll(async () => {
  setAppContextFactory(async () => ({
    deps: fakeDeps(),
    apiKey: KEY,
    version: 'test',
    checkHealth: async () => ({ storage: 'ok', arm: 'ok' }),
  }));
  host = await startLocalHost({
    registrations: [dashboardPage, dashboardAsset],
    consumer: {} as StorageQueueConsumer,
    port: 0,
    log: () => {},
  });
});
afterAll(async () => host?.stop());

const get = (path: string) => fetch(`${host.url}${path}`);
const code = `code=${encodeURIComponent(KEY)}`;

describe('the dashboard function', () => {
  it('serves the page with a strict CSP and the key in its asset URLs (HTML-escaped)', async () => {
    const res = await get(`/api/dashboard?${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    const escaped = `?code=${encodeURIComponent(KEY)}`.replace(/&/g, '&#38;');
    expect(html).toContain(`src="/api/dashboard/app.js${escaped}"`);
    expect(html).toContain(`href="/api/dashboard/style.css${escaped}"`);
    expect(html).not.toMatch(/<script>|https?:\/\//); // no inline script, nothing from another origin
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['index.html', 'text/html; charset=utf-8'],
  ])('serves %s as %s', async (name, type) => {
    const res = await get(`/api/dashboard/${name}?${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect((await res.text()).length).toBeGreaterThan(100);
  });

  it('the bundle is minified, without source maps, comments or file paths', async () => {
    const js = await (await get(`/api/dashboard/app.js?${code}`)).text();
    expect(js).not.toMatch(/sourceMappingURL|node_modules|file:\/\/|dashboard\/src/);
    expect(js.split('\n').length).toBeLessThan(20);
  });

  it('asks for the key like every API route', async () => {
    for (const path of ['/api/dashboard', '/api/dashboard/app.js', '/api/dashboard/app.js?code=wrong']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    }
  });

  it('serves nothing but its three files', async () => {
    for (const name of ['nope.js', '..%2F..%2Fpackage.json', 'src/main.ts', 'build.ts', 'a/b/app.js']) {
      const res = await get(`/api/dashboard/${name}?${code}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
    }
    expect((await fetch(`${host.url}/api/dashboard?${code}`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the local route table', () => {
  const routes = new RouteTable([dashboardPage, dashboardAsset]);
  it('matches a {*path} catch-all over one or more segments', () => {
    const m = routes.match('GET', 'dashboard/a/b%20c/app.js');
    expect(m).toMatchObject({ registration: { name: 'dashboardAsset' }, params: { path: 'a/b c/app.js' } });
    expect(routes.match('GET', 'dashboard')).toMatchObject({ registration: { name: 'dashboard' } });
    expect(routes.match('GET', 'dashboard/x')).toMatchObject({ params: { path: 'x' } });
    expect(routes.match('GET', 'dashboards/x')).toBeUndefined();
    expect(routes.match('GET', 'dashboard/%E0%A4%A')).toBeUndefined();
  });
});
