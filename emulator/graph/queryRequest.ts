// Validates a QueryRequest body (spec: resourcegraph.json, definitions QueryRequest / QueryRequestOptions).

export type ResultFormat = 'table' | 'objectArray';

export interface QueryRequest {
  readonly query: string;
  readonly subscriptions: readonly string[];
  readonly managementGroups: readonly string[];
  readonly top?: number;
  readonly skip?: number;
  readonly skipToken?: string;
  readonly resultFormat: ResultFormat;
}

const scopeFilters = ['AtScopeAndBelow', 'AtScopeAndAbove', 'AtScopeExact', 'AtScopeAboveAndBelow'];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringArray(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string'))
    throw new Error(`'${field}' must be an array of strings`);
  return value as string[];
}

function integer(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`'${field}' must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** Returns the request, or a message saying what is wrong with it. */
export function parseQueryRequest(
  body: unknown,
): { ok: true; request: QueryRequest } | { ok: false; message: string } {
  try {
    if (!isObject(body)) throw new Error('the request body must be a JSON object');
    if (typeof body.query !== 'string' || body.query.trim() === '') throw new Error("'query' is required");
    const options = body.options ?? {};
    if (!isObject(options)) throw new Error("'options' must be an object");
    const format = options.resultFormat ?? 'objectArray';
    if (format !== 'table' && format !== 'objectArray')
      throw new Error("'options.resultFormat' must be 'table' or 'objectArray'");
    if (options.allowPartialScopes !== undefined && typeof options.allowPartialScopes !== 'boolean') {
      throw new Error("'options.allowPartialScopes' must be a boolean");
    }
    const filter = options.authorizationScopeFilter;
    if (filter !== undefined && (typeof filter !== 'string' || !scopeFilters.includes(filter))) {
      throw new Error(`'options.authorizationScopeFilter' must be one of ${scopeFilters.join(', ')}`);
    }
    const skipToken = options.$skipToken;
    if (skipToken !== undefined && skipToken !== null && typeof skipToken !== 'string')
      throw new Error("'options.$skipToken' must be a string");
    if (body.facets !== undefined && !Array.isArray(body.facets))
      throw new Error("'facets' must be an array");
    const top = integer(options.$top, 'options.$top', 1, 1000);
    const skip = integer(options.$skip, 'options.$skip', 0, Number.MAX_SAFE_INTEGER);
    return {
      ok: true,
      request: {
        query: body.query,
        subscriptions: stringArray(body.subscriptions, 'subscriptions'),
        managementGroups: stringArray(body.managementGroups, 'managementGroups'),
        resultFormat: format,
        ...(top === undefined ? {} : { top }),
        ...(skip === undefined ? {} : { skip }),
        ...(typeof skipToken === 'string' && skipToken !== '' ? { skipToken } : {}),
      },
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
