/**
 * Everything a service needs, passed in (never imported): ports from shared/domain/ports.ts plus the few
 * settings services read. `createComposition` builds the real one; unit tests build one from fakes.
 */
import type { OsmCatalog } from '../domain/osmCatalog.js';
import type {
  ArmClient,
  Clock,
  FleetInventory,
  HistoryStore,
  InventoryStore,
  Logger,
  MonitorArm,
  PlanStore,
  PolicyStore,
  RolloutStore,
  SecretStore,
  WorkQueue,
} from '../domain/ports.js';
import type { PlanSweeps } from './planSweeps.js';
import type { RolloutRowCache } from './rolloutRowCache.js';

export interface ServiceSettings {
  /** Subscriptions the fleet manager is scoped to (lower-cased GUIDs). */
  subscriptions: readonly string[];
  /** After this long an extension operation is reported stuck. */
  operationDeadlineMs: number;
  /** Delay before the first check of a started operation, and between checks. */
  checkDelayMs: number;
  /** How long a cluster written while not yet Connected is watched for its connection (connect-watch). */
  connectWatchMs: number;
  /** How long a cluster lease lasts before another holder may take it (covers a crashed worker). */
  leaseMs: number;
  /** Fallback Log Analytics workspace for monitor onboarding when a policy names none. */
  defaultWorkspaceId?: string;
  /** Region and customer ID of the default workspace, known at deployment (no workspace read for it). */
  defaultWorkspaceFacts?: { location: string; customerId: string };
}

export interface ServiceDeps {
  policies: PolicyStore;
  rollouts: RolloutStore;
  inventory: InventoryStore;
  history: HistoryStore;
  /** Stored plans, read page by page (planService.ts). */
  plans: PlanStore;
  queue: WorkQueue;
  /** Protected setting values (Key Vault). */
  secrets: SecretStore;
  arm: ArmClient;
  /** Container insights prerequisites: workspace, data collection rule and association. */
  monitorArm: MonitorArm;
  fleet: FleetInventory;
  catalog: OsmCatalog;
  clock: Clock;
  log: Logger;
  settings: ServiceSettings;
  /** This instance's recent fleet sweeps for interactive plans (absent: each plan sweeps). */
  planSweeps?: PlanSweeps;
  /** This instance's copy of rollout rows, for reconciles after a freed slot (absent: every pass reads all). */
  rowCache?: RolloutRowCache;
  /** Called when a cluster of a rollout settles (slot freed); the composition wires it to reconcileRollout. */
  onSlotFreed?: (rolloutId: string) => Promise<void>;
}
