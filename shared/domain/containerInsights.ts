/**
 * Container insights with managed-identity auth, pure: the data collection rule (DCR) and the association
 * (DCRA) the agents need before they send anything, named and shaped as Microsoft's own onboarding does
 * (azure-cli-extensions `src/k8s-extension/azext_k8s_extension/partner_extensions/ContainerInsights.py`,
 * `_ensure_container_insights_dcr_for_monitoring`; microsoft/Docker-Provider
 * `scripts/onboarding/templates/arc-k8s-extension-msi-auth/existingClusterOnboarding.json`):
 * - one rule per cluster and workspace region, `MSCI-{workspaceRegion}-{clusterName}` cut to 64 characters,
 *   in the cluster's subscription and resource group, located in the workspace's region;
 * - an association named `ContainerInsightsExtension` on the connected cluster pointing at that rule.
 * Microsoft.Insights api-version 2022-06-01 (the version both sources use).
 */
import type { ClusterRef } from './armId.js';

export const DCR_API_VERSION = '2022-06-01';
export const CONTAINER_INSIGHTS_ASSOCIATION = 'ContainerInsightsExtension';
export const CONTAINER_INSIGHTS_DATA_SOURCE = 'ContainerInsightsExtension';
export const CONTAINER_INSIGHTS_EXTENSION_NAME = 'ContainerInsights';
export const CONTAINER_INSIGHTS_STREAM = 'Microsoft-ContainerInsights-Group-Default';
/** The destination's name inside the rule (the CLI's `la-workspace`). */
export const WORKSPACE_DESTINATION = 'la-workspace';
export const ASSOCIATION_DESCRIPTION = 'routes monitoring data to a Log Analytics workspace';
const MAX_RULE_NAME = 64;

/** What osm-fleet reads of a Log Analytics workspace: where it is and its customer ID (`amalogs.secret.wsid`). */
export interface LogAnalyticsWorkspace {
  id: string;
  location: string;
  customerId: string;
}

export interface DataCollectionRule {
  id: string;
  location: string;
  kind?: string;
  tags: Readonly<Record<string, string>>;
  extensions: readonly {
    name: string;
    extensionName: string;
    streams: readonly string[];
    extensionSettings?: unknown;
  }[];
  logAnalytics: readonly { name: string; workspaceResourceId: string }[];
  dataFlows: readonly { streams: readonly string[]; destinations: readonly string[] }[];
}

export interface DataCollectionRuleAssociation {
  id: string;
  dataCollectionRuleId?: string;
  description?: string;
}

/** `East US` and `eastus` are the same region; ARM answers either. */
export function regionKey(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

export function dataCollectionRuleName(workspaceLocation: string, clusterName: string): string {
  return `MSCI-${regionKey(workspaceLocation)}-${clusterName}`.slice(0, MAX_RULE_NAME);
}

export function dataCollectionRuleId(cluster: ClusterRef, workspaceLocation: string): string {
  const name = dataCollectionRuleName(workspaceLocation, cluster.name);
  return `/subscriptions/${cluster.subscriptionId}/resourceGroups/${cluster.resourceGroup}/providers/Microsoft.Insights/dataCollectionRules/${name}`;
}

/** The rule sending the Container insights streams to the workspace; tags already on the rule are kept. */
export function desiredDataCollectionRule(
  ruleId: string,
  workspace: LogAnalyticsWorkspace,
  existingTags: Readonly<Record<string, string>> = {},
): DataCollectionRule {
  return {
    id: ruleId,
    location: regionKey(workspace.location),
    kind: 'Linux',
    tags: { ...existingTags },
    extensions: [
      {
        name: CONTAINER_INSIGHTS_DATA_SOURCE,
        extensionName: CONTAINER_INSIGHTS_EXTENSION_NAME,
        streams: [CONTAINER_INSIGHTS_STREAM],
        extensionSettings: {},
      },
    ],
    logAnalytics: [{ name: WORKSPACE_DESTINATION, workspaceResourceId: workspace.id }],
    dataFlows: [{ streams: [CONTAINER_INSIGHTS_STREAM], destinations: [WORKSPACE_DESTINATION] }],
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The rule feeds Container insights into the workspace: a ContainerInsights extension data source, a
 * Log Analytics destination naming the workspace, and a data flow of the Container insights streams to it.
 */
export function ruleSendsTo(rule: DataCollectionRule | undefined, workspaceId: string): boolean {
  if (!rule) return false;
  const source = rule.extensions.find((e) => same(e.extensionName, CONTAINER_INSIGHTS_EXTENSION_NAME));
  if (!source) return false;
  const dest = rule.logAnalytics.filter((d) => same(d.workspaceResourceId, workspaceId)).map((d) => d.name);
  return rule.dataFlows.some(
    (f) =>
      f.destinations.some((d) => dest.includes(d)) &&
      source.streams.every((s) => f.streams.some((t) => same(s, t))),
  );
}

export function associationPointsTo(
  association: DataCollectionRuleAssociation | undefined,
  ruleId: string,
): boolean {
  return !!association?.dataCollectionRuleId && same(association.dataCollectionRuleId, ruleId);
}
