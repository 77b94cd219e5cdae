/**
 * Reading how long Azure asks us to wait: `Retry-After` (seconds or an HTTP date), `retry-after-ms`,
 * `x-ms-retry-after-ms`, and Resource Graph's `x-ms-user-quota-resets-after` (`hh:mm:ss`).
 */

/** Anything that can hand out a header by name (core-rest-pipeline's HttpHeaders, a Map, a plain getter). */
export interface HeaderSource {
  get(name: string): string | undefined | null;
}

/** `hh:mm:ss` (optionally `d.hh:mm:ss`, fractional seconds) to milliseconds; undefined when malformed. */
export function parseTimeSpanMs(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const m = /^\s*(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*$/.exec(value);
  if (!m) return undefined;
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = m;
  return Math.round(
    (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000,
  );
}

/** `Retry-After`: delta-seconds or an HTTP date (relative to `nowMs`). */
export function parseRetryAfterMs(value: string | undefined | null, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The wait a response asks for, from whichever header is present; undefined when none is. */
export function retryAfterFromHeaders(
  headers: HeaderSource | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = headers.get(name);
    if (v && /^\d+$/.test(v.trim())) return Number(v.trim());
  }
  const retryAfter = parseRetryAfterMs(headers.get('retry-after'), nowMs);
  if (retryAfter !== undefined) return retryAfter;
  const remaining = headers.get('x-ms-user-quota-remaining');
  if (remaining !== null && remaining !== undefined && Number(remaining) <= 0)
    return parseTimeSpanMs(headers.get('x-ms-user-quota-resets-after'));
  return undefined;
}
