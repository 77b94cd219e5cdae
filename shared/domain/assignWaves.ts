/**
 * Deterministic wave membership. Clusters are ranked by a stable hash of their lower-cased ARM ID, so the
 * same fleet always yields the same waves whatever order discovery returned it in, and a canary is a
 * spread-out sample rather than the first resource group in alphabetical order.
 * `count` waves take the next N clusters; `percent` is the cumulative share of the fleet reached by the
 * end of that wave (the last wave is always 100).
 */
import { normalizeId } from './armId.js';

export interface WaveShape {
  name: string;
  count?: number | undefined;
  percent?: number | undefined;
}

/** 32-bit FNV-1a: tiny, fast and stable across processes and versions. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Returns, for each id (in input order), the index of its wave. */
export function assignWaves(ids: readonly string[], waves: readonly WaveShape[]): number[] {
  const keyed = ids.map((id, i) => {
    const lower = normalizeId(id);
    return { i, hash: stableHash(lower), lower };
  });
  keyed.sort((a, b) => a.hash - b.hash || (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
  const out = new Array<number>(ids.length).fill(Math.max(0, waves.length - 1));
  const total = ids.length;
  let next = 0;
  waves.forEach((w, waveIndex) => {
    const end =
      w.count !== undefined ? next + w.count : Math.max(next, Math.ceil(((w.percent ?? 100) / 100) * total));
    for (; next < Math.min(end, total); next++) out[keyed[next]!.i] = waveIndex;
  });
  return out;
}
