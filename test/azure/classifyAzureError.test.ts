// Table-driven: every Azure failure shape becomes the right domain error, with ARM's code and message.
import { RestError, createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { classifyAzureError } from '../../shared/azure/classifyAzureError.js';
import { parseRetryAfterMs, parseTimeSpanMs } from '../../shared/azure/retryAfter.js';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  TerminalError,
  TransientError,
  ValidationError,
} from '../../shared/domain/errors.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function rest(
  status: number,
  error?: { code: string; message: string; details?: unknown[] },
  headers: Record<string, string> = {},
): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/x' });
  const bodyAsText = error ? JSON.stringify({ error }) : '';
  const e = new RestError(error?.message ?? `status ${status}`, {
    statusCode: status,
    request,
    response: { status, headers: createHttpHeaders(headers), request, bodyAsText },
  });
  if (error) e.code = error.code;
  return e;
}

function network(code: string, message: string): RestError {
  return new RestError(message, { code, request: createPipelineRequest({ url: 'https://x' }) });
}

const cases: [string, unknown, new (...args: never[]) => Error, Record<string, unknown>][] = [
  [
    '429 with Retry-After',
    rest(
      429,
      { code: 'SubscriptionRequestsThrottled', message: 'try again after 6 seconds' },
      { 'retry-after': '6' },
    ),
    TransientError,
    { code: 'ArmThrottled', retryAfterMs: 6000 },
  ],
  [
    '429 with an HTTP-date Retry-After',
    rest(429, undefined, { 'retry-after': new Date(NOW + 4000).toUTCString() }),
    TransientError,
    { code: 'ArmThrottled', retryAfterMs: 4000 },
  ],
  [
    '429 from ARG: quota headers only',
    rest(
      429,
      { code: 'RateLimiting', message: 'quota' },
      { 'x-ms-user-quota-remaining': '0', 'x-ms-user-quota-resets-after': '00:00:03' },
    ),
    TransientError,
    { code: 'ArmThrottled', retryAfterMs: 3000 },
  ],
  ['429 without any hint', rest(429), TransientError, { code: 'ArmThrottled', retryAfterMs: 15_000 }],
  ['408', rest(408), TransientError, { code: 'ArmUnavailable', retryAfterMs: 5000 }],
  [
    '500',
    rest(500, { code: 'InternalServerError', message: 'boom' }),
    TransientError,
    { code: 'ArmUnavailable', message: 'boom' },
  ],
  [
    '503 with retry-after-ms',
    rest(503, undefined, { 'retry-after-ms': '250' }),
    TransientError,
    { code: 'ArmUnavailable', retryAfterMs: 250 },
  ],
  ['ECONNRESET', network('ECONNRESET', 'read ECONNRESET'), TransientError, { code: 'ArmUnavailable' }],
  ['ETIMEDOUT', network('ETIMEDOUT', 'connect ETIMEDOUT'), TransientError, { code: 'ArmUnavailable' }],
  [
    'socket hang up',
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    TransientError,
    { code: 'ArmUnavailable' },
  ],
  [
    'REQUEST_SEND_ERROR',
    network('REQUEST_SEND_ERROR', 'socket hang up'),
    TransientError,
    { code: 'ArmUnavailable' },
  ],
  [
    '412',
    rest(412, { code: 'UpdateConditionNotSatisfied', message: 'etag' }),
    ConcurrencyError,
    { code: 'ConcurrencyConflict' },
  ],
  [
    '404 resource',
    rest(404, { code: 'ResourceNotFound', message: "The Resource 'x' was not found." }),
    NotFoundError,
    { code: 'ResourceNotFound', message: "The Resource 'x' was not found." },
  ],
  ['404 without body', rest(404), NotFoundError, { code: 'NotFound' }],
  [
    '409 in progress',
    rest(409, { code: 'UpdateFailed', message: 'conflicting operation in progress' }),
    ConflictError,
    { code: 'UpdateFailed' },
  ],
  [
    '409 provider not registered',
    rest(409, { code: 'MissingSubscriptionRegistration', message: 'not registered' }),
    TerminalError,
    { code: 'MissingSubscriptionRegistration' },
  ],
  [
    '400 bad request',
    rest(400, { code: 'ExtensionTypeInstanceAlreadyExists', message: 'only one' }),
    TerminalError,
    { code: 'ExtensionTypeInstanceAlreadyExists', message: 'only one' },
  ],
  [
    '400 provider not registered',
    rest(400, { code: 'ResourceProviderNotRegistered', message: 'register it' }),
    TerminalError,
    { code: 'ResourceProviderNotRegistered' },
  ],
  [
    '400 ARG query error with details',
    rest(400, {
      code: 'BadRequest',
      message: 'Please provide below info',
      details: [{ code: 'InvalidQuery' }, { code: 'ParserFailure' }],
    }),
    TerminalError,
    { code: 'BadRequest', message: 'Please provide below info (InvalidQuery, ParserFailure)' },
  ],
  [
    '401',
    rest(401, { code: 'AuthenticationFailed', message: 'no header' }),
    TerminalError,
    { code: 'AuthenticationFailed' },
  ],
  [
    '403 policy',
    rest(403, { code: 'RequestDisallowedByPolicy', message: "Resource 'osm' was disallowed by policy." }),
    TerminalError,
    { code: 'RequestDisallowedByPolicy' },
  ],
  [
    '403 authorization',
    rest(403, { code: 'AuthorizationFailed', message: 'no access' }),
    TerminalError,
    { code: 'AuthorizationFailed', message: 'no access' },
  ],
  ['403 without body', rest(403), TerminalError, { code: 'Http403' }],
  [
    'identity failure',
    Object.assign(new Error('no managed identity endpoint'), { name: 'CredentialUnavailableError' }),
    TerminalError,
    { code: 'AuthenticationFailed' },
  ],
];

describe('classifyAzureError', () => {
  it.each(cases)('%s', (_name, error, type, fields) => {
    const classified = classifyAzureError(error, NOW);
    expect(classified).toBeInstanceOf(type);
    expect(classified).toMatchObject(fields);
  });

  it('reads the code from the deserialised details when there is no body text', () => {
    const e = rest(404);
    e.details = { error: { code: 'ExtensionNotFound', message: 'gone' } };
    expect(classifyAzureError(e)).toMatchObject({ code: 'ExtensionNotFound', message: 'gone' });
  });

  it('leaves domain errors and bugs alone', () => {
    const domain = new ValidationError('bad');
    expect(classifyAzureError(domain)).toBe(domain);
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    expect(classifyAzureError(bug)).toBe(bug);
  });
});

describe('retry-after parsing', () => {
  it.each([
    ['00:00:05', 5000],
    ['01:02:03', 3_723_000],
    ['1.00:00:01', 86_401_000],
    ['00:00:00.5', 500],
    ['5', undefined],
    ['', undefined],
  ])('time span %s', (text, ms) => expect(parseTimeSpanMs(text)).toBe(ms));
  it.each([
    ['7', 7000],
    ['0.5', 500],
    ['soon', undefined],
  ])('Retry-After %s', (text, ms) => expect(parseRetryAfterMs(text, NOW)).toBe(ms));
});
