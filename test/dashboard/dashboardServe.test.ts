/**
 * Serving the dashboard (functions/dashboard.ts) through the local host: content types, the strict CSP, no
 * key in the page or its asset URLs (issue 14 item 11: they are served without one), 404 for anything but the
 * three files, the local route table's `{*path}` catch-all; and sign-in (functions/session.ts): the key
 * posted once gives an HttpOnly, SameSite=Strict session cookie that the API accepts, while a forged,
 * expired or foreign cookie is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP, dashboardAsset, dashboardPage } from '../../functions/dashboard.js';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import { SESSION_COOKIE, SESSION_TTL_MS, issueSession } from '../../functions/lib/session.js';
import { listPoliciesFn } from '../../functions/policies.js';
import { createSessionFn, deleteSessionFn, getSessionFn } from '../../functions/session.js';
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
    registrations: [
      dashboardPage,
      dashboardAsset,
      getSessionFn,
      createSessionFn,
      deleteSessionFn,
      listPoliciesFn,
    ],
    consumer: {} as StorageQueueConsumer,
    port: 0,
    log: () => {},
  });
});
afterAll(async () => host?.stop());

const get = (path: string) => fetch(`${host.url}${path}`);
const code = `code=${encodeURIComponent(KEY)}`;

describe('the dashboard function', () => {
  it('serves the page with a strict CSP and no key in it or in its asset URLs', async () => {
    const res = await get(`/api/dashboard?${code}`); // even when a key is in the URL, it is not copied
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/unsafe|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('src="/api/dashboard/app.js"');
    expect(html).toContain('href="/api/dashboard/style.css"');
    expect(html).not.toMatch(/code=|dash-key|__CODE__/);
    expect(html).not.toMatch(/<script>|https?:\/\//); // no inline script, nothing from another origin
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['style.css', 'text/css; charset=utf-8'],
    ['index.html', 'text/html; charset=utf-8'],
  ])('serves %s as %s, without a key', async (name, type) => {
    const res = await get(`/api/dashboard/${name}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(100);
    expect(text).not.toContain(KEY);
  });

  it('the bundle is minified, without source maps, comments or file paths', async () => {
    const js = await (await get(`/api/dashboard/app.js`)).text();
    expect(js).not.toMatch(/sourceMappingURL|node_modules|file:\/\/|dashboard\/src/);
    expect(js.split('\n').length).toBeLessThan(20);
  });

  it('serves nothing but its three files', async () => {
    for (const name of ['nope.js', '..%2F..%2Fpackage.json', 'src/main.ts', 'build.ts', 'a/b/app.js']) {
      const res = await get(`/api/dashboard/${name}`);
      expect(res.status, name).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NotFound' } });
    }
    expect((await fetch(`${host.url}/api/dashboard`, { method: 'POST' })).status).toBe(405);
  });
});

const signIn = (key: string) =>
  fetch(`${host.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
const withCookie = (path: string, cookie: string) =>
  fetch(`${host.url}${path}`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });

describe('dashboard sign-in and the session cookie', () => {
  it('the key posted once gives a short-lived HttpOnly, SameSite=Strict cookie, not the key', async () => {
    expect(await (await get('/api/session')).json()).toEqual({ keyRequired: true, signedIn: false });
    const res = await signIn(KEY);
    expect(res.status).toBe(204);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=v1\\.`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/api');
    expect(cookie).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
    expect(cookie).not.toContain(encodeURIComponent(KEY));
    expect(cookie).not.toContain(KEY);
    const token = /=([^;]*)/.exec(cookie)?.[1] ?? '';
    expect((await withCookie('/api/policies', token)).status).toBe(200);
    const state = await (await withCookie('/api/session', token)).json();
    expect(state).toEqual({ keyRequired: true, signedIn: true });
  });

  it('a wrong key gets no cookie', async () => {
    const res = await signIn('wrong');
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('a forged, expired or foreign cookie is refused by the API', async () => {
    const good = issueSession(KEY, Date.now());
    const [v, exp, nonce, mac = ''] = good.split('.');
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    const longer = `${v}.${Number(exp) + 3_600_000}.${nonce}.${mac}`; // expiry pushed out, MAC kept
    const cookies = {
      forgedMac: `${v}.${exp}.${nonce}.${flipped}`,
      extended: longer,
      expired: issueSession(KEY, Date.now() - SESSION_TTL_MS - 1000),
      foreign: issueSession('another-key', Date.now()),
      tooLong: issueSession(KEY, Date.now() + 24 * 3_600_000), // valid MAC, but beyond a session's life
      garbage: 'v1.x.y.z',
      theKeyItself: encodeURIComponent(KEY),
    };
    for (const [what, cookie] of Object.entries(cookies)) {
      const res = await withCookie('/api/policies', cookie);
      expect(res.status, what).toBe(401);
    }
    expect((await withCookie('/api/policies', good)).status).toBe(200); // control: the real one works
  });

  it('sign-out ends the cookie', async () => {
    const res = await fetch(`${host.url}/api/session`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=; .*Max-Age=0`));
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
