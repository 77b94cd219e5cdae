/**
 * Builds an HTTP registration around a small handler: authentication (FLEET_API_KEY locally), a bounded JSON
 * body, the error shape for every failure, and JSON responses. Handlers see parsed input and return
 * `{ status, body }`; they never build HTTP responses or catch errors themselves.
 */
import type { HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { ValidationError } from '../../shared/domain/errors.js';
import type { AppContext } from './appContext.js';
import { appContext } from './appContext.js';
import { HttpError, errorResponse } from './errorResponse.js';
import type { HttpRegistration } from './functionRegistration.js';
import { sameSecret } from './sameSecret.js';
import { sessionFromCookies, verifySession } from './session.js';

/** Request bodies above this size get 413. Policies at their validation caps stay well below it. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ApiRequest {
  /** The request URL as the host saw it (its scheme says whether a cookie may be `Secure`). */
  url: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: Headers;
  /** The parsed JSON body (400 when not JSON, 413 when too large); `undefined` when there is none. */
  json(): Promise<unknown>;
  app: AppContext;
  /** Who asked, for the audit history. */
  actor: string;
  context: InvocationContext;
}

export interface ApiResponse {
  status: number;
  /** JSON, or a string sent as is when `headers['content-type']` is given. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface EndpointOptions {
  name: string;
  methods: HttpMethod[];
  route: string;
  authLevel?: 'function' | 'anonymous';
  handle(req: ApiRequest): Promise<ApiResponse>;
}

export function httpEndpoint(o: EndpointOptions): HttpRegistration {
  const authLevel = o.authLevel ?? 'function';
  return {
    name: o.name,
    kind: 'http',
    methods: o.methods,
    route: o.route,
    authLevel,
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      try {
        const app = await appContext();
        if (authLevel !== 'anonymous' && app.apiKey) authorize(request, app.apiKey);
        // Also for routes that read no body (plan, commands): a declared size over the limit is a 413.
        if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) throw tooLarge();
        const res = await o.handle({
          url: request.url,
          params: request.params,
          query: request.query,
          headers: request.headers,
          json: () => readJson(request),
          app,
          actor: actorOf(request, app),
          context,
        });
        // A string body with its own content-type is sent as is (the dashboard's HTML, JS, CSS).
        if (typeof res.body === 'string' && res.headers?.['content-type'])
          return { status: res.status, headers: res.headers, body: res.body };
        const headers = {
          ...(res.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...res.headers,
        };
        return res.body === undefined
          ? { status: res.status, headers }
          : { status: res.status, headers, jsonBody: res.body };
      } catch (err) {
        return errorResponse(err, context);
      }
    },
  };
}

/**
 * Who asked, for the audit history: the principal App Service Authentication vouches for, or `api:key`.
 * A client can send `x-ms-client-principal-name` itself; only the platform's is believed (docs/security.md).
 */
function actorOf(request: HttpRequest, app: AppContext): string {
  const name = app.trustClientPrincipal ? request.headers.get('x-ms-client-principal-name')?.trim() : '';
  return `api:${name ? name.slice(0, 256) : 'key'}`;
}

/**
 * The key (x-functions-key header or code query parameter), compared in constant time over SHA-256
 * digests (sameSecret), or else a valid dashboard session cookie (session.ts).
 */
function authorize(request: HttpRequest, apiKey: string): void {
  const given = request.headers.get('x-functions-key') ?? request.query.get('code');
  if (given !== null ? sameSecret(given, apiKey) : sessionValid(request.headers, apiKey)) return;
  throw new HttpError(
    401,
    'Unauthorized',
    'a valid key is required in the x-functions-key header or the code query parameter',
  );
}

export function sessionValid(headers: { get(name: string): string | null }, apiKey: string): boolean {
  const token = sessionFromCookies(headers.get('cookie'));
  return token !== undefined && verifySession(token, apiKey, Date.now());
}

async function readJson(request: HttpRequest): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError(`the body is not valid JSON: ${(err as Error).message}`, [], 'InvalidJson');
  }
}

function tooLarge(): HttpError {
  return new HttpError(413, 'PayloadTooLarge', `the body is larger than ${MAX_BODY_BYTES} bytes`);
}
