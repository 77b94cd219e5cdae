// Resource Graph error bodies: { error: { code, message, details[] } } as ARG returns them.
import { randomUUID } from 'node:crypto';
import type { KqlError } from './kqlError.js';
import { linePosition } from './kustoParser.js';

export interface ArgErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly [extra: string]: unknown;
}
export interface ArgErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: readonly ArgErrorDetail[];
  };
}

export const invalidQueryDetail: ArgErrorDetail = {
  code: 'InvalidQuery',
  message:
    'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
};

export function supportMessage(nowMs: number): string {
  return `Please provide below info when asking for support: timestamp = ${new Date(nowMs).toISOString()}, correlationId = ${randomUUID()}.`;
}

export function argError(code: string, nowMs: number, details?: readonly ArgErrorDetail[]): ArgErrorBody {
  return { error: { code, message: supportMessage(nowMs), ...(details === undefined ? {} : { details }) } };
}

/** A query that failed to parse or compile: BadRequest with InvalidQuery and the specific detail. */
export function queryError(error: KqlError, query: string, nowMs: number): ArgErrorBody {
  const where =
    error.start === undefined ? { line: -1, characterPositionInLine: -1 } : linePosition(query, error.start);
  const detail: ArgErrorDetail =
    error.kind === 'parser'
      ? { code: 'ParserFailure', message: 'ParserFailure', ...where, token: error.token ?? '<EOF>' }
      : {
          code: error.code,
          message: error.message,
          ...where,
          ...(error.token === undefined ? {} : { token: error.token }),
        };
  return argError('BadRequest', nowMs, [invalidQueryDetail, detail]);
}

/** A request body that does not match QueryRequest. */
export function requestError(message: string, nowMs: number): ArgErrorBody {
  return argError('BadRequest', nowMs, [{ code: 'InvalidRequestContent', message }]);
}

export function throttledError(nowMs: number): ArgErrorBody {
  return argError('RateLimiting', nowMs, [
    {
      code: 'RateLimiting',
      message:
        'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.',
    },
  ]);
}
