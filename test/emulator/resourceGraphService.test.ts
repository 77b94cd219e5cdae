import { describe, expect, it } from 'vitest';
import { ResourceGraphService } from '../../emulator/graph/resourceGraphHandler.js';
import { GraphIndex } from '../../emulator/graph/graphIndex.js';
import { resourceRow } from '../../emulator/graph/graphRows.js';
import { clusterId, fleetIndex, fleetQuery, subs } from '../../emulator/graph/graphFleet.js';

type Body = {
  totalRecords: number;
  count: number;
  resultTruncated: string;
  $skipToken?: string;
  data: Record<string, unknown>[];
  facets: unknown[];
};
type ErrBody = { error: { code: string; message: string; details: Record<string, unknown>[] } };
const ctx = (nowMs = 1_000, principal = 'p1') => ({ principal, nowMs, apiVersion: '2024-04-01' });
const clusters =
  "Resources | where type =~ 'Microsoft.Kubernetes/connectedClusters' | project id, name | order by id asc";

describe('Resource Graph paging', () => {
  const index = fleetIndex(2500, 0);
  it('pages 2,500 clusters as 1000 + 1000 + 500 with $skipToken, totalRecords and resultTruncated "false"', () => {
    const service = new ResourceGraphService(index);
    const ids: string[] = [];
    let token: string | undefined;
    const counts: number[] = [];
    for (let page = 0; page < 4; page++) {
      const res = service.handle(
        { query: clusters, options: token === undefined ? {} : { $skipToken: token } },
        ctx(1_000 + page),
      );
      expect(res.status).toBe(200);
      const body = res.body as Body;
      expect(body.totalRecords).toBe(2500);
      expect(body.resultTruncated).toBe('false');
      expect(body.facets).toEqual([]);
      counts.push(body.count);
      ids.push(...body.data.map((r) => String(r.id)));
      token = body.$skipToken;
      if (token === undefined) break;
    }
    expect(counts).toEqual([1000, 1000, 500]);
    expect(new Set(ids).size).toBe(2500);
    expect(ids).toEqual([...ids].sort());
  });

  it('honours $top and $skip, and rejects a token from another query', () => {
    const service = new ResourceGraphService(index);
    const first = service.handle({ query: clusters, options: { $top: 3, $skip: 10 } }, ctx()).body as Body;
    expect(first.count).toBe(3);
    expect(first.data[0]!.id).toBe([...Array(2500).keys()].map(clusterId).sort()[10]);
    const other = service.handle(
      { query: 'Resources | project id', options: { $skipToken: first.$skipToken } },
      ctx(),
    );
    expect(other.status).toBe(400);
    expect((other.body as ErrBody).error.details[0]!.code).toBe('InvalidSkipToken');
    expect(service.handle({ query: clusters, options: { $top: 1001 } }, ctx()).status).toBe(400);
  });

  it('returns resultTruncated "true" and no token when the query uses take', () => {
    const body = new ResourceGraphService(index).handle(
      { query: 'Resources | take 1500 | project id' },
      ctx(),
    ).body as Body;
    expect(body).toMatchObject({ count: 1000, totalRecords: 1500, resultTruncated: 'true' });
    expect(body.$skipToken).toBeUndefined();
  });

  it('answers resultFormat table with typed columns', () => {
    const body = new ResourceGraphService(index).handle(
      {
        query: 'Resources | project id, n = toint(properties.totalNodeCount), tags | take 2',
        options: { resultFormat: 'table' },
      },
      ctx(),
    ).body as { data: { columns: unknown[]; rows: unknown[][] } };
    expect(body.data.columns).toEqual([
      { name: 'id', type: 'string' },
      { name: 'n', type: 'integer' },
      { name: 'tags', type: 'object' },
    ]);
    expect(body.data.rows).toHaveLength(2);
  });
});

