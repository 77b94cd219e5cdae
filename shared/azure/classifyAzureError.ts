/**
 * The one place where Azure SDK failures become domain errors (vendor/reference/ARCHITECTURE.md, convention 5).
 * 408/429/5xx and dropped connections → TransientError; 412 → ConcurrencyError; 404 → NotFoundError;
 * 409 → ConflictError (except a missing provider registration, which is terminal); other 4xx →
 * TerminalError with ARM's own code and message. Anything unrecognised (a bug) is returned unchanged.
 */
import {
  ConcurrencyError,
  ConflictError,
  FleetError,
  NotFoundError,
  TerminalError,
  TransientError,
} from '../domain/errors.js';
import { retryAfterFromHeaders, type HeaderSource } from './retryAfter.js';

/** Backoffs used when Azure does not say how long to wait. */
export const DEFAULT_THROTTLE_BACKOFF_MS = 15_000;
export const DEFAULT_UNAVAILABLE_BACKOFF_MS = 5_000;

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'REQUEST_SEND_ERROR',
]);
const NETWORK_MESSAGE = /socket hang up|ECONNRESET|ETIMEDOUT|network|timed? ?out/i;
/** 409 codes that no amount of waiting fixes: the subscription must be registered first. */
const TERMINAL_CONFLICT_CODES = new Set(['MissingSubscriptionRegistration', 'SubscriptionNotRegistered']);

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: unknown;
  response?: { status?: number; headers?: HeaderSource; bodyAsText?: string | null };
}

export function classifyAzureError(error: unknown, nowMs = Date.now()): Error {
  if (error instanceof FleetError) return error;
  if (typeof error !== 'object' || error === null) return new Error(String(error));
  const e = error as RestErrorLike;
  const status = e.statusCode ?? e.response?.status;
  const { code, message } = armError(e);
  const retryAfter = retryAfterFromHeaders(e.response?.headers, nowMs);
  if (status === undefined || status === 0) {
    if (isNetworkError(e)) {
      return new TransientError(
        `Azure could not be reached: ${e.message ?? 'network error'}`,
        DEFAULT_UNAVAILABLE_BACKOFF_MS,
        'ArmUnavailable',
      );
    }
    if (e.name === 'AuthenticationError' || e.name === 'CredentialUnavailableError')
      return new TerminalError('AuthenticationFailed', e.message ?? 'no token could be obtained');
    return error as Error;
  }
  if (status === 429)
    return new TransientError(message, retryAfter ?? DEFAULT_THROTTLE_BACKOFF_MS, 'ArmThrottled');
  if (status === 408 || status >= 500)
    return new TransientError(message, retryAfter ?? DEFAULT_UNAVAILABLE_BACKOFF_MS, 'ArmUnavailable');
  if (status === 412) return new ConcurrencyError(message);
  if (status === 404) return new NotFoundError(message, code ?? 'NotFound');
  if (status === 409) {
    if (code && TERMINAL_CONFLICT_CODES.has(code)) return new TerminalError(code, message);
    return new ConflictError(message, code ?? 'Conflict');
  }
  if (status >= 400) return new TerminalError(code ?? `Http${status}`, message);
  return error as Error;
}

/** ARM's `{ error: { code, message } }`, from the deserialised details, the RestError or the raw body. */
function armError(e: RestErrorLike): { code?: string; message: string } {
  const fromBody = parseBody(e.response?.bodyAsText) ?? parseDetails(e.details);
  const code = fromBody?.code ?? (e.code && !NETWORK_CODES.has(e.code) ? e.code : undefined);
  const inner = fromBody?.details?.map((d) => d.code).filter((c): c is string => typeof c === 'string');
  const base = fromBody?.message ?? e.message ?? 'Azure request failed';
  const message = inner && inner.length > 0 ? `${base} (${inner.join(', ')})` : base;
  return code === undefined ? { message } : { code, message };
}

interface ArmErrorBody {
  code?: string;
  message?: string;
  details?: { code?: string }[];
}

function parseBody(text: string | null | undefined): ArmErrorBody | undefined {
  if (!text) return undefined;
  try {
    return parseDetails(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function parseDetails(value: unknown): ArmErrorBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const inner = (value as { error?: unknown }).error;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const { code, message, details } = inner as Record<string, unknown>;
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
    ...(Array.isArray(details) ? { details: details as { code?: string }[] } : {}),
  };
}

function isNetworkError(e: RestErrorLike): boolean {
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.name === 'AbortError') return false;
  return e.name === 'RestError' || NETWORK_MESSAGE.test(e.message ?? '');
}
