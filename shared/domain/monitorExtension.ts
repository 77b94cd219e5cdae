/**
 * The Azure Monitor Container insights extension body, pure, with the settings Microsoft's own onboarding
 * sends under managed-identity auth (azure-cli-extensions `.../partner_extensions/ContainerInsights.py`,
 * `_get_container_insights_settings`; Docker-Provider `arc-k8s-extension-msi-auth/existingClusterOnboarding.json`;
 * vendor/reference/azure.md section I):
 * - `logAnalyticsWorkspaceResourceID` (the workspace's ARM ID) and `amalogs.useAADAuth: "true"`;
 * - protected: `amalogs.secret.wsid` = the workspace's customer ID (the CLI also sets `omsagent.secret.wsid`
 *   "for compatibility", the agent's former name), and `amalogs.secret.key` / `omsagent.secret.key` =
 *   `<not_used>` (the CLI's value: no workspace key under managed-identity auth; nothing secret).
 * The agents send nothing until the cluster's data collection rule association exists (ensureDataCollection.ts).
 * OpenShift is refused (`monitorUnsupportedReason`): see docs/operations.md, "Azure Monitor onboarding".
 */
import type { ExtensionInfo } from './cluster.js';
import { MONITOR_EXTENSION_NAME, MONITOR_EXTENSION_TYPE } from './cluster.js';
import type { LogAnalyticsWorkspace } from './containerInsights.js';
import type { DesiredExtension } from './ports.js';
import { sameId } from './armId.js';
import { isOpenShift } from './supportedDistributions.js';

export const MONITOR_EXTENSION_TYPE_NAME = 'Microsoft.AzureMonitor.Containers';
export const WORKSPACE_SETTING = 'logAnalyticsWorkspaceResourceID';
export const AAD_AUTH_SETTING = 'amalogs.useAADAuth';
/** The CLI's placeholder for the workspace key under managed-identity auth. */
export const KEY_NOT_USED = '<not_used>';

export function desiredMonitorExtension(workspace: LogAnalyticsWorkspace): DesiredExtension {
  return {
    extensionType: MONITOR_EXTENSION_TYPE_NAME,
    releaseTrain: 'Stable',
    autoUpgradeMinorVersion: true,
    releaseNamespace: MONITOR_EXTENSION_NAME,
    configurationSettings: {
      [WORKSPACE_SETTING]: workspace.id,
      [AAD_AUTH_SETTING]: 'true',
    },
    configurationProtectedSettings: {
      'amalogs.secret.wsid': workspace.customerId,
      'omsagent.secret.wsid': workspace.customerId,
      'amalogs.secret.key': KEY_NOT_USED,
      'omsagent.secret.key': KEY_NOT_USED,
    },
    identity: 'SystemAssigned',
  };
}

/**
 * Why Container insights is not onboarded on this distribution, or undefined. OpenShift: managed-identity
 * auth (and so the data collection rule path) is not supported there (vendor/reference/failure-modes.md
 * section 5, from the Container insights enable doc: use `amalogs.useAADAuth=false` on ARO/OpenShift; the
 * msi-adapter needs NET_ADMIN, which OpenShift's SCC blocks, microsoft/Docker-Provider PR #1511); the only other path is the legacy
 * workspace-key auth, which needs the workspace's shared key (a secret osm-fleet would read with a role
 * that can read keys, and place in extension settings) and a workspace with local auth enabled.
 */
export function monitorUnsupportedReason(distribution: string): string | undefined {
  if (!isOpenShift(distribution)) return undefined;
  return (
    'Container insights with managed-identity auth is not supported on OpenShift, and osm-fleet does not ' +
    'use the workspace-key alternative (it would read and hand out the workspace shared key); onboard ' +
    'this cluster by hand (docs/operations.md, Azure Monitor onboarding)'
  );
}

/** The extension is installed, provisioned, and sends to the wanted workspace with managed-identity auth. */
export function monitorExtensionSatisfies(ext: ExtensionInfo | undefined, want: DesiredExtension): boolean {
  if (!ext || ext.extensionType.toLowerCase() !== MONITOR_EXTENSION_TYPE) return false;
  if (ext.provisioningState.toLowerCase() !== 'succeeded') return false;
  const have = ext.configurationSettings;
  const ws = have[WORKSPACE_SETTING] ?? have[WORKSPACE_SETTING.toLowerCase()] ?? '';
  return (
    sameId(ws, want.configurationSettings[WORKSPACE_SETTING] ?? '') &&
    (have[AAD_AUTH_SETTING] ?? '').toLowerCase() === want.configurationSettings[AAD_AUTH_SETTING]
  );
}
