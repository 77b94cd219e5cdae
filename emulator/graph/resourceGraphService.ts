// The Resource Graph endpoint: POST /providers/Microsoft.ResourceGraph/resources. Validates the request,
// applies the per-principal quota, compiles and runs the KQL query over the GraphIndex, and pages the result.
import type { GraphIndex, GraphTable } from './graphIndex.js';
import type { KType, Row } from './kqlValues.js';
import type { CompiledQuery } from './compileQuery.js';
import { compileQuery } from './compileQuery.js';
import { KqlError } from './kqlError.js';
import { argError, queryError, requestError, throttledError } from './graphErrors.js';
import { parseQueryRequest } from './queryRequest.js';
import { decodeSkipToken, encodeSkipToken, queryHash } from './skipToken.js';
import { formatResetsAfter, UserQuota, type QuotaOptions } from './userQuota.js';
import { rowSubscription } from './graphRows.js';

export interface ResourceGraphOptions {
  readonly quota: QuotaOptions;
  /** Page size cap and default ($top ≤ 1000 in ARG). */
  readonly maxPageSize: number;
  /** Add a Retry-After header to 429s (ARG itself only sends the quota headers). */
  readonly retryAfterOn429: boolean;
}

export interface ResourceGraphContext {
  readonly principal: string;
  readonly nowMs: number;
  readonly apiVersion: string;
}

export interface ResourceGraphResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export interface ResourceGraphStats {
  queries: number;
  succeeded: number;
  badRequests: number;
  throttled: number;
  rowsReturned: number;
}

export const supportedApiVersions: readonly string[] = ['2024-04-01', '2022-10-01', '2021-03-01'];
export const defaultResourceGraphOptions: ResourceGraphOptions = {
  quota: { queries: 15, windowMs: 5000 },
  maxPageSize: 1000,
  retryAfterOn429: false,
};

const columnTypes: Record<KType, string> = {
  string: 'string',
  long: 'integer',
  real: 'number',
  bool: 'boolean',
  datetime: 'datetime',
  dynamic: 'object',
};
const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };

export class ResourceGraphService {
  readonly options: ResourceGraphOptions;
  private readonly quota: UserQuota;
  private readonly plans = new Map<string, CompiledQuery | KqlError>();
  private readonly counters: ResourceGraphStats = {
    queries: 0,
    succeeded: 0,
    badRequests: 0,
    throttled: 0,
    rowsReturned: 0,
  };

  constructor(
    private readonly index: GraphIndex,
    options: Partial<ResourceGraphOptions> = {},
  ) {
    this.options = { ...defaultResourceGraphOptions, ...options };
    this.quota = new UserQuota(this.options.quota);
  }

  stats(): Readonly<ResourceGraphStats> {
    return { ...this.counters };
  }

  /** Clears quota windows, the plan cache and the counters (the index is the caller's). */
  reset(): void {
    this.quota.reset();
    this.plans.clear();
    Object.assign(this.counters, { queries: 0, succeeded: 0, badRequests: 0, throttled: 0, rowsReturned: 0 });
  }

