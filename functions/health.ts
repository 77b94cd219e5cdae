import { httpEndpoint } from './lib/httpEndpoint.js';

export const health = httpEndpoint({
  name: 'health',
  methods: ['GET'],
  route: 'health',
  authLevel: 'anonymous',
  handle: async ({ app }) => {
    const deps = await app.checkHealth();
    const ok = deps.storage === 'ok' && deps.arm === 'ok';
    return {
      status: ok ? 200 : 503,
      body: { status: ok ? 'ok' : 'degraded', ...deps, version: app.version },
    };
  },
});
