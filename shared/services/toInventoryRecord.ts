/** The inventory row for a cluster as a sweep found it (discovery fields only; the store keeps leases). */
import type { ClusterInfo } from '../domain/cluster.js';
import { isMonitorExtension } from '../domain/cluster.js';
import type { InventoryRecord } from '../domain/records.js';

export function toInventoryRecord(cluster: ClusterInfo, now: Date): InventoryRecord {
  return {
    cluster,
    discoveredAt: now.toISOString(),
    monitorInstalled: cluster.extensions.some(isMonitorExtension),
  };
}