describe('Resource Graph scoping, lag and quota', () => {
  it('scopes rows to the requested subscriptions, case-insensitively; none means all', () => {
    const service = new ResourceGraphService(fleetIndex(10, 0), { quota: { queries: 100, windowMs: 5000 } });
    const one = service.handle(
      { query: 'Resources | project id', subscriptions: [subs[1]!.toUpperCase()] },
      ctx(),
    ).body as Body;
    expect(one.totalRecords).toBe(5);
    expect(one.data.every((r) => String(r.id).includes(subs[1]!))).toBe(true);
    expect((service.handle({ query: 'Resources | project id' }, ctx()).body as Body).totalRecords).toBe(10);
  });

  it('shows a write only once its visibleAtMs has passed, and a later write supersedes the earlier one then', () => {
    const index = new GraphIndex();
    const service = new ResourceGraphService(index, { quota: { queries: 100, windowMs: 5000 } });
    const id = clusterId(1);
    const q = { query: 'Resources | project id, d = tostring(properties.distribution)' };
    index.put('resources', id, resourceRow({ id, properties: { distribution: 'aks' } }), 1_000);
    index.put('resources', id.toUpperCase(), resourceRow({ id, properties: { distribution: 'eks' } }), 3_000);
    expect((service.handle(q, ctx(999)).body as Body).count).toBe(0);
    expect((service.handle(q, ctx(1_000)).body as Body).data).toEqual([{ id, d: 'aks' }]);
    expect((service.handle(q, ctx(2_999)).body as Body).data).toEqual([{ id, d: 'aks' }]);
    expect((service.handle(q, ctx(3_000)).body as Body).data).toEqual([{ id, d: 'eks' }]);
    index.put('resources', id, null, 4_000);
    expect((service.handle(q, ctx(3_500)).body as Body).count).toBe(1);
    expect((service.handle(q, ctx(4_000)).body as Body).count).toBe(0);
  });

  it('throttles the 16th query in 5 s per principal with 429 and the quota headers', () => {
    const service = new ResourceGraphService(fleetIndex(3, 0));
    const q = { query: 'Resources | project id' };
    for (let i = 0; i < 15; i++) {
      const res = service.handle(q, ctx(10_000 + i * 100));
      expect(res.status).toBe(200);
      expect(res.headers['x-ms-user-quota-remaining']).toBe(String(14 - i));
    }
    const throttled = service.handle(q, ctx(12_000));
    expect(throttled.status).toBe(429);
    expect(throttled.headers['x-ms-user-quota-remaining']).toBe('0');
    expect(throttled.headers['x-ms-user-quota-resets-after']).toBe('00:00:03');
    expect((throttled.body as ErrBody).error.code).toBe('RateLimiting');
    expect(service.handle(q, ctx(12_000, 'another-principal')).status).toBe(200);
    expect(service.handle(q, ctx(15_000)).status).toBe(200);
    expect(service.stats()).toMatchObject({ queries: 18, throttled: 1, succeeded: 17 });
  });
});

describe('Resource Graph errors', () => {
  const service = new ResourceGraphService(fleetIndex(3, 0), { quota: { queries: 1000, windowMs: 5000 } });
  it('returns a syntax error as ARG does: BadRequest, InvalidQuery, ParserFailure with line, position and token', () => {
    const res = service.handle({ query: "Resources\n| where name == 'a' and | project id" }, ctx());
    expect(res.status).toBe(400);
    const { error } = res.body as ErrBody;
    expect(error.code).toBe('BadRequest');
    expect(error.message).toMatch(
      /^Please provide below info when asking for support: timestamp = .*, correlationId = .*\.$/,
    );
    expect(error.details[0]).toEqual({
      code: 'InvalidQuery',
      message:
        'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
    });
    expect(error.details[1]).toEqual({
      code: 'ParserFailure',
      message: 'ParserFailure',
      line: 2,
      characterPositionInLine: 24,
      token: '|',
    });
  });

  it('names an operator or function the emulator does not evaluate', () => {
    const op = (service.handle({ query: 'Resources | top 5 by name' }, ctx()).body as ErrBody).error
      .details[1]!;
    expect(op).toMatchObject({
      code: 'UnsupportedOperator',
      message: "operator 'top' is not supported by the emulator",
      line: 1,
      characterPositionInLine: 12,
    });
    const fn = (
      service.handle({ query: 'Resources | extend x = base64_encode_tostring(name)' }, ctx()).body as ErrBody
    ).error.details[1]!;
    expect(fn.message).toBe("function 'base64_encode_tostring' is not supported by the emulator");
  });

  it('rejects more than 3 joins, unknown columns, unknown tables and a missing query', () => {
    const j = '| join kind=inner (Resources | project id) on id ';
    const joins = service.handle({ query: `Resources | project id ${j}${j}${j}${j}` }, ctx());
    expect((joins.body as ErrBody).error.details[1]!.code).toBe('TooManyJoins');
    const col = (service.handle({ query: 'Resources | where nope == 1' }, ctx()).body as ErrBody).error
      .details[1]!;
    expect(col).toMatchObject({ message: "Failed to resolve scalar expression named 'nope'", token: 'nope' });
    expect(service.handle({ query: 'ResourceContainers | project id' }, ctx()).status).toBe(400);
    expect(service.handle({ subscriptions: [] }, ctx()).status).toBe(400);
    expect(service.handle({ query: 'Resources', options: { resultFormat: 'csv' } }, ctx()).status).toBe(400);
    expect(service.handle({ query: 'Resources' }, { ...ctx(), apiVersion: '2019-01-01' }).status).toBe(400);
  });
});

describe('the fleet join', () => {
  it('joins clusters with their OSM extension (leftouter) on the cluster id', () => {
    const service = new ResourceGraphService(fleetIndex(10, 6));
    const body = service.handle({ query: fleetQuery }, ctx()).body as Body;
    expect(body.totalRecords).toBe(10);
    const byName = new Map(body.data.map((r) => [r.name, r]));
    expect(byName.get('cluster-00000')).toMatchObject({
      osmVersion: '1.2.10',
      osmState: 'succeeded',
      distribution: 'aks',
      resourceGroup: 'rg-0',
      location: 'eastus',
    });
    expect(byName.get('cluster-00005')).toMatchObject({ osmVersion: '1.1.5' });
    expect(byName.get('cluster-00007')).toMatchObject({ osmExtensionId: '', osmVersion: '' });
    expect(Object.keys(body.data[0]!)).not.toContain('clusterId1');
  });
});
