import { policyCompliance } from '../shared/services/complianceService.js';
import { httpEndpoint } from './lib/httpEndpoint.js';
import { pageRequest } from './lib/paging.js';

export const policyComplianceFn = httpEndpoint({
  name: 'policyCompliance',
  methods: ['GET'],
  route: 'policies/{name}/compliance',
  handle: async ({ app, params, query }) => {
    const filter = {
      ...(query.get('status') ? { status: query.get('status') ?? '' } : {}),
      ...(query.get('subscription') ? { subscriptionId: query.get('subscription') ?? '' } : {}),
    };
    const body = await policyCompliance(app.deps, params.name ?? '', filter, pageRequest(query));
    return { status: 200, body };
  },
});
