import { deletePolicy, getPolicy, listPolicies, putPolicy } from '../shared/services/policyService.js';
import { httpEndpoint } from './lib/httpEndpoint.js';
import { pageRequest } from './lib/paging.js';

export const putPolicyFn = httpEndpoint({
  name: 'putPolicy',
  methods: ['PUT'],
  route: 'policies/{name}',
  handle: async (req) => {
    const r = await putPolicy(
      req.app.deps,
      req.params.name ?? '',
      await req.json(),
      req.headers.get('if-match') ?? undefined,
    );
    return { status: r.created ? 201 : 200, body: r.view, headers: { etag: r.etag } };
  },
});

export const getPolicyFn = httpEndpoint({
  name: 'getPolicy',
  methods: ['GET'],
  route: 'policies/{name}',
  handle: async (req) => {
    const r = await getPolicy(req.app.deps, req.params.name ?? '');
    return { status: 200, body: r.value, headers: { etag: r.etag } };
  },
});

export const listPoliciesFn = httpEndpoint({
  name: 'listPolicies',
  methods: ['GET'],
  route: 'policies',
  handle: async (req) => ({ status: 200, body: await listPolicies(req.app.deps, pageRequest(req.query)) }),
});

export const deletePolicyFn = httpEndpoint({
  name: 'deletePolicy',
  methods: ['DELETE'],
  route: 'policies/{name}',
  handle: async (req) => {
    await deletePolicy(req.app.deps, req.params.name ?? '', req.headers.get('if-match') ?? undefined);
    return { status: 204 };
  },
});
