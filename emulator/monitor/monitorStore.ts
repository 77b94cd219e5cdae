// Azure Monitor resources the emulator keeps: Log Analytics workspaces and data collection rules (resource group
// scope) and data collection rule associations (extension resources on a connected cluster), indexed by
// lower-cased ARM ID.
import type { SystemData } from '../emulatorState.js';

export interface DataCollectionRuleRecord {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kind?: string;
  tags?: Record<string, string>;
  /** The properties as sent (read-only ones dropped), plus immutableId and provisioningState. */
  properties: Record<string, unknown>;
  etag: string;
  systemData: SystemData;
}

export interface AssociationRecord {
  id: string;
  name: string;
  /** Lower-cased ID of the cluster the association is attached to. */
  clusterKey: string;
  properties: { description?: string; dataCollectionRuleId?: string; dataCollectionEndpointId?: string };
  etag: string;
  systemData: SystemData;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags?: Record<string, string>;
  /** The properties as sent (read-only ones dropped), plus customerId, provisioningState and the dates. */
  properties: Record<string, unknown>;
  etag: string;
  systemData: SystemData;
}

export class MonitorStore {
  readonly rules = new Map<string, DataCollectionRuleRecord>();
  /** Microsoft.OperationalInsights/workspaces, by lower-cased ARM ID. */
  readonly workspaces = new Map<string, WorkspaceRecord>();
  readonly associations = new Map<string, AssociationRecord>();

  associationsOf(clusterKey: string): AssociationRecord[] {
    return [...this.associations.values()].filter((a) => a.clusterKey === clusterKey);
  }

  /** ARM deletes extension resources with their parent. */
  removeCluster(clusterKey: string): AssociationRecord[] {
    const gone = this.associationsOf(clusterKey);
    for (const a of gone) this.associations.delete(a.id.toLowerCase());
    return gone;
  }

  clear(): void {
    this.rules.clear();
    this.associations.clear();
    this.workspaces.clear();
  }
}
