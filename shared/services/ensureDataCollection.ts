/**
 * The Container insights prerequisites of one cluster, made idempotently before the extension is installed
 * and checked again before `MonitorInstalled` is recorded (shared/domain/containerInsights.ts):
 * 1. the workspace's region and customer ID: from the settings for the default workspace (the deployment
 *    knows them), else a GET of the workspace; absent or unreadable -> the attempt fails for good;
 * 2. GET the rule `MSCI-{workspaceRegion}-{cluster}`; PUT it only when it does not send the Container
 *    insights streams to the workspace (tags already on it are kept);
 * 3. GET the cluster's `ContainerInsightsExtension` association; PUT it only when it does not point at
 *    that rule.
 * Rule and association writes are synchronous in ARM, so a redelivered message simply finds them in place.
 * ARM failures arrive typed from the adapter; `decideMonitor` reads what they mean (`ARM_REACTIONS`
 * `monitorDataCollection`: throttling, 5xx and conflicts retried later, anything else ends the onboarding).
 */
import { classifyArmFailure } from '../domain/armFailure.js';
import { parseClusterId } from '../domain/armId.js';
import type { DataCollectionSeen } from '../domain/clusterHop/decideMonitor.js';
import {
  ASSOCIATION_DESCRIPTION,
  CONTAINER_INSIGHTS_ASSOCIATION,
  associationPointsTo,
  dataCollectionRuleId,
  desiredDataCollectionRule,
  ruleSendsTo,
  type LogAnalyticsWorkspace,
} from '../domain/containerInsights.js';
import type { ServiceDeps } from './serviceDeps.js';

/**
 * `associationWritten` (in `ok`): the cluster had no association to the rule, so whatever extension it has
 * was not installed by a complete onboarding (it may lack `amalogs.secret.wsid`, which cannot be read back).
 * An ARM failure comes back typed by the meaning table; what it leads to is `decideMonitor`'s.
 */
export async function ensureDataCollection(
  deps: ServiceDeps,
  clusterId: string,
  workspaceId: string,
): Promise<DataCollectionSeen> {
  const refused = (reason: string, message: string) => ({ refused: { reason, message } });
  const cluster = parseClusterId(clusterId);
  if (!cluster) return refused('InvalidClusterId', `'${clusterId}' is not a connected cluster resource ID`);
  try {
    const workspace = await workspaceOf(deps, workspaceId);
    if (!workspace)
      return refused('MonitorWorkspaceNotFound', `Log Analytics workspace ${workspaceId} was not found`);
    if (!workspace.location || !workspace.customerId)
      return refused('MonitorWorkspaceUnreadable', `workspace ${workspaceId} has no location or customer ID`);
    const ruleId = dataCollectionRuleId(cluster, workspace.location);
    const rule = await deps.monitorArm.getDataCollectionRule(ruleId);
    if (!ruleSendsTo(rule, workspace.id)) {
      await deps.monitorArm.putDataCollectionRule(desiredDataCollectionRule(ruleId, workspace, rule?.tags));
      deps.log.info('Data collection rule written', { clusterId, ruleId });
    }
    const association = await deps.monitorArm.getAssociation(clusterId, CONTAINER_INSIGHTS_ASSOCIATION);
    const associationWritten = !associationPointsTo(association, ruleId);
    if (associationWritten) {
      await deps.monitorArm.putAssociation(clusterId, CONTAINER_INSIGHTS_ASSOCIATION, {
        dataCollectionRuleId: ruleId,
        description: ASSOCIATION_DESCRIPTION,
      });
      deps.log.info('Data collection rule association written', { clusterId, ruleId });
    }
    return { ok: { workspace, ruleId, associationWritten } };
  } catch (e) {
    const failure = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!failure) throw e;
    return { failure };
  }
}

async function workspaceOf(
  deps: ServiceDeps,
  workspaceId: string,
): Promise<LogAnalyticsWorkspace | undefined> {
  const { settings, monitorArm } = deps;
  const facts = settings.defaultWorkspaceFacts;
  if (facts && settings.defaultWorkspaceId?.toLowerCase() === workspaceId.toLowerCase())
    return { id: settings.defaultWorkspaceId, ...facts };
  return monitorArm.getWorkspace(workspaceId);
}
