/**
 * Maps the typed errors of shared/domain/errors.ts to the API's error shape, once, for every route:
 * `{ "error": { "code", "message", "details"? } }`. Never a stack trace; unexpected errors become a bare
 * 500 and are logged with the invocation.
 */
import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  TerminalError,
  TransientError,
  ValidationError,
  isStorageFailure,
} from '../../shared/domain/errors.js';

/** Validation codes that mean "malformed request" (400) rather than "valid JSON that breaks a rule" (422). */
const MALFORMED = new Set([
  'InvalidJson',
  'InvalidQueryParameter',
  'InvalidPathParameter',
  'InvalidHeader',
  // The stores' own checks of paging input (a token this API never issued is a malformed query).
  'InvalidContinuationToken',
  'InvalidTop',
]);

/** Validation codes that mean "outside what this deployment may act on" (403). */
const FORBIDDEN = new Set(['SubscriptionOutOfScope']);

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(
  code: string,
  message: string,
  details?: unknown,
): { error: Record<string, unknown> } {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function errorResponse(err: unknown, context?: InvocationContext): HttpResponseInit {
  const json = (status: number, code: string, message: string, details?: unknown, headers = {}) => ({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    jsonBody: errorBody(code, message, details),
  });
  if (err instanceof HttpError) return json(err.status, err.code, err.message, undefined, err.headers);
  if (isStorageFailure(err)) return storageFailure(err as Error, json, context);
  if (err instanceof ValidationError)
    return json(
      MALFORMED.has(err.code) ? 400 : FORBIDDEN.has(err.code) ? 403 : 422,
      err.code,
      err.message,
      err.details.length ? err.details : undefined,
    );
  if (err instanceof NotFoundError) return json(404, err.code, err.message);
  if (err instanceof ConflictError) return json(409, err.code, err.message);
  if (err instanceof ConcurrencyError) return json(412, 'PreconditionFailed', err.message);
  if (err instanceof TransientError)
    return json(err.code === 'TooManyPlans' ? 429 : 503, err.code, err.message, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))),
    });
  if (err instanceof TerminalError) return json(422, err.code, err.message);
  context?.error('unexpected error', err instanceof Error ? err.message : String(err));
  return json(
    500,
    'InternalError',
    'an unexpected error occurred; see the function logs for the invocation id',
  );
}

type Json = (
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
) => HttpResponseInit;

/**
 * A state-store failure that reached the API: the client gets a documented code in our words, the log gets
 * the service's own (host and port, table, `odata.error` with its request id). docs/security.md, item 9.
 */
function storageFailure(err: Error, json: Json, context?: InvocationContext): HttpResponseInit {
  const code = (err as { code?: string }).code ?? 'unknown';
  context?.warn('storage failure', code, err.message);
  if (err instanceof TransientError)
    return json(503, 'StorageUnavailable', 'the state store is unavailable; try again later', undefined, {
      'retry-after': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))),
    });
  if (err instanceof ConcurrencyError)
    return json(412, 'PreconditionFailed', 'changed by someone else meanwhile; read it again and retry');
  if (err instanceof ConflictError)
    return json(409, 'Conflict', 'a concurrent request changed it first; read it again and retry');
  return json(
    500,
    'StorageError',
    'the state store refused the request; see the function logs for the invocation id',
  );
}