  handle(body: unknown, ctx: ResourceGraphContext): ResourceGraphResponse {
    if (!supportedApiVersions.includes(ctx.apiVersion)) {
      return this.bad(
        jsonHeaders,
        argError('InvalidApiVersionParameter', ctx.nowMs),
        400,
        `The api-version '${ctx.apiVersion}' is invalid. The supported versions are '${supportedApiVersions.join(',')}'.`,
      );
    }
    this.counters.queries++;
    const decision = this.quota.take(ctx.principal, ctx.nowMs);
    const headers: Record<string, string> = {
      ...jsonHeaders,
      'x-ms-user-quota-remaining': String(decision.remaining),
      // Recorded beside the quota headers, with the same value (azure-cli-extensions resource-graph cassettes).
      'x-ms-ratelimit-remaining-tenant-resource-requests': String(decision.remaining),
      'x-ms-user-quota-resets-after': formatResetsAfter(decision.resetsAfterMs),
    };
    if (!decision.allowed) {
      this.counters.throttled++;
      if (this.options.retryAfterOn429)
        headers['retry-after'] = String(Math.max(1, Math.ceil(decision.resetsAfterMs / 1000)));
      return { status: 429, headers, body: throttledError(ctx.nowMs) };
    }
    const parsed = parseQueryRequest(body);
    if (!parsed.ok) return this.bad(headers, requestError(parsed.message, ctx.nowMs));
    const request = parsed.request;
    const plan = this.plan(request.query);
    if (plan instanceof KqlError) return this.bad(headers, queryError(plan, request.query, ctx.nowMs));

    const hash = queryHash(request.query, request.subscriptions, request.managementGroups);
    let offset = request.skip ?? 0;
    if (request.skipToken !== undefined) {
      const tokenOffset = decodeSkipToken(request.skipToken, hash);
      if (tokenOffset === undefined) {
        const detail = {
          code: 'InvalidSkipToken',
          message: 'The $skipToken is not valid for this query and scope.',
        };
        return this.bad(headers, argError('BadRequest', ctx.nowMs, [detail]));
      }
      offset = request.skip ?? tokenOffset;
    }
    let rows: Row[];
    try {
      rows = plan.run(this.source(request.subscriptions, ctx.nowMs));
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      const kql =
        error instanceof KqlError ? error : new KqlError('semantic', 'QueryExecutionFailed', error.message);
      return this.bad(headers, queryError(kql, request.query, ctx.nowMs));
    }
    const pageSize = Math.min(request.top ?? this.options.maxPageSize, this.options.maxPageSize);
    const page = rows.slice(offset, offset + pageSize);
    const more = offset + page.length < rows.length;
    const pageable = !plan.hasTake && [...plan.schema.values()].some((t) => t !== 'dynamic');
    const columns = [...plan.schema.entries()];
    const data =
      request.resultFormat === 'table'
        ? {
            columns: columns.map(([name, type]) => ({ name, type: columnTypes[type] })),
            rows: page.map((r) => columns.map(([n]) => r[n] ?? null)),
          }
        : page.map((r) => {
            const out: Row = {};
            for (const [name] of columns) out[name] = r[name] ?? null;
            return out;
          });
    this.counters.succeeded++;
    this.counters.rowsReturned += page.length;
    return {
      status: 200,
      headers,
      body: {
        totalRecords: rows.length,
        count: page.length,
        resultTruncated: more && !pageable ? 'true' : 'false',
        ...(more && pageable ? { $skipToken: encodeSkipToken(hash, offset + page.length) } : {}),
        data,
        facets: [],
      },
    };
  }

  private bad(
    headers: Record<string, string>,
    body: ReturnType<typeof argError>,
    status = 400,
    message?: string,
  ): ResourceGraphResponse {
    this.counters.badRequests++;
    const finalBody = message === undefined ? body : { error: { ...body.error, message } };
    return { status, headers, body: finalBody };
  }

  private plan(query: string): CompiledQuery | KqlError {
    let plan = this.plans.get(query);
    if (plan === undefined) {
      try {
        plan = compileQuery(query);
      } catch (error) {
        if (!(error instanceof KqlError)) throw error;
        plan = error;
      }
      if (this.plans.size >= 500) this.plans.clear();
      this.plans.set(query, plan);
    }
    return plan;
  }

  /** Rows visible at nowMs, scoped to the requested subscriptions (all when none are given). */
  private source(subscriptions: readonly string[], nowMs: number): (table: GraphTable) => Row[] {
    const wanted =
      subscriptions.length === 0 ? undefined : new Set(subscriptions.map((s) => s.toLowerCase()));
    const cache = new Map<GraphTable, Row[]>();
    return (table) => {
      let rows = cache.get(table);
      if (rows === undefined) {
        rows = [];
        for (const row of this.index.rows(table, nowMs)) {
          if (wanted === undefined || wanted.has(rowSubscription(row))) rows.push(row);
        }
        cache.set(table, rows);
      }
      return rows;
    };
  }
}
