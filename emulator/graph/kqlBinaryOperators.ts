// Binary and list operators of KQL (comparison, string, logical, arithmetic, in/between), by operator text.
import type { Row } from './kqlValues.js';
import { kCompare, kEquals, toBool, toKString, toNumber } from './kqlValues.js';
import { unsupported } from './kqlError.js';
import { kqlRegex } from './kqlFunctions.js';

type Fn = (row: Row) => unknown;
type Pred = (a: unknown, b: unknown) => boolean;

const lower = (v: unknown): string => toKString(v).toLowerCase();

const isWord = (c: number): boolean =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;

/** `has`: the needle occurs as a whole term (bounded by non-alphanumeric characters). */
function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
    const before = i === 0 || !isWord(haystack.charCodeAt(i - 1)) || !isWord(needle.charCodeAt(0));
    const end = i + needle.length;
    const after =
      end >= haystack.length ||
      !isWord(haystack.charCodeAt(end)) ||
      !isWord(needle.charCodeAt(needle.length - 1));
    if (before && after) return true;
  }
  return false;
}

const stringPreds: Record<string, Pred> = {
  '=~': (a, b) => a !== null && b !== null && lower(a) === lower(b),
  contains: (a, b) => lower(a).includes(lower(b)),
  contains_cs: (a, b) => toKString(a).includes(toKString(b)),
  has: (a, b) => hasTerm(lower(a), lower(b)),
  has_cs: (a, b) => hasTerm(toKString(a), toKString(b)),
  startswith: (a, b) => lower(a).startsWith(lower(b)),
  startswith_cs: (a, b) => toKString(a).startsWith(toKString(b)),
  endswith: (a, b) => lower(a).endsWith(lower(b)),
  endswith_cs: (a, b) => toKString(a).endsWith(toKString(b)),
  'matches regex': (a, b) => kqlRegex(toKString(b)).test(toKString(a)),
};

/** String equality where a missing value counts as '' (Kusto strings are never null). */
function stringEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && (b === null || b === undefined)) return a === '';
  if (typeof b === 'string' && (a === null || a === undefined)) return b === '';
  return kEquals(a, b);
}

const comparisons: Record<string, Pred> = {
  '==': stringEquals,
  '!=': (a, b) =>
    !stringEquals(a, b) && !((a === null || a === undefined) && (b === null || b === undefined)),
  '<': (a, b) => a !== null && b !== null && kCompare(a, b) < 0,
  '>': (a, b) => a !== null && b !== null && kCompare(a, b) > 0,
  '<=': (a, b) => a !== null && b !== null && kCompare(a, b) <= 0,
  '>=': (a, b) => a !== null && b !== null && kCompare(a, b) >= 0,
};

function arithmetic(op: string, l: Fn, r: Fn): Fn | undefined {
  const calc: Record<string, (x: number, y: number) => number> = {
    '+': (x, y) => x + y,
    '-': (x, y) => x - y,
    '*': (x, y) => x * y,
    '/': (x, y) => x / y,
    '%': (x, y) => x % y,
  };
  const f = calc[op];
  if (f === undefined) return undefined;
  return (row) => {
    const x = toNumber(l(row));
    const y = toNumber(r(row));
    return x === null || y === null ? null : f(x, y);
  };
}

export function binaryOperator(
  op: string,
  l: Fn,
  r: Fn,
  start: number,
): { fn: Fn; type: 'bool' | 'numeric' } {
  if (op === 'and') return { fn: (row) => toBool(l(row)) && toBool(r(row)), type: 'bool' };
  if (op === 'or') return { fn: (row) => toBool(l(row)) || toBool(r(row)), type: 'bool' };
  const negated = op.startsWith('!') && op !== '!=';
  const base = op === '!~' ? '=~' : negated ? op.slice(1) : op;
  const pred = comparisons[op] ?? stringPreds[base];
  if (pred !== undefined) {
    const fn: Fn = negated || op === '!~' ? (row) => !pred(l(row), r(row)) : (row) => pred(l(row), r(row));
    return { fn, type: 'bool' };
  }
  const math = arithmetic(op, l, r);
  if (math !== undefined) return { fn: math, type: 'numeric' };
  throw unsupported('operator', op, start);
}

export function listOperator(op: string, l: Fn, items: readonly unknown[], start: number): Fn {
  switch (op) {
    case 'in': {
      return (row) => {
        const v = l(row);
        return items.some((i) => kEquals(v, i));
      };
    }
    case '!in':
      return (row) => {
        const v = l(row);
        return !items.some((i) => kEquals(v, i));
      };
    case 'in~': {
      const set = new Set(items.map(lower));
      return (row) => set.has(lower(l(row)));
    }
    case '!in~': {
      const set = new Set(items.map(lower));
      return (row) => !set.has(lower(l(row)));
    }
    case 'has_any':
      return (row) => {
        const v = lower(l(row));
        return items.some((i) => hasTerm(v, lower(i)));
      };
    case 'between':
    case '!between': {
      const [lo, hi] = items;
      const inside = (row: Row): boolean => {
        const v = l(row);
        return v !== null && kCompare(v, lo) >= 0 && kCompare(v, hi) <= 0;
      };
      return op === 'between' ? inside : (row) => !inside(row);
    }
    default:
      throw unsupported('operator', op, start);
  }
}
