/**
 * FleetInventory over Azure Resource Graph: one paged query (fleetQuery.ts) per batch of subscriptions,
 * 1000 rows a page (`options: { top, skipToken }`), quota-aware. ARG's quota is per principal per window
 * (x-ms-user-quota-remaining / x-ms-user-quota-resets-after): when a response says the quota is spent the
 * next query waits for the window to reset, and a 429 (ARG sends none of Retry-After by default, so the
 * SDK does not retry it) is waited out and retried a bounded number of times. Errors go through
 * classifyAzureError.
 *
 * Priority: an `interactive` sweep (a plan someone asked for) never waits in line with the rollout engine's
 * sweeps. It is refused at once (TransientError `ResourceGraphBusy`, with the time until the window resets)
 * while the window is spent, while fewer than `reservedQuota` queries are left in it, or on a 429, so the
 * engine keeps the last queries of every window (docs/security.md, item 6).
 *
 * Staleness: Resource Graph lags ARM writes (seconds, sometimes minutes). A sweep can show a cluster as it
 * was before a write osm-fleet just made; services confirm their own writes with ArmClient.getExtension /
 * getOperation, never with a sweep.
 */
import type { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { ClusterInfo, ExtensionInfo } from '../domain/cluster.js';
import { TransientError } from '../domain/errors.js';
import type { FleetInventory, Logger } from '../domain/ports.js';
import { classifyAzureError } from './classifyAzureError.js';
import { clusterInfo, extensionFromGraph, isBag, str, type ClusterFields } from './extensionInfo.js';
import { fleetQuery } from './fleetQuery.js';
import { parseTimeSpanMs, type HeaderSource } from './retryAfter.js';
import { normalizeId } from '../domain/armId.js';

export interface ResourceGraphInventoryOptions {
  /** The subscriptions in scope (FLEET_SUBSCRIPTIONS). */
  subscriptions: readonly string[];
  /** Rows per page, 1..1000 (ARG's maximum, the default). */
  pageSize?: number;
  /** Subscriptions per request. ARG scopes a request to at most 1000 subscriptions. */
  subscriptionsPerQuery?: number;
  /** Cluster ids per query when filtering (keeps the query text small). */
  idsPerQuery?: number;
  /** How many throttled (429) answers one page may wait out before the error is passed on. */
  maxThrottleWaits?: number;
  /** Queries of each quota window an interactive sweep leaves to the engine (default 5 of ARG's 15). */
  reservedQuota?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  logger?: Logger;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ResourceGraphInventory implements FleetInventory {
  private readonly subscriptions: readonly string[];
  private readonly pageSize: number;
  private readonly perQuery: number;
  private readonly idsPerQuery: number;
  private readonly maxThrottleWaits: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** No query before this time: the principal's quota window is spent. Shared by concurrent sweeps. */
  private pausedUntilMs = 0;
  /** The last `x-ms-user-quota-remaining` seen and until when it holds (the window's reset). */
  private quota: { remaining: number; untilMs: number } | undefined;

  constructor(
    private readonly client: ResourceGraphClient,
    private readonly options: ResourceGraphInventoryOptions,
  ) {
    this.subscriptions = [...new Set(options.subscriptions.map((s) => s.toLowerCase()))];
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 1000));
    this.perQuery = Math.min(1000, Math.max(1, options.subscriptionsPerQuery ?? 1000));
    this.idsPerQuery = Math.max(1, options.idsPerQuery ?? 50);
    this.maxThrottleWaits = options.maxThrottleWaits ?? 5;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  async sweep(filter?: { clusterIds?: readonly string[]; interactive?: boolean }): Promise<ClusterInfo[]> {
    const interactive = filter?.interactive === true;
    const ids = filter?.clusterIds;
    if (ids !== undefined && ids.length === 0) return [];
    const idChunks = ids === undefined ? [undefined] : chunk([...new Set(ids)], this.idsPerQuery);
    const clusters = new Map<string, { fields: ClusterFields; extensions: Map<string, ExtensionInfo> }>();
    for (const subscriptions of chunk(this.subscriptions, this.perQuery)) {
      for (const idChunk of idChunks) {
        const query = fleetQuery(idChunk);
        let skipToken: string | undefined;
        do {
          const page = await this.page(query, subscriptions, skipToken, interactive);
          for (const row of rows(page.data)) collect(clusters, row);
          skipToken = page.skipToken || undefined;
        } while (skipToken);
      }
    }
    return [...clusters.values()].map((c) => clusterInfo(c.fields, [...c.extensions.values()]));
  }

  private async page(
    query: string,
    subscriptions: string[],
    skipToken: string | undefined,
    interactive: boolean,
  ) {
    for (let waits = 0; ; waits++) {
      const pause = this.pausedUntilMs - this.now();
      if (interactive) this.leaveToEngine(pause);
      if (pause > 0) await this.sleep(pause);
      let headers: HeaderSource | undefined;
      try {
        const page = await this.client.resources(
          { query, subscriptions, options: { top: this.pageSize, ...(skipToken ? { skipToken } : {}) } },
          { onResponse: (raw) => void (headers = raw.headers) },
        );
        this.noteQuota(headers);
        return page;
      } catch (error) {
        const classified = classifyAzureError(error);
        if (!(classified instanceof TransientError) || classified.code !== 'ArmThrottled') throw classified;
        if (interactive) throw busy(classified.retryAfterMs);
        if (waits >= this.maxThrottleWaits) throw classified;
        this.options.logger?.warn('Resource Graph quota exhausted, waiting', {
          waitMs: classified.retryAfterMs,
          attempt: waits + 1,
        });
        this.pausedUntilMs = Math.max(this.pausedUntilMs, this.now() + classified.retryAfterMs);
      }
    }
  }

  /** An interactive query may not take the window's last queries, nor wait for its reset. */
  private leaveToEngine(pauseMs: number): void {
    if (pauseMs > 0) throw busy(pauseMs);
    const q = this.quota;
    const reserved = this.options.reservedQuota ?? 5;
    if (q && q.untilMs > this.now() && q.remaining <= reserved) throw busy(q.untilMs - this.now());
  }

  /** When the window's quota is used up, the next query waits for its reset instead of getting a 429. */
  private noteQuota(headers: HeaderSource | undefined): void {
    const remaining = headers?.get('x-ms-user-quota-remaining');
    if (remaining === undefined || remaining === null || remaining === '') return;
    const resetMs = parseTimeSpanMs(headers?.get('x-ms-user-quota-resets-after')) ?? 1000;
    this.quota = { remaining: Number(remaining), untilMs: this.now() + resetMs };
    if (Number(remaining) > 0) return;
    this.pausedUntilMs = Math.max(this.pausedUntilMs, this.now() + resetMs);
  }
}

function busy(retryAfterMs: number): TransientError {
  return new TransientError(
    'Resource Graph quota is kept for the rollout engine right now; try the plan again shortly',
    Math.max(1000, retryAfterMs),
    'ResourceGraphBusy',
  );
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function rows(data: unknown): Record<string, unknown>[] {
  return Array.isArray(data) ? data.filter(isBag) : [];
}

function collect(
  clusters: Map<string, { fields: ClusterFields; extensions: Map<string, ExtensionInfo> }>,
  row: Record<string, unknown>,
): void {
  const id = str(row.id);
  if (id === undefined) return;
  const key = normalizeId(id);
  let entry = clusters.get(key);
  if (!entry) {
    const fields: ClusterFields = { id, tags: row.tags };
    for (const k of [
      'name',
      'subscriptionId',
      'resourceGroup',
      'location',
      'distribution',
      'infrastructure',
      'kubernetesVersion',
      'connectivityStatus',
    ] as const) {
      const v = str(row[k]);
      if (v !== undefined) fields[k] = v;
    }
    entry = { fields, extensions: new Map() };
    clusters.set(key, entry);
  }
  const extensionId = str(row.extensionId);
  if (extensionId !== undefined)
    entry.extensions.set(
      normalizeId(extensionId),
      extensionFromGraph(str(row.extensionName) ?? '', row.extensionProperties),
    );
}
