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
 * ARM failures arrive typed from the adapter: throttling, 5xx and conflicts are retried later (`retry`),
 * anything else (403, 400, the cluster gone) ends the onboarding with ARM's code and message.
 */
import { parseClusterId } from '../domain/armId.js';
import {
  ASSOCIATION_DESCRIPTION,
  CONTAINER_INSIGHTS_ASSOCIATION,
  associationPointsTo,
  dataCollectionRuleId,
  desiredDataCollectionRule,
  ruleSendsTo,
  type LogAnalyticsWorkspace,
} from '../domain/containerInsights.js';
import { armReaction, classifyArmFailure } from '../domain/armFailure.js';
import type { MonitorStep } from './monitorOutcome.js';
import { monitorAttemptFailed } from './monitorOutcome.js';
import type { StepResult } from './stepResult.js';

/**
 * `associationWritten`: the cluster had no association to the rule, so whatever extension it has was not
 * installed by a complete onboarding (it may lack `amalogs.secret.wsid`, which cannot be read back).
 */
export type DataCollectionOutcome =
  | { ok: true; workspace: LogAnalyticsWorkspace; ruleId: string; associationWritten: boolean }
  | { ok: false; result: StepResult };

export async function ensureDataCollection(
  step: MonitorStep,
  retry: (reason: string, delayMs: number) => Promise<StepResult>,
): Promise<DataCollectionOutcome> {
  const { deps } = step;
  const clusterId = step.row.value.clusterId;
  const fail = async (reason: string, message: string) => ({
    ok: false as const,
    result: await monitorAttemptFailed(step, { reason, message, then: 'final' }),
  });
  const cluster = parseClusterId(clusterId);
  if (!cluster) return fail('InvalidClusterId', `'${clusterId}' is not a connected cluster resource ID`);
  try {
    const workspace = await workspaceOf(step);
    if (!workspace)
      return fail('MonitorWorkspaceNotFound', `Log Analytics workspace ${step.workspace} was not found`);
    if (!workspace.location || !workspace.customerId)
      return fail('MonitorWorkspaceUnreadable', `workspace ${step.workspace} has no location or customer ID`);
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
    return { ok: true, workspace, ruleId, associationWritten };
  } catch (e) {
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('monitorDataCollection', f);
    if (a.reaction === 'requeue') return { ok: false, result: await retry(a.reason, a.delayMs) };
    return fail(a.reason, a.message);
  }
}

async function workspaceOf(step: MonitorStep): Promise<LogAnalyticsWorkspace | undefined> {
  const { settings, monitorArm } = step.deps;
  const facts = settings.defaultWorkspaceFacts;
  if (facts && settings.defaultWorkspaceId?.toLowerCase() === step.workspace.toLowerCase())
    return { id: settings.defaultWorkspaceId, ...facts };
  return monitorArm.getWorkspace(step.workspace);
}
