// The scalar functions the emulator evaluates. Anything else is answered with UnsupportedFunction.
import type { KType } from './kqlValues.js';
import { isEmptyValue, parseJson, toBool, toKString, toNumber } from './kqlValues.js';

export interface ScalarFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Result type, given the argument types. */
  readonly type: (argTypes: readonly KType[]) => KType;
  readonly fn: (args: readonly unknown[]) => unknown;
}

const always = (t: KType) => (): KType => t;
const firstNonDynamic = (types: readonly KType[]): KType => types.find((t) => t !== 'dynamic') ?? 'dynamic';

function toInteger(value: unknown): number | null {
  const n = toNumber(value);
  return n === null ? null : Math.trunc(n);
}

function split(args: readonly unknown[]): unknown {
  const parts = toKString(args[0]).split(toKString(args[1]));
  if (args.length < 3) return parts;
  const i = toInteger(args[2]);
  return i === null ? null : i >= 0 && i < parts.length ? [parts[i]] : [];
}

function substring(args: readonly unknown[]): string {
  const s = toKString(args[0]);
  const start = Math.max(0, toInteger(args[1]) ?? 0);
  const length = args.length > 2 ? (toInteger(args[2]) ?? 0) : s.length;
  return s.substring(start, start + Math.max(0, length));
}

function indexOf(args: readonly unknown[]): number {
  const start = args.length > 2 ? (toInteger(args[2]) ?? 0) : 0;
  return toKString(args[0]).indexOf(toKString(args[1]), start);
}

function caseOf(args: readonly unknown[]): unknown {
  for (let i = 0; i + 1 < args.length; i += 2) if (toBool(args[i])) return args[i + 1];
  return args[args.length - 1];
}

const regexCache = new Map<string, RegExp>();
export function kqlRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    re = new RegExp(pattern);
    regexCache.set(pattern, re);
  }
  return re;
}

function extract(args: readonly unknown[]): string {
  const match = kqlRegex(toKString(args[0])).exec(toKString(args[2]));
  const group = toInteger(args[1]) ?? 0;
  return match?.[group] ?? '';
}

export const scalarFunctions: ReadonlyMap<string, ScalarFunction> = new Map<string, ScalarFunction>([
  ['tolower', { minArgs: 1, maxArgs: 1, type: always('string'), fn: (a) => toKString(a[0]).toLowerCase() }],
  ['toupper', { minArgs: 1, maxArgs: 1, type: always('string'), fn: (a) => toKString(a[0]).toUpperCase() }],
  ['tostring', { minArgs: 1, maxArgs: 1, type: always('string'), fn: (a) => toKString(a[0]) }],
  ['strcat', { minArgs: 1, maxArgs: 64, type: always('string'), fn: (a) => a.map(toKString).join('') }],
  ['strlen', { minArgs: 1, maxArgs: 1, type: always('long'), fn: (a) => toKString(a[0]).length }],
  [
    'iff',
    {
      minArgs: 3,
      maxArgs: 3,
      type: (t) => firstNonDynamic(t.slice(1)),
      fn: (a) => (toBool(a[0]) ? a[1] : a[2]),
    },
  ],
  [
    'iif',
    {
      minArgs: 3,
      maxArgs: 3,
      type: (t) => firstNonDynamic(t.slice(1)),
      fn: (a) => (toBool(a[0]) ? a[1] : a[2]),
    },
  ],
  [
    'case',
    { minArgs: 3, maxArgs: 64, type: (t) => firstNonDynamic(t.filter((_, i) => i % 2 === 1)), fn: caseOf },
  ],
  [
    'coalesce',
    {
      minArgs: 2,
      maxArgs: 64,
      type: firstNonDynamic,
      fn: (a) => a.find((v) => !isEmptyValue(v)) ?? a[a.length - 1] ?? null,
    },
  ],
  ['parse_json', { minArgs: 1, maxArgs: 1, type: always('dynamic'), fn: (a) => parseJson(a[0]) }],
  ['todynamic', { minArgs: 1, maxArgs: 1, type: always('dynamic'), fn: (a) => parseJson(a[0]) }],
  ['isempty', { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => isEmptyValue(a[0]) }],
  ['isnotempty', { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => !isEmptyValue(a[0]) }],
  [
    'isnull',
    { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => a[0] === null || a[0] === undefined },
  ],
  [
    'isnotnull',
    { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => a[0] !== null && a[0] !== undefined },
  ],
  ['not', { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => !toBool(a[0]) }],
  ['split', { minArgs: 2, maxArgs: 3, type: always('dynamic'), fn: split }],
  ['substring', { minArgs: 2, maxArgs: 3, type: always('string'), fn: substring }],
  ['indexof', { minArgs: 2, maxArgs: 3, type: always('long'), fn: indexOf }],
  ['extract', { minArgs: 3, maxArgs: 3, type: always('string'), fn: extract }],
  [
    'replace_string',
    {
      minArgs: 3,
      maxArgs: 3,
      type: always('string'),
      fn: (a) => toKString(a[0]).split(toKString(a[1])).join(toKString(a[2])),
    },
  ],
  ['toint', { minArgs: 1, maxArgs: 1, type: always('long'), fn: (a) => toInteger(a[0]) }],
  ['tolong', { minArgs: 1, maxArgs: 1, type: always('long'), fn: (a) => toInteger(a[0]) }],
  ['toreal', { minArgs: 1, maxArgs: 1, type: always('real'), fn: (a) => toNumber(a[0]) }],
  ['todouble', { minArgs: 1, maxArgs: 1, type: always('real'), fn: (a) => toNumber(a[0]) }],
  [
    'tobool',
    { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => (isEmptyValue(a[0]) ? null : toBool(a[0])) },
  ],
  [
    'toboolean',
    { minArgs: 1, maxArgs: 1, type: always('bool'), fn: (a) => (isEmptyValue(a[0]) ? null : toBool(a[0])) },
  ],
  [
    'array_length',
    { minArgs: 1, maxArgs: 1, type: always('long'), fn: (a) => (Array.isArray(a[0]) ? a[0].length : null) },
  ],
]);
