/** Plain aligned columns: a header row and one row per item, two spaces apart, the last column unpadded. */

export type Cell = string | number | boolean | null | undefined;

export function cell(v: Cell): string {
  return v === null || v === undefined || v === '' ? '-' : String(v);
}

export function table(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = [headers.map(String), ...rows.map((r) => headers.map((_, i) => cell(r[i])))];
  const widths = headers.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `key: value` lines with the keys aligned. */
export function keyValues(pairs: readonly [string, Cell][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)} ${cell(v)}`).join('\n');
}

export function fromTo(from: string | null | undefined, to: string | null | undefined): string {
  return `${from ?? '(none)'} -> ${to ?? '(none)'}`;
}

/** `2026-11-25T18:21:37.180Z` -> `2026-11-25 18:21:37`. */
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}
