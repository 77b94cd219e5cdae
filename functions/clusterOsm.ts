import { parseClusterPath } from '../shared/domain/armId.js';
import { parseClusterOsmRequest } from '../shared/domain/clusterOsmRequest.js';
import { installOnCluster, uninstallFromCluster } from '../shared/services/clusterOsmService.js';
import { httpEndpoint } from './lib/httpEndpoint.js';

export const putClusterOsmFn = httpEndpoint({
  name: 'putClusterOsm',
  methods: ['PUT'],
  route: 'clusters/{sub}/{rg}/{name}/osm',
  handle: async (req) => {
    const ref = parseClusterPath(req.params);
    const r = await installOnCluster(req.app.deps, ref, parseClusterOsmRequest(await req.json()), req.actor);
    const location = r.view.rolloutId ? { location: `/api/rollouts/${r.view.rolloutId}` } : undefined;
    return { status: r.status, body: r.view, ...(location ? { headers: location } : {}) };
  },
});

export const deleteClusterOsmFn = httpEndpoint({
  name: 'deleteClusterOsm',
  methods: ['DELETE'],
  route: 'clusters/{sub}/{rg}/{name}/osm',
  handle: async (req) => ({
    status: 202,
    body: await uninstallFromCluster(req.app.deps, parseClusterPath(req.params), req.actor),
  }),
});
