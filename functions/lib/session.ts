/**
 * Dashboard sessions (issue 14 item 11, docs/security.md): after the key prompt posts the key once, the
 * browser holds a short-lived cookie instead of the key. The cookie is `v1.<expiry ms>.<nonce>.<mac>`, the
 * MAC an HMAC-SHA256 under a key derived from the API key (so the cookie reveals nothing of the key, and
 * changing the key ends every session), checked in constant time; it is HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page sends it: no cross-site request forgery), scoped to `/api`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sameSecret } from './sameSecret.js';

export const SESSION_COOKIE = 'osm_fleet_session';
export const SESSION_TTL_MS = 30 * 60_000;

const signingKey = (apiKey: string) =>
  createHmac('sha256', apiKey).update('osm-fleet dashboard session v1').digest();
const mac = (apiKey: string, payload: string) =>
  createHmac('sha256', signingKey(apiKey)).update(payload).digest('base64url');

export function issueSession(apiKey: string, nowMs: number): string {
  const payload = `v1.${nowMs + SESSION_TTL_MS}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${mac(apiKey, payload)}`;
}

/** Valid: well formed, signed with this key, not expired, and not valid for longer than a session lasts. */
export function verifySession(token: string, apiKey: string, nowMs: number): boolean {
  const m = /^(v1\.(\d{1,16})\.[\w-]{22})\.([\w-]{43})$/.exec(token);
  if (!m) return false;
  const [, payload = '', expiry = '', given = ''] = m;
  const expires = Number(expiry);
  if (!(expires > nowMs && expires <= nowMs + SESSION_TTL_MS)) return false;
  return sameSecret(given, mac(apiKey, payload));
}

/** The session cookie's value from a Cookie header, if any. */
export function sessionFromCookies(header: string | null): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return undefined;
}

/** Set-Cookie for a new session (or, with `token` undefined, one that ends it). `Secure` over HTTPS. */
export function sessionCookie(token: string | undefined, secure: boolean): string {
  const maxAge = token === undefined ? 0 : Math.floor(SESSION_TTL_MS / 1000);
  return [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/api',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
