/**
 * fast-check arbitraries for hostile HTTP requests: path params (plausible, unicode, `..`, percent junk,
 * very long), query strings, lying headers, and bodies (a valid body with one node mutated or a
 * prototype-pollution key added, or raw junk: random JSON, garbage text, nesting 10,000 deep).
 */
import fc from 'fast-check';

export const DEPTH = 10_000;
const DEEP_ARRAY = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const DEEP_OBJECT = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
/** Stands for a deeply nested value inside a body; replaced in the JSON text (JSON.stringify would recurse). */
const DEEP_MARK = '\u0001DEEP\u0001';
const DEEP_MARK_JSON = JSON.stringify(DEEP_MARK);

const controlChars = fc.string({
  unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 8,
});

/** A value that does not belong where it is put. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  controlChars,
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\u202e', "' or 1==1 //", '"; drop', '../../x'),
  fc.constant(DEEP_MARK),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths (as key lists) of every node below the root. */
function nodePaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...nodePaths(v, [...prefix, k])]);
}

function objectPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [prefix];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return [...here, ...entries.flatMap(([k, v]) => objectPaths(v, [...prefix, k]))];
}

function setAt(root: Json, path: (string | number)[], value: unknown, define = false): Json {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (const k of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[k];
  const last = path[path.length - 1] ?? '';
  // An own property even for `__proto__` (what JSON.parse of hostile text produces).
  if (define)
    Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  else (node as Record<string | number, unknown>)[last] = value;
  return copy;
}

function toText(body: unknown): string {
  return JSON.stringify(body).split(DEEP_MARK_JSON).join(DEEP_ARRAY);
}

/** Body text: the base mutated at one node, a prototype key added, or raw junk. */
export function hostileBody(base: Json | undefined): fc.Arbitrary<string | undefined> {
  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', ' ', '{', '[1,2', 'nul', '1e999', '"\u0000"', DEEP_ARRAY, DEEP_OBJECT),
    fc.constant(undefined),
  );
  if (base === undefined || base === null || typeof base !== 'object') return junk;
  const nodes = nodePaths(base);
  const objects = objectPaths(base);
  const mutated = fc
    .tuple(fc.constantFrom(...nodes), hostileValue)
    .map(([path, value]) => toText(setAt(base, path, value)));
  const polluted = fc
    .tuple(
      fc.constantFrom(...objects),
      fc.constantFrom('__proto__', 'constructor', 'prototype'),
      hostileValue,
    )
    .map(([path, key, value]) => toText(setAt(base, [...path, key], value, true)));
  const wholeSwap = fc.constantFrom(toText([base]), toText(DEEP_MARK), JSON.stringify(base).slice(0, -1));
  return fc.oneof(
    { arbitrary: mutated, weight: 5 },
    { arbitrary: polluted, weight: 2 },
    { arbitrary: wholeSwap, weight: 1 },
    { arbitrary: junk, weight: 2 },
    { arbitrary: fc.constant(JSON.stringify(base)), weight: 1 },
  );
}

/** A path segment, already encoded for the request line. */
export function hostileSegment(plausible: readonly string[]): fc.Arbitrary<string> {
  const enc = (s: string) => encodeURIComponent(s);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...plausible).map(enc), weight: 6 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(enc), weight: 2 },
    { arbitrary: controlChars.map(enc), weight: 1 },
    { arbitrary: fc.integer({ min: 300, max: 6_000 }).map((n) => 'a'.repeat(n)), weight: 1 },
    {
      // Raw, as a client could send it: dot segments and percent-encoding that decodes to nothing valid.
      arbitrary: fc.constantFrom('..', '.', '%', '%zz', '%c3%28', '%00', '%2e%2e', '%2F..%2F', '%ff%fe', '~'),
      weight: 2,
    },
  );
}

const QUERY_KEYS = ['top', 'continuationToken', 'state', 'policy', 'osmVersion', 'code', 'all'];

export const hostileQuery: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })),
      fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.constantFrom('-1', '0', '1001', '1e3', 'Failed', "failed' or 1 eq 1", 'none', ''),
        fc.integer({ min: 1_000, max: 8_000 }).map((n) => 'z'.repeat(n)),
      ),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => {
    const q = new URLSearchParams(pairs).toString();
    return q ? `?${q}` : '';
  });

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 300,
});

/** Headers that lie or carry junk; `lieBy` shortens the declared content-length by that many bytes. */
export const hostileHeaders: fc.Arbitrary<{ headers: Record<string, string>; lieBy: number }> = fc.record({
  headers: fc.record(
    {
      'content-type': fc.oneof(
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'application/xml',
        ),
        printable,
      ),
      'if-match': fc.oneof(fc.constantFrom('*', 'W/"x"', '"', ''), printable),
      accept: printable,
      'x-ms-client-principal-name': printable,
    },
    { requiredKeys: [] },
  ),
  lieBy: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, fc.integer({ min: 1, max: 50 })),
});
