import { planPolicyNow } from '../shared/services/planService.js';
import { planClustersPage } from '../shared/services/storedPlans.js';
import { httpEndpoint } from './lib/httpEndpoint.js';

export const planPolicyFn = httpEndpoint({
  name: 'planPolicy',
  methods: ['POST'],
  route: 'policies/{name}/plan',
  handle: async (req) => ({ status: 200, body: await planPolicyNow(req.app.deps, req.params.name ?? '') }),
});

/** The rows of a stored plan, page by page (the token the plan or the previous page gave). */
export const planClustersFn = httpEndpoint({
  name: 'planClusters',
  methods: ['GET'],
  route: 'plans/{planId}/clusters',
  handle: async ({ app, params, query }) => ({
    status: 200,
    body: await planClustersPage(app.deps, params.planId ?? '', query.get('continuationToken') ?? undefined),
  }),
});
