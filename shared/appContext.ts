import type { ServiceDeps } from './services/serviceDeps.js';

/** What the function handlers get: the services' dependencies plus the few settings handlers read directly. */
export interface AppContext {
  deps: ServiceDeps;
  /** Local only: when set, every route except health requires it (`x-functions-key` or `?code=`). */
  apiKey?: string;
  /** Whether the `x-ms-client-principal-name` header comes from App Service Authentication (config.ts). */
  trustClientPrincipal?: boolean;
  version: string;
  /** Liveness of the dependencies, for GET /api/health: a result reused for a bounded time (`checkedAt`). */
  checkHealth(): Promise<{ storage: 'ok' | 'error'; arm: 'ok' | 'error'; checkedAt?: string }>;
}
