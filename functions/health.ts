import { httpEndpoint } from './lib/httpEndpoint.js';

/**
 * Anonymous (in Azure too), so it must cost nothing a caller can multiply: the dependency check behind it
 * runs at most once per HEALTH_CACHE_MS per instance, shared by concurrent callers, and the answer says when
 * it ran (`checkedAt`). docs/security.md, item 1.
 */

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
