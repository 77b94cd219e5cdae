/** Assertions on the API's error shape (API.md, Common rules), shared by the API tests. */
import { expect } from 'vitest';
import type { ApiResult } from './fleetStack.js';

/** `r` is an error answer with `status`, the error shape, `code` and (when given) a detail naming `field`. */
export function expectError(r: ApiResult, status: number, code?: string, field?: string): void {
  expect({ status: r.status, body: r.body }).toMatchObject({ status });
  expect(r.headers.get('content-type') ?? '').toMatch(/application\/json/);
  const error = (r.body as { error?: Record<string, unknown> } | undefined)?.error;
  expect(error, JSON.stringify(r.body)).toBeDefined();
  expect(error?.code).toMatch(/^[A-Z][A-Za-z0-9]+$/);
  expect(typeof error?.message).toBe('string');
  expect(String(error?.message)).not.toMatch(/\n\s+at /); // never a stack trace
  expect(Object.keys(error ?? {}).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
  if (code !== undefined) expect(error?.code).toBe(code);
  if (field !== undefined) {
    const details = (error?.details ?? []) as { path?: string }[];
    const named =
      details.some(
        (d) => d.path === field || d.path?.startsWith(`${field}.`) || d.path?.startsWith(`${field}[`),
      ) || String(error?.message).startsWith(field); // the message names the field first
    expect(named, `error should name ${field}: ${JSON.stringify(error)}`).toBe(true);
  }
}

/** Like expectError, but the field must be named in `details` (422 validation answers). */
export function expectInvalid(r: ApiResult, field: string, status = 422, code?: string): void {
  expectError(r, status, code);
  const details = ((r.body as { error: { details?: { path: string }[] } }).error.details ?? []).map(
    (d) => d.path,
  );
  expect(details, JSON.stringify(r.body)).toContain(field);
}

/** A valid policy body (the smallest one), with overrides. */
export function policyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    osm: { version: '1.2.6' },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }] },
    ...overrides,
  };
}
