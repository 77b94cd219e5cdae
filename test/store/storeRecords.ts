// Record builders for the store tests.
import { parsePolicy } from '../../shared/domain/policy.js';
import type {
  HistoryEvent,
  InventoryRecord,
  RolloutClusterRecord,
  RolloutRecord,
  StoredPolicy,
} from '../../shared/domain/records.js';
import type { ClusterState, RolloutState } from '../../shared/domain/rolloutState.js';
import { cluster, osm } from '../domain/fixtures.js';

export const AT = '2024-06-01T03:00:00.000Z';

export function storedPolicy(name: string, body: Record<string, unknown> = {}): StoredPolicy {
  const policy = parsePolicy(name, { osm: { version: '1.2.6' }, ...body });
  return { policy, createdAt: AT, updatedAt: AT };
}

export function rolloutRecord(id: string, state: RolloutState = 'Pending', clusterCount = 0): RolloutRecord {
  return {
    rollout: {
      id,
      policy: 'prod',
      state,
      createdAt: AT,
      waves: [{ name: 'all', maxParallel: 10, soakMinutes: 0 }],
      currentWave: 0,
      maxFailurePercent: 5,
    },
    policy: storedPolicy('prod').policy,
    trigger: 'api',
    clusterCount,
  };
}

export function clusterId(name: string, sub = '6a1b2c3d-0000-4000-8000-00000000000a'): string {
  return cluster(name, { subscriptionId: sub }).id;
}

export function clusterRow(
  rolloutId: string,
  name: string,
  state: ClusterState = 'Pending',
): RolloutClusterRecord {
  return {
    rolloutId,
    clusterId: clusterId(name).toLowerCase(),
    clusterName: name,
    wave: 0,
    state,
    plannedAction: 'upgrade',
    extensionName: 'osm',
    distribution: 'eks',
    from: '1.0.0',
    to: '1.2.6',
    path: ['1.1.1', '1.2.6'],
    hop: 0,
    crdStepHops: [],
    approved: false,
    attempts: 0,
    reason: 'Planned',
    monitor: 'NotRequested',
    updatedAt: AT,
  };
}

export function inventoryRecord(
  name: string,
  version: string | null = '1.2.6',
  sub?: string,
): InventoryRecord {
  const c = cluster(name, sub ? { subscriptionId: sub } : {});
  return {
    cluster: { ...c, extensions: version === null ? [] : [osm(version)] },
    discoveredAt: AT,
    monitorInstalled: false,
  };
}

export function historyEvent(id: string, at: string, action: string): HistoryEvent {
  return { clusterId: id, at, actor: 'timer', action, from: null, to: '1.2.6', result: 'Recorded' };
}
