/**
 * KQL string literals for values placed into Resource Graph queries. The output is a single-quoted literal
 * made of printable ASCII only: `'` and `\` are backslash-escaped and every other character outside
 * 0x20..0x7E (newlines, control characters, all non-ASCII, lone surrogates) becomes `\uXXXX`, which
 * Kusto decodes back to the same UTF-16 code unit. No input can end the literal early, start a comment,
 * or add an operator: `|`, `//`, `;` and quotes stay inside the string.
 */
export function kqlString(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0x27) out += "\\'";
    else if (unit === 0x5c) out += '\\\\';
    else if (unit >= 0x20 && unit <= 0x7e) out += value[i];
    else out += `\\u${unit.toString(16).padStart(4, '0')}`;
  }
  return `${out}'`;
}

/** `(lit1, lit2, ...)` for `in` / `in~`; at least one element (an empty list is not valid KQL). */
export function kqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('kqlStringList needs at least one value');
  return `(${values.map(kqlString).join(', ')})`;
}
