/**
 * A plain fake of the MonitorArm port (workspaces, data collection rules, associations in memory) for
 * service unit tests. It passes the same contract suite as the ARM adapter against the emulator
 * (test/azure/monitorArmContract.ts): IDs compared case-insensitively, absent -> undefined, PUT replaces.
 */
import type {
  DataCollectionRule,
  DataCollectionRuleAssociation,
  LogAnalyticsWorkspace,
} from '../../shared/domain/containerInsights.js';
import type { MonitorArm } from '../../shared/domain/ports.js';

const key = (id: string) => id.toLowerCase();
const assocKey = (resourceId: string, name: string) => key(`${resourceId}/${name}`);

export class FakeMonitorArm implements MonitorArm {
  readonly workspaces = new Map<string, LogAnalyticsWorkspace>();
  readonly rules = new Map<string, DataCollectionRule>();
  readonly associations = new Map<string, DataCollectionRuleAssociation>();
  readonly calls: { method: keyof MonitorArm; id: string }[] = [];
  readonly failNext: Partial<Record<keyof MonitorArm, Error[]>> = {};

  addWorkspace(w: LogAnalyticsWorkspace): void {
    this.workspaces.set(key(w.id), structuredClone(w));
  }

  association(resourceId: string, name: string): DataCollectionRuleAssociation | undefined {
    return this.associations.get(assocKey(resourceId, name));
  }

  private enter(method: keyof MonitorArm, id: string): void {
    this.calls.push({ method, id });
    const err = this.failNext[method]?.shift();
    if (err) throw err;
  }

  async getWorkspace(workspaceId: string) {
    this.enter('getWorkspace', workspaceId);
    const w = this.workspaces.get(key(workspaceId));
    return w && structuredClone(w);
  }

  async getDataCollectionRule(ruleId: string) {
    this.enter('getDataCollectionRule', ruleId);
    const r = this.rules.get(key(ruleId));
    return r && structuredClone(r);
  }

  async putDataCollectionRule(rule: DataCollectionRule) {
    this.enter('putDataCollectionRule', rule.id);
    this.rules.set(key(rule.id), structuredClone(rule));
    return structuredClone(rule);
  }

  async getAssociation(resourceId: string, name: string) {
    this.enter('getAssociation', resourceId);
    const a = this.associations.get(assocKey(resourceId, name));
    return a && structuredClone(a);
  }

  async putAssociation(
    resourceId: string,
    name: string,
    body: { dataCollectionRuleId: string; description: string },
  ) {
    this.enter('putAssociation', resourceId);
    const a: DataCollectionRuleAssociation = {
      id: `${resourceId}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${name}`,
      ...body,
    };
    this.associations.set(assocKey(resourceId, name), a);
    return structuredClone(a);
  }
}
