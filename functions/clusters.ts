import { parseClusterPath } from '../shared/domain/armId.js';
import { clusterHistory, getClusterView, listClusters } from '../shared/services/clusterService.js';
import { httpEndpoint } from './lib/httpEndpoint.js';
import { pageRequest } from './lib/paging.js';

const optional = (q: URLSearchParams, k: string) => q.get(k) ?? undefined;

export const listClustersFn = httpEndpoint({
  name: 'listClusters',
  methods: ['GET'],
  route: 'clusters',
  handle: async ({ app, query }) => {
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
