/**
 * Structured values are stored as JSON text. A string property holds at most 64 KiB (32K UTF-16 code
 * units), so longer JSON is split over numbered properties `<name>0`, `<name>1`, ... with the count in
 * `<name>Chunks`. Readers only trust the count, so a Merge that leaves stale higher chunks behind is harmless.
 */
import { TerminalError, ValidationError } from '../domain/errors.js';

/** Code units per property: below 32,768 with room to spare. */
export const CHUNK_CHARS = 30_000;
/** An entity holds at most 1 MiB and strings are stored as UTF-16: keep one value under ~940 KiB. */
export const MAX_JSON_CHARS = 480_000;

export function jsonProperties(name: string, value: unknown): Record<string, string | number> {
  const json = JSON.stringify(value);
  if (json.length > MAX_JSON_CHARS)
    throw new ValidationError(
      `${name} is ${json.length} characters as JSON; a stored row holds at most ${MAX_JSON_CHARS}`,
      [],
      'EntityTooLarge',
    );
  const props: Record<string, string | number> = {};
  let count = 0;
  for (let start = 0; start < json.length; count++) {
    let end = Math.min(json.length, start + CHUNK_CHARS);
    // Never cut a surrogate pair in two: each property must be well-formed UTF-16 on its own.
    const last = json.charCodeAt(end - 1);
    if (end < json.length && last >= 0xd800 && last <= 0xdbff) end--;
    props[`${name}${count}`] = json.slice(start, end);
    start = end;
  }
  props[`${name}Chunks`] = count;
  return props;
}

export function readJsonProperties<T>(entity: Readonly<Record<string, unknown>>, name: string): T {
  const count = entity[`${name}Chunks`];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1)
    throw new TerminalError('CorruptEntity', `stored entity has no valid ${name}Chunks`);
  let json = '';
  for (let i = 0; i < count; i++) {
    const part = entity[`${name}${i}`];
    if (typeof part !== 'string')
      throw new TerminalError('CorruptEntity', `stored entity misses ${name}${i} of ${count}`);
    json += part;
  }
  return JSON.parse(json) as T;
}
