/**
 * Typed errors of the fleet manager. Adapters classify every SDK failure into one of these, once, at the
 * boundary; services and handlers only ever see these types.
 */
export abstract class FleetError extends Error {
  /** A PascalCase code, e.g. `InvalidPolicy`, `ArmThrottled`, or the ARM error code of a failed operation. */
  abstract readonly code: string;
}

/**
 * Failures of the state store (Table and Queue Storage), as the storage adapter classified them. Their
 * messages carry service details (hosts and ports, table names, `odata.error` bodies with request ids) that
 * belong in the log only; the HTTP API answers them in its own words (functions/lib/errorResponse.ts).
 */
const storageFailures = new WeakSet<FleetError>();

export function markStorageFailure<E extends FleetError>(err: E): E {
  storageFailures.add(err);
  return err;
}

export function isStorageFailure(err: unknown): boolean {
  return err instanceof FleetError && storageFailures.has(err);
}

/** Input that breaks a rule: a malformed policy, a bad query parameter. HTTP 400/422. */
export class ValidationError extends FleetError {
  readonly code: string;
  constructor(
    message: string,
    readonly details: readonly { path: string; message: string }[] = [],
    code = 'InvalidInput',
  ) {
    super(message);
    this.name = 'ValidationError';
    this.code = code;
  }
}

/** 408/429/5xx and dropped connections: worth trying again after `retryAfterMs`. */
export class TransientError extends FleetError {
  readonly code: string;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    code = 'Transient',
  ) {
    super(message);
    this.name = 'TransientError';
    this.code = code;
  }
}

/** An ETag did not match (HTTP 412): someone else changed the row; re-read and decide again. */
export class ConcurrencyError extends FleetError {
  readonly code = 'ConcurrencyConflict';
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrencyError';
  }
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends FleetError {
  readonly code: string;
  constructor(message: string, code = 'NotFound') {
    super(message);
    this.name = 'NotFoundError';
    this.code = code;
  }
}

/** The request conflicts with the current state (HTTP 409), e.g. a rollout of that policy is running. */
export class ConflictError extends FleetError {
  readonly code: string;
  constructor(message: string, code = 'Conflict') {
    super(message);
    this.name = 'ConflictError';
    this.code = code;
  }
}

/** Retrying will not help: 400/403 from ARM, a failed operation. Carries ARM's own code and message. */
export class TerminalError extends FleetError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TerminalError';
    this.code = code;
  }
}
