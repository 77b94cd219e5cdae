/**
 * Reversible, readable PartitionKey/RowKey encoding of ARM IDs (and any other string used as a key).
 *
 * Table Storage forbids `/`, `\`, `#`, `?` and the control characters U+0000-U+001F and U+007F-U+009F in
 * keys. ARM IDs are case-insensitive, so the input is lower-cased first; then:
 * - `/` becomes `|`, so an ID stays readable for an operator browsing the table:
 *   `|subscriptions|<guid>|resourcegroups|rg|providers|microsoft.kubernetes|connectedclusters|c1`;
 * - every other forbidden character, the two characters the scheme itself uses (`|`, `~`) and `%` (which
 *   some Table Storage tooling URL-decodes) become `~` plus two lower-case hex digits (`#` -> `~23`);
 * - everything else (letters of any script, digits, `-`, `_`, `.`, `(`, `)`, `'`, ...) is kept as is.
 * A realistic ID therefore keeps its length (far below the 1 KiB key limit); `decodeKey` reverses it.
 */
import { ValidationError } from '../domain/errors.js';

/** The most a key may hold (1 KiB). */
export const MAX_KEY_LENGTH = 1024;

function needsEscape(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x7c /* | */ ||
    code === 0x7e /* ~ */ ||
    code === 0x5c /* \ */ ||
    code === 0x23 /* # */ ||
    code === 0x3f /* ? */ ||
    code === 0x25 /* % */
  );
}

export function encodeKey(value: string): string {
  const lower = value.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const code = lower.charCodeAt(i);
    if (code === 0x2f) out += '|';
    else if (needsEscape(code)) out += '~' + code.toString(16).padStart(2, '0');
    else out += lower[i];
  }
  if (out.length > MAX_KEY_LENGTH)
    throw new ValidationError(
      `key is ${out.length} characters once encoded; at most ${MAX_KEY_LENGTH}`,
      [],
      'KeyTooLong',
    );
  return out;
}

export function decodeKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === '|') out += '/';
    else if (ch === '~') {
      const hex = key.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex))
        throw new ValidationError(`malformed key escape at ${i}: ${key}`, [], 'BadKey');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else out += ch;
  }
  return out;
}

/** True when `key` may be used as a PartitionKey or RowKey as is. */
export function isValidKey(key: string): boolean {
  if (key.length > MAX_KEY_LENGTH) return false;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (
      code <= 0x1f ||
      (code >= 0x7f && code <= 0x9f) ||
      code === 0x2f ||
      code === 0x5c ||
      code === 0x23 ||
      code === 0x3f
    )
      return false;
  }
  return true;
}
