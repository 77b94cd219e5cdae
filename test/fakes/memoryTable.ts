import { ConcurrencyError, ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import type { Page, PageRequest, Versioned } from '../../shared/domain/records.js';

/** An in-memory keyed collection with Table Storage's ETag rules: the base of every store fake. */
export class MemoryTable<T> {
  private readonly rows = new Map<string, Versioned<T>>();
  private version = 0;
  /** Number of writes, for tests that assert "no write happened". */
  writes = 0;

  private nextEtag(): string {
    return `W/"${++this.version}"`;
  }

  get(key: string): Versioned<T> | undefined {
    const row = this.rows.get(key);
    return row && { value: structuredClone(row.value), etag: row.etag };
  }

  /** ifMatch: etag = replace that version; null = create only; undefined = upsert. */
  put(key: string, value: T, ifMatch?: string | null): string {
    const current = this.rows.get(key);
    if (ifMatch === null && current) throw new ConflictError(`${key} already exists`, 'EntityAlreadyExists');
    if (typeof ifMatch === 'string') {
      if (!current) throw new NotFoundError(`${key} not found`);
      if (current.etag !== ifMatch) throw new ConcurrencyError(`${key} changed (etag ${ifMatch} is stale)`);
    }
    const etag = this.nextEtag();
    this.rows.set(key, { value: structuredClone(value), etag, changedAt: new Date().toISOString() });
    this.writes++;
    return etag;
  }

  delete(key: string, ifMatch?: string): void {
    const current = this.rows.get(key);
    if (!current) throw new NotFoundError(`${key} not found`);
    if (ifMatch && current.etag !== ifMatch) throw new ConcurrencyError(`${key} changed`);
    this.rows.delete(key);
    this.writes++;
  }

  values(filter: (v: T, key: string) => boolean = () => true): Versioned<T>[] {
    return [...this.rows.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([k, r]) => filter(r.value, k))
      .map(([, r]) => ({ value: structuredClone(r.value), etag: r.etag, changedAt: r.changedAt }));
  }
}

/** Pages an array with an offset token, as the stores' paging contract says. */
export function pageOf<T>(items: readonly T[], page: PageRequest = {}): Page<T> {
  const start = page.continuationToken ? Number(page.continuationToken) : 0;
  const top = page.top ?? 1000;
  const slice = items.slice(start, start + top);
  const next = start + top < items.length ? String(start + top) : undefined;
  return next ? { items: slice, continuationToken: next } : { items: slice };
}
