// The Resource Graph index: per table and ARM id, the versions of a row with the time each becomes
// visible. A query at time t sees, for each id, the newest version (in put order) whose visibleAtMs <= t,
// which is how the emulator models Resource Graph's ingestion lag (eventual consistency).

export type GraphTable = 'resources' | 'kubernetesconfigurationresources';
export type GraphRow = Record<string, unknown>;

interface Version {
  readonly row: GraphRow | null;
  readonly visibleAtMs: number;
}

/** Versions in put order; versions[0] is the one currently visible (or not yet visible at all). */
interface Entry {
  versions: Version[];
}

export class GraphIndex {
  private readonly tables = new Map<GraphTable, Map<string, Entry>>([
    ['resources', new Map()],
    ['kubernetesconfigurationresources', new Map()],
  ]);

  /** Records a version of a row (null = deleted). ARM ids compare case-insensitively. */
  put(table: GraphTable, id: string, row: GraphRow | null, visibleAtMs: number): void {
    const entries = this.table(table);
    const key = id.toLowerCase();
    const entry = entries.get(key);
    if (entry === undefined) entries.set(key, { versions: [{ row, visibleAtMs }] });
    else entry.versions.push({ row, visibleAtMs });
  }

  /** The rows visible at nowMs, in first-insertion order. Queries are expected with a non-decreasing clock. */
  *rows(table: GraphTable, nowMs: number): Iterable<GraphRow> {
    for (const [key, entry] of this.table(table)) {
      const row = visibleRow(entry, nowMs);
      if (row !== null) yield row;
      else if (entry.versions.length === 1 && entry.versions[0]!.visibleAtMs <= nowMs) {
        this.table(table).delete(key); // a visible tombstone with nothing pending: forget the id
      }
    }
  }

  /** The number of ids (visible or pending) held for a table; for stats. */
  size(table: GraphTable): number {
    return this.table(table).size;
  }

  clear(): void {
    for (const entries of this.tables.values()) entries.clear();
  }

  private table(table: GraphTable): Map<string, Entry> {
    const entries = this.tables.get(table);
    if (entries === undefined) throw new Error(`unknown Resource Graph table ${String(table)}`);
    return entries;
  }
}

/** Promotes lazily: drops versions superseded by a later one that has become visible. */
function visibleRow(entry: Entry, nowMs: number): GraphRow | null {
  const versions = entry.versions;
  if (versions.length === 1) {
    const only = versions[0]!;
    return only.visibleAtMs <= nowMs ? only.row : null;
  }
  for (let i = versions.length - 1; i >= 0; i--) {
    const version = versions[i]!;
    if (version.visibleAtMs <= nowMs) {
      if (i > 0) entry.versions = versions.slice(i);
      return version.row;
    }
  }
  return null;
}
