// In-memory ARM state, indexed by lower-cased ARM ID so that 10,000+ clusters stay cheap to look up.
import { MonitorStore } from './monitor/monitorStore.js';

export interface SystemData {
  createdBy: string;
  createdByType: 'User' | 'Application' | 'ManagedIdentity' | 'Key';
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: 'User' | 'Application' | 'ManagedIdentity' | 'Key';
  lastModifiedAt: string;
}

export type ConnectivityStatus = 'Connecting' | 'Connected' | 'Offline' | 'Expired';

export interface ClusterRecord {
  id: string;
  key: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  identity: { type: string; principalId?: string; tenantId?: string };
  kind?: string;
  properties: Record<string, unknown> & { connectivityStatus: ConnectivityStatus };
  systemData: SystemData;
  crdPrepared: boolean;
  extensions: Map<string, ExtensionRecord>;
  /** Release namespaces (lower-cased) still terminating after a delete, with the time they are gone. */
  terminatingNamespaces: Map<string, number>;
  /** When the cluster last went Offline or Expired (ms), for operation timeouts. */
  disconnectedSinceMs?: number;
}

export interface ExtensionStatus {
  code: string;
  displayStatus: string;
  level: 'Error' | 'Warning' | 'Information';
  message: string;
  time: string;
}

export interface ExtensionRecord {
  id: string;
  key: string;
  name: string;
  clusterKey: string;
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  version: string | null;
  currentVersion: string | null;
  scope: Record<string, unknown>;
  configurationSettings: Record<string, string>;
  /** Protected values are kept (the agent needs them) but never returned. */
  protectedSettings: Record<string, string>;
  /** What the release actually runs with: chart defaults overlaid by what the last PUT/PATCH sent. */
  runningSettings: Record<string, string>;
  /** The last PUT/PATCH sent `configurationProtectedSettings: {}`: ARM then answers with `{}` (recorded). */
  protectedEchoEmpty?: boolean;
  provisioningState: 'Succeeded' | 'Failed' | 'Canceled' | 'Creating' | 'Updating' | 'Deleting';
  statuses: ExtensionStatus[];
  errorInfo: { code: string; message: string } | null;
  systemData: SystemData;
  identity?: Record<string, unknown>;
  plan?: Record<string, unknown>;
  activeOperation?: string;
  puts: number;
  /** Every operation that succeeded on this extension, in order: the version and settings it left running. */
  applied?: { version: string; runningSettings: Record<string, string> }[];
}

export interface OperationRecord {
  name: string;
  /** The full ARM path of the status resource, original casing. */
  id: string;
  kind: 'create' | 'update' | 'delete';
  clusterKey: string;
  extensionKey: string;
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error: { code: string; message: string; details?: { code: string; message: string }[] } | null;
  startedMs: number;
  endedMs?: number;
  timer?: NodeJS.Timeout;
}

export class EmulatorState {
  readonly clusters = new Map<string, ClusterRecord>();
  readonly clustersBySubscription = new Map<string, Set<string>>();
  readonly clustersByGroup = new Map<string, Set<string>>();
  readonly resourceGroups = new Map<string, { name: string; location: string; subscriptionId: string }>();
  readonly operations = new Map<string, OperationRecord>();
  /** connectedClusters PUT/DELETE operations (they complete at once): name -> status resource. */
  readonly clusterOperations = new Map<
    string,
    { id: string; name: string; status: string; startTime: string; endTime: string }
  >();
  /** Subscriptions (lower) -> provider namespaces (lower) that are NOT registered. */
  readonly unregisteredProviders = new Map<string, Set<string>>();
  /** Microsoft.Insights data collection rules and associations. */
  readonly monitor = new MonitorStore();

  ensureResourceGroup(subscriptionId: string, name: string, location = 'eastus'): void {
    const key = `${subscriptionId}/${name}`.toLowerCase();
    if (!this.resourceGroups.has(key)) this.resourceGroups.set(key, { name, location, subscriptionId });
  }

  addCluster(cluster: ClusterRecord): void {
    this.clusters.set(cluster.key, cluster);
    this.ensureResourceGroup(cluster.subscriptionId, cluster.resourceGroup, cluster.location);
    indexAdd(this.clustersBySubscription, cluster.subscriptionId.toLowerCase(), cluster.key);
    indexAdd(
      this.clustersByGroup,
      `${cluster.subscriptionId}/${cluster.resourceGroup}`.toLowerCase(),
      cluster.key,
    );
  }

  removeCluster(cluster: ClusterRecord): void {
    this.clusters.delete(cluster.key);
    this.monitor.removeCluster(cluster.key);
    this.clustersBySubscription.get(cluster.subscriptionId.toLowerCase())?.delete(cluster.key);
    this.clustersByGroup
      .get(`${cluster.subscriptionId}/${cluster.resourceGroup}`.toLowerCase())
      ?.delete(cluster.key);
  }

  /** Forget finished operations older than maxAgeMs (keeps memory flat over long runs). */
  pruneOperations(nowMs: number, maxAgeMs: number): void {
    for (const [name, op] of this.operations) {
      if (op.status !== 'InProgress' && op.endedMs !== undefined && nowMs - op.endedMs > maxAgeMs)
        this.operations.delete(name);
    }
  }

  isProviderRegistered(subscriptionId: string, namespace: string): boolean {
    return !this.unregisteredProviders.get(subscriptionId.toLowerCase())?.has(namespace.toLowerCase());
  }

  clear(): void {
    for (const op of this.operations.values()) if (op.timer) clearTimeout(op.timer);
    this.clusters.clear();
    this.clustersBySubscription.clear();
    this.clustersByGroup.clear();
    this.resourceGroups.clear();
    this.operations.clear();
    this.clusterOperations.clear();
    this.unregisteredProviders.clear();
    this.monitor.clear();
  }
}

function indexAdd(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

export function clusterIdOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

export function systemDataFor(principal: string, nowMs: number): SystemData {
  const at = new Date(nowMs).toISOString();
  return {
    createdBy: principal,
    createdByType: 'Application',
    createdAt: at,
    lastModifiedBy: principal,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
}
