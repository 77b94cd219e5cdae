// KQL scalar types and value semantics used by the evaluator (strings are never null in Kusto: '' instead).

export type KType = 'string' | 'long' | 'real' | 'bool' | 'datetime' | 'dynamic';
export type Row = Record<string, unknown>;
/** Ordered column names with their types. */
export type Schema = ReadonlyMap<string, KType>;

export function defaultFor(type: KType): unknown {
  return type === 'string' ? '' : null;
}

/** tostring(): null -> '', objects as JSON. */
export function toKString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

export function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  if (typeof value === 'number') return value !== 0;
  return false;
}

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? null : n;
  }
  return null;
}

/** Equality of two KQL values (case-sensitive for strings); null equals nothing. */
export function kEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a === typeof b) {
    if (typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
    return a === b;
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x !== null && x === y;
  }
  return false;
}

/** Ordering: nulls first, numbers numerically, strings ordinally; mixed types by their string form. */
export function kCompare(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = toKString(a);
  const y = toKString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Member access on a dynamic value: objects by key, arrays by (possibly negative) index. */
export function member(value: unknown, key: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && value.length > 0 && (value[0] === '{' || value[0] === '[')) {
    value = parseJson(value);
  }
  if (Array.isArray(value)) {
    const i = toNumber(key);
    if (i === null || !Number.isInteger(i)) return null;
    return value[i < 0 ? value.length + i : i] ?? null;
  }
  if (typeof value === 'object' && value !== null && typeof key === 'string') {
    return (value as Record<string, unknown>)[key] ?? null;
  }
  return null;
}

/** parse_json / todynamic: JSON text to a value; non-JSON strings stay strings; objects pass through. */
export function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** The type of a runtime value, for columns whose type is not known statically. */
export function typeOfValue(value: unknown): KType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'real';
  return 'dynamic';
}
