// Would Container insights data flow from this cluster? What Microsoft's own onboarding sets up
// (azure-cli-extensions src/k8s-extension/azext_k8s_extension/partner_extensions/ContainerInsights.py):
// the microsoft.azuremonitor.containers extension with `logAnalyticsWorkspaceResourceID` and, with managed-
// identity auth (`amalogs.useAADAuth`, which the CLI defaults to "true"), a data collection rule whose
// ContainerInsights extension data source feeds a data flow into a Log Analytics destination on that
// workspace, associated with the cluster as `ContainerInsightsExtension`. Legacy shared-key auth
// (`useAADAuth` "false") sends with the workspace ID and key instead and needs no rule.
import type { ClusterRecord, ExtensionRecord } from '../emulatorState.js';
import type { DataCollectionRuleRecord, MonitorStore } from './monitorStore.js';

export const CONTAINER_INSIGHTS_TYPE = 'microsoft.azuremonitor.containers';
export const CI_ASSOCIATION_NAME = 'ContainerInsightsExtension';
const CI_STREAM_PREFIX = 'Microsoft-ContainerInsights-';

export interface MonitoringState {
  dataFlows: boolean;
  reason: string;
  workspaceResourceId?: string;
  auth?: 'managedIdentity' | 'sharedKey';
  associationId?: string;
  dataCollectionRuleId?: string;
}

type Json = Record<string, unknown>;

export function containerInsightsFlow(cluster: ClusterRecord, store: MonitorStore): MonitoringState {
  const ext = [...cluster.extensions.values()].find(
    (e) => e.extensionType.toLowerCase() === CONTAINER_INSIGHTS_TYPE,
  );
  if (!ext)
    return { dataFlows: false, reason: 'no microsoft.azuremonitor.containers extension on the cluster' };
  const workspace = setting(ext.configurationSettings, 'logAnalyticsWorkspaceResourceID');
  const base = { ...(workspace ? { workspaceResourceId: workspace } : {}) };
  if (ext.provisioningState !== 'Succeeded')
    return { ...base, dataFlows: false, reason: `the extension is ${ext.provisioningState}, not Succeeded` };
  if (!workspace)
    return {
      ...base,
      dataFlows: false,
      reason: 'the extension has no logAnalyticsWorkspaceResourceID setting',
    };
  if (!hasProtected(ext, 'secret.wsid'))
    return {
      ...base,
      dataFlows: false,
      reason: 'the extension has no amalogs.secret.wsid protected setting',
    };
  // The agents send to the workspace named by its customer ID (the CLI writes the workspace's customerId into
  // amalogs.secret.wsid); a known workspace with another customer ID receives nothing.
  const known = store.workspaces.get(workspace.toLowerCase());
  const wsid = protectedValue(ext, 'secret.wsid');
  if (known && wsid.toLowerCase() !== String(known.properties.customerId).toLowerCase())
    return {
      ...base,
      dataFlows: false,
      reason: "amalogs.secret.wsid is not the customer ID of the extension's workspace",
    };
  if (!usesManagedIdentity(ext)) {
    if (!hasProtected(ext, 'secret.key'))
      return {
        ...base,
        auth: 'sharedKey',
        dataFlows: false,
        reason: 'shared-key auth without amalogs.secret.key',
      };
    return {
      ...base,
      auth: 'sharedKey',
      dataFlows: true,
      reason: 'shared-key auth: the agents send with the workspace key',
    };
  }
  const auth = { ...base, auth: 'managedIdentity' as const };
  const association = store
    .associationsOf(cluster.key)
    .find((a) => a.name.toLowerCase() === CI_ASSOCIATION_NAME.toLowerCase());
  if (!association)
    return {
      ...auth,
      dataFlows: false,
      reason: `no '${CI_ASSOCIATION_NAME}' data collection rule association on the cluster`,
    };
  const ruleId = association.properties.dataCollectionRuleId;
  const rule = ruleId ? store.rules.get(ruleId.toLowerCase()) : undefined;
  const linked = {
    ...auth,
    associationId: association.id,
    ...(ruleId ? { dataCollectionRuleId: ruleId } : {}),
  };
  if (!rule)
    return {
      ...linked,
      dataFlows: false,
      reason: `the associated data collection rule '${ruleId ?? ''}' does not exist`,
    };
  const problem = ruleProblem(rule, workspace);
  return problem
    ? { ...linked, dataFlows: false, reason: problem }
    : {
        ...linked,
        dataFlows: true,
        reason: 'extension Succeeded, rule sends Container insights streams to its workspace',
      };
}

/** Why the rule would not carry Container insights data to the workspace (undefined when it would). */
function ruleProblem(rule: DataCollectionRuleRecord, workspace: string): string | undefined {
  const p = rule.properties as Json;
  const sources = ((p.dataSources as Json | undefined)?.extensions ?? []) as Json[];
  const ci = sources.find((s) => String(s.extensionName) === 'ContainerInsights');
  if (!ci) return 'the rule has no ContainerInsights extension data source';
  const sourceStreams = new Set(
    ((ci.streams ?? []) as string[]).filter((s) => s.startsWith(CI_STREAM_PREFIX)),
  );
  if (sourceStreams.size === 0)
    return 'the ContainerInsights data source names no Microsoft-ContainerInsights-* stream';
  const logAnalytics = (((p.destinations as Json | undefined)?.logAnalytics ?? []) as Json[]).filter(
    (d) => String(d.workspaceResourceId).toLowerCase() === workspace.toLowerCase(),
  );
  if (logAnalytics.length === 0)
    return "no Log Analytics destination of the rule is the extension's workspace";
  const names = new Set(logAnalytics.map((d) => String(d.name)));
  const flows = (p.dataFlows ?? []) as Json[];
  const ok = flows.some(
    (f) =>
      ((f.streams ?? []) as string[]).some((s) => sourceStreams.has(s)) &&
      ((f.destinations ?? []) as string[]).some((d) => names.has(d)),
  );
  return ok ? undefined : "no data flow sends the ContainerInsights streams to the extension's workspace";
}

function usesManagedIdentity(ext: ExtensionRecord): boolean {
  // The CLI writes amalogs.useAADAuth=true when it is absent; absent counts as managed identity here too.
  const value =
    setting(ext.configurationSettings, 'amalogs.useAADAuth') ??
    setting(ext.configurationSettings, 'omsagent.useAADAuth');
  return value === undefined || value.toLowerCase() === 'true';
}

function hasProtected(ext: ExtensionRecord, suffix: string): boolean {
  return protectedValue(ext, suffix) !== '';
}

function protectedValue(ext: ExtensionRecord, suffix: string): string {
  for (const p of ['amalogs.', 'omsagent.']) {
    const v = ext.protectedSettings[`${p}${suffix}`] ?? '';
    if (v !== '') return v;
  }
  return '';
}

function setting(settings: Record<string, string>, key: string): string | undefined {
  const hit = Object.keys(settings).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : settings[hit];
}
