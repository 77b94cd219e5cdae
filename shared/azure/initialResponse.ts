/**
 * Starting a long-running operation without waiting for it. The SDK's `begin*` methods send the initial
 * request and then, before returning the poller, poll once (`await poller.poll()` after core-lro's
 * createHttpPoller). osm-fleet records the operation and checks it later from a queue message, so that
 * poll is an unwanted request: we capture the initial response in `onResponse` and stop the SDK there by
 * throwing a private sentinel, so exactly one request (plus the pipeline's own 429/5xx retries) is sent.
 */
import type { FullOperationResponse } from '@azure/core-client';

export interface InitialResponse {
  status: number;
  /** The operation id from `Azure-AsyncOperation` (or `Operation-Location`); undefined when synchronous. */
  operationId?: string;
  /** The deserialised body (the SDK's model), when there is one. */
  body: unknown;
}

const STOP = Symbol('initial response captured');

/**
 * Runs a `begin*` call with the options `start` receives and returns its initial response. Errors from the
 * request itself (RestError) are rethrown unchanged for the caller to classify.
 */
export async function captureInitialResponse(
  start: (options: { onResponse: (raw: FullOperationResponse, flat: unknown) => void }) => Promise<unknown>,
): Promise<InitialResponse> {
  let captured: InitialResponse | undefined;
  const onResponse = (raw: FullOperationResponse, flat: unknown): void => {
    if (raw.status >= 300) return; // an error response: the SDK throws its RestError
    captured = { status: raw.status, body: flat, ...operationIdOf(raw) };
    throw STOP;
  };
  try {
    await start({ onResponse });
  } catch (error) {
    if (error !== STOP) throw error;
  }
  if (!captured) throw new Error('the SDK returned without an initial response');
  return captured;
}

function operationIdOf(raw: FullOperationResponse): { operationId?: string } {
  const url = raw.headers.get('azure-asyncoperation') ?? raw.headers.get('operation-location');
  if (!url) return {};
  const path = url.split('?')[0] ?? '';
  const m = /\/operations\/([^/]+)\/?$/i.exec(path);
  return m?.[1] ? { operationId: decodeURIComponent(m[1]) } : {};
}
