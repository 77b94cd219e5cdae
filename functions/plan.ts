import { planPolicyNow } from '../shared/services/planService.js';
import { httpEndpoint } from './lib/httpEndpoint.js';

export const planPolicyFn = httpEndpoint({
  name: 'planPolicy',
  methods: ['POST'],
  route: 'policies/{name}/plan',
  handle: async (req) => ({ status: 200, body: await planPolicyNow(req.app.deps, req.params.name ?? '') }),
});
