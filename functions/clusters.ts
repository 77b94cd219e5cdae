import { parseClusterPath } from '../shared/domain/armId.js';
import { ValidationError } from '../shared/domain/errors.js';
import { POLICY_NAME_PATTERN } from '../shared/domain/policy.js';
import { getClusterView, listClusters } from '../shared/services/clusterService.js';
import { clusterHistory } from '../shared/services/clusterHistory.js';
import { httpEndpoint } from './lib/httpEndpoint.js';
import { pageRequest } from './lib/paging.js';

const optional = (q: URLSearchParams, k: string) => q.get(k) ?? undefined;

/**
 * Filter values are checked before they reach a Table query: an over-long one made the store's URL too long
 * and the store's own error (`Storage431`) reached the client. docs/security.md, item 9.
 */
const FILTERS: Readonly<Record<string, { pattern: RegExp; message: string }>> = {
  policy: { pattern: POLICY_NAME_PATTERN, message: 'must be a policy name' },
  osmVersion: {
    pattern: /^(none|\d{1,9}\.\d{1,9}\.\d{1,9}(-\d{1,9})?)$/i,
    message: 'must be a version such as 1.2.6, or none',
  },
};

function checkFilters(query: URLSearchParams): void {
  for (const [name, { pattern, message }] of Object.entries(FILTERS)) {
    const value = query.get(name);
    if (value !== null && value !== '' && !pattern.test(value))
      throw new ValidationError(`${name}: ${message}`, [{ path: name, message }], 'InvalidQueryParameter');
  }
}

export const listClustersFn = httpEndpoint({
  name: 'listClusters',
  methods: ['GET'],
  route: 'clusters',
  handle: async ({ app, query }) => {
    checkFilters(query);
    const filter = {
      ...(optional(query, 'policy') ? { policy: optional(query, 'policy') } : {}),
      ...(optional(query, 'osmVersion') ? { osmVersion: optional(query, 'osmVersion') } : {}),
      ...(optional(query, 'state') ? { state: optional(query, 'state') } : {}),
    };
    return { status: 200, body: await listClusters(app.deps, filter, pageRequest(query)) };
  },
});

export const getClusterFn = httpEndpoint({
  name: 'getCluster',
  methods: ['GET'],
  route: 'clusters/{sub}/{rg}/{name}',
  handle: async ({ app, params }) => {
    const ref = parseClusterPath(params);
    return {
      status: 200,
      body: await getClusterView(app.deps, ref.subscriptionId, ref.resourceGroup, ref.name),
    };
  },
});

export const clusterHistoryFn = httpEndpoint({
  name: 'clusterHistory',
  methods: ['GET'],
  route: 'clusters/{sub}/{rg}/{name}/history',
  handle: async ({ app, params, query }) => {
    const ref = parseClusterPath(params);
    const page = await clusterHistory(
      app.deps,
      ref.subscriptionId,
      ref.resourceGroup,
      ref.name,
      pageRequest(query),
    );
    return { status: 200, body: page };
  },
});
