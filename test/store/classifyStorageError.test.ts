import { RestError } from '@azure/data-tables';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  TerminalError,
  TransientError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { classifyStorageError } from '../../shared/store/classifyStorageError.js';

const rest = (statusCode: number | undefined, code?: string, headers: Record<string, string> = {}) => {
  const request = createPipelineRequest({ url: 'http://127.0.0.1/x' });
  return new RestError('boom\nsecond line', {
    statusCode,
    ...(code ? { code } : {}),
    request,
    ...(statusCode ? { response: { status: statusCode, headers: createHttpHeaders(headers), request } } : {}),
  });
};

describe('classifyStorageError', () => {
  it('maps statuses to the typed errors', () => {
    const stale = rest(412);
    (stale as { details?: unknown }).details = { odataError: { code: 'UpdateConditionNotSatisfied' } };
    expect(classifyStorageError(stale, 'w')).toBeInstanceOf(ConcurrencyError);
    expect(classifyStorageError(rest(404, 'ResourceNotFound'), 'w')).toMatchObject({
      code: 'ResourceNotFound',
      constructor: NotFoundError,
    });
    expect(classifyStorageError(rest(409, 'EntityAlreadyExists'), 'w')).toBeInstanceOf(ConflictError);
    expect(classifyStorageError(rest(400, 'InvalidInput'), 'w')).toMatchObject({
      code: 'InvalidInput',
      constructor: TerminalError,
    });
  });

  it('transient: 429 with Retry-After, 503, and no response at all', () => {
    expect(classifyStorageError(rest(429, undefined, { 'retry-after': '7' }), 'w')).toMatchObject({
      retryAfterMs: 7000,
      constructor: TransientError,
    });
    expect(classifyStorageError(rest(503, 'ServerBusy'), 'w')).toBeInstanceOf(TransientError);
    expect(classifyStorageError(rest(undefined, 'ECONNREFUSED'), 'w')).toMatchObject({
      code: 'ECONNREFUSED',
      constructor: TransientError,
    });
  });

  it('keeps fleet errors and bugs as they are', () => {
    const v = new ValidationError('x');
    expect(classifyStorageError(v, 'w')).toBe(v);
    const bug = new TypeError('bug');
    expect(classifyStorageError(bug, 'w')).toBe(bug);
  });
});
