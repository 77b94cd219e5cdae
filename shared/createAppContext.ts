/**
 * Composition root of the running app: the real adapters (ARM, Resource Graph, Table Storage, queues) built
 * once per process from the validated configuration, wired into the services' dependencies.
 */
import { readFileSync } from 'node:fs';
import type { TokenCredential } from '@azure/core-auth';
import type { AppContext } from './appContext.js';
import { createAzureAdapters } from './composition.js';
import { createCredential } from './azure/credential.js';
import type { Config } from './config.js';
import { defaultOsmCatalog } from './domain/osmCatalog.js';
import type { Logger } from './domain/ports.js';
import { jsonLogger } from './jsonLogger.js';
import { cachedCheck } from './services/cachedCheck.js';
import { coalesce } from './services/coalesce.js';
import { DEFAULT_PLAN_SWEEP_LIMITS, PlanSweeps } from './services/planSweeps.js';
import { reconcileRollout } from './services/reconcileRollout.js';
import { RolloutRowCache } from './services/rolloutRowCache.js';
import type { ServiceDeps } from './services/serviceDeps.js';
import type { StoreAdapters } from './store/createStoreAdapters.js';
import { createStoreAdapters } from './store/createStoreAdapters.js';

export interface AppContextOptions {
  /** Table and queue name prefixes (tests; several local stacks in one Azurite). */
  tablePrefix?: string;
  queuePrefix?: string;
  credential?: TokenCredential;
  logger?: Logger;
  /** Create missing tables and queues at start-up (local; in Azure infra/ creates them). Default true. */
  ensureCreated?: boolean;
}

export interface RunningApp extends AppContext {
  store: StoreAdapters;
  config: Config;
}

export const APP_VERSION = '0.1.0';
/** How long GET /api/health reuses its dependency check. */
export const HEALTH_CACHE_MS = 30_000;

export async function createAppContext(config: Config, options: AppContextOptions = {}): Promise<RunningApp> {
  const log = options.logger ?? jsonLogger();
  const caPem = config.arm.caFile ? readFileSync(config.arm.caFile, 'utf8') : undefined;
  const azure = createAzureAdapters(config, {
    ...(options.credential ? { credential: options.credential } : {}),
    ...(caPem ? { caPem } : {}),
    logger: log,
  });
  const s = config.storage;
  const store = createStoreAdapters({
    ...(s.kind === 'connectionString'
      ? { connectionString: s.connectionString }
      : {
          serviceUris: { table: s.tableServiceUri, queue: s.queueServiceUri },
          credential:
            options.credential ??
            createCredential({ ...config, azureClientId: s.clientId ?? config.azureClientId }),
        }),
    ...(options.tablePrefix ? { tablePrefix: options.tablePrefix } : {}),
    ...(options.queuePrefix ? { queuePrefix: options.queuePrefix } : {}),
  });
  if (options.ensureCreated ?? true) {
    await store.ensureCreated();
    await store.migrate();
  }

  const deps: ServiceDeps = {
    policies: store.policies,
    rollouts: store.rollouts,
    inventory: store.inventory,
    history: store.history,
    plans: store.plans,
    queue: store.queue,
    secrets: azure.secrets,
    arm: azure.arm,
    monitorArm: azure.monitorArm,
    fleet: azure.inventory,
    catalog: defaultOsmCatalog,
    clock: { now: () => new Date() },
    log,
    settings: {
      subscriptions: config.subscriptions.map((x) => x.toLowerCase()),
      operationDeadlineMs: config.operationDeadlineMinutes * 60_000,
      checkDelayMs: config.checkDelaySeconds * 1000,
      connectWatchMs: config.connectWatchMinutes * 60_000,
      leaseMs: Math.max(10 * 60_000, config.operationDeadlineMinutes * 60_000 * 2),
      ...(config.logAnalyticsWorkspaceId ? { defaultWorkspaceId: config.logAnalyticsWorkspaceId } : {}),
      ...(config.logAnalyticsWorkspaceFacts
        ? { defaultWorkspaceFacts: config.logAnalyticsWorkspaceFacts }
        : {}),
    },
  };
  deps.rowCache = new RolloutRowCache();
  deps.planSweeps = new PlanSweeps(azure.inventory, deps.clock, {
    ...DEFAULT_PLAN_SWEEP_LIMITS,
    maxAgeMs: config.planSweepMaxAgeSeconds * 1000,
  });
  deps.fleet = deps.planSweeps.observe(azure.inventory);
  deps.onSlotFreed = coalesce(async (rolloutId) => {
    await reconcileRollout(deps, rolloutId, undefined, { repairLostMessages: false });
  });
  const probeCluster = `/subscriptions/${config.subscriptions[0] ?? '00000000-0000-0000-0000-000000000000'}/resourceGroups/osm-fleet-health/providers/Microsoft.Kubernetes/connectedClusters/health-probe`;
  // One ARM GET and one Table query per HEALTH_CACHE_MS at most, whoever calls (docs/security.md, item 1).
  const health = cachedCheck(
    async () => ({
      storage: await store.policies.list({ top: 1 }).then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
      arm: await azure.arm.getCluster(probeCluster).then(
        () => 'ok' as const,
        () => 'error' as const,
      ),
    }),
    HEALTH_CACHE_MS,
    deps.clock,
  );
  return {
    deps,
    store,
    config,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    trustClientPrincipal: config.trustClientPrincipal,
    version: APP_VERSION,
    checkHealth: async () => {
      const { value, checkedAt } = await health();
      return { ...value, checkedAt: checkedAt.toISOString() };
    },
  };
}
