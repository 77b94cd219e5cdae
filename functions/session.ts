/**
 * Dashboard sign-in (docs/dashboard.md, docs/security.md item 11): `GET /api/session` says whether a key is
 * required and whether this browser has a session; `POST /api/session` with `{ "key": "..." }` checks the
 * key once (constant time) and answers with the session cookie; `DELETE /api/session` ends it. Anonymous
 * at the host: they are how a browser without the key in its URL gets in.
 */
import { HttpError } from './lib/errorResponse.js';
import type { ApiRequest } from './lib/httpEndpoint.js';
import { httpEndpoint, sessionValid } from './lib/httpEndpoint.js';
import { sameSecret } from './lib/sameSecret.js';
import { issueSession, sessionCookie } from './lib/session.js';

const secure = (req: ApiRequest) => new URL(req.url).protocol === 'https:';

export const getSessionFn = httpEndpoint({
  name: 'getSession',
  methods: ['GET'],
  route: 'session',
  authLevel: 'anonymous',
  handle: (req) => {
    const key = req.app.apiKey;
    const signedIn = key ? sessionValid(req.headers, key) : true;
    return Promise.resolve({ status: 200, body: { keyRequired: !!key, signedIn } });
  },
});

export const createSessionFn = httpEndpoint({
  name: 'createSession',
  methods: ['POST'],
  route: 'session',
  authLevel: 'anonymous',
  handle: async (req) => {
    const key = req.app.apiKey;
    if (!key)
      throw new HttpError(409, 'KeyNotRequired', 'no API key is configured: the API needs no session');
    const body = (await req.json()) as { key?: unknown } | undefined;
    const given = typeof body?.key === 'string' ? body.key : '';
    if (!sameSecret(given, key)) {
      req.context.warn('dashboard sign-in refused');
      throw new HttpError(401, 'Unauthorized', 'that is not the API key');
    }
    return {
      status: 204,
      headers: {
        'set-cookie': sessionCookie(issueSession(key, Date.now()), secure(req)),
        'cache-control': 'no-store',
      },
    };
  },
});

export const deleteSessionFn = httpEndpoint({
  name: 'deleteSession',
  methods: ['DELETE'],
  route: 'session',
  authLevel: 'anonymous',
  handle: (req) =>
    Promise.resolve({ status: 204, headers: { 'set-cookie': sessionCookie(undefined, secure(req)) } }),
});
