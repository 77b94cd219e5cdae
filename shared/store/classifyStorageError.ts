/**
 * The one place where Table and Queue Storage failures become the fleet's typed errors:
 * 412 -> ConcurrencyError, 404 -> NotFoundError, 409 -> ConflictError, 408/429/5xx and dropped connections ->
 * TransientError, any other status (400 bad key, entity too large, 403) -> TerminalError with the service code.
 * The service code sits in `details.odataError.code` for table calls, in `code` for transactions and queues.
 */
import {
  ConcurrencyError,
  ConflictError,
  FleetError,
  NotFoundError,
  TerminalError,
  TransientError,
  markStorageFailure,
} from '../domain/errors.js';

const DEFAULT_RETRY_MS = 1000;

interface StorageErrorLike {
  name?: string;
  message?: string;
  statusCode?: number;
  code?: string;
  details?: { odataError?: { code?: string }; errorCode?: string };
  response?: { headers?: { get(name: string): string | undefined } };
}

export function classifyStorageError(error: unknown, what: string): Error {
  if (error instanceof FleetError) return error;
  if (!isStorageError(error)) return error instanceof Error ? error : new Error(String(error));
  return markStorageFailure(classify(error, what));
}

function classify(error: StorageErrorLike, what: string): FleetError {
  const status = error.statusCode;
  const serviceCode = error.details?.odataError?.code ?? error.details?.errorCode ?? error.code;
  const message = `${what}: ${firstLine(error.message)}`;
  if (status === undefined)
    return new TransientError(message, DEFAULT_RETRY_MS, serviceCode ?? 'StorageUnreachable');
  if (status === 412) return new ConcurrencyError(`${what}: changed by someone else (${serviceCode ?? 412})`);
  if (status === 404) return new NotFoundError(message, serviceCode ?? 'ResourceNotFound');
  if (status === 409) return new ConflictError(message, serviceCode ?? 'Conflict');
  if (status === 408 || status === 429 || status >= 500)
    return new TransientError(
      message,
      retryAfterMs(error) ?? DEFAULT_RETRY_MS,
      serviceCode ?? `Storage${status}`,
    );
  return new TerminalError(serviceCode ?? `Storage${status}`, message);
}

/** Runs one storage call and rethrows its failure classified. */
export async function storageCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw classifyStorageError(e, what);
  }
}

function isStorageError(e: unknown): e is StorageErrorLike {
  return e instanceof Error && (e.name === 'RestError' || 'statusCode' in e);
}

function retryAfterMs(e: StorageErrorLike): number | undefined {
  const header = e.response?.headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function firstLine(message: string | undefined): string {
  return (message ?? 'storage request failed').split('\n')[0] ?? '';
}
