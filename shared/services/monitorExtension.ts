/**
 * The Azure Monitor Container insights extension body (vendor/reference/azure.md section I), pure. Managed-identity
 * (AAD) auth is the default, but it is not supported on OpenShift/ARO (vendor/reference/failure-modes.md 5): there
 * `amalogs.useAADAuth` is "false". A raw ARM PUT does not create the data collection rule the CLI creates;
 * that is infrastructure's job (the extension installs but sends no data without it).
 */
import type { ExtensionInfo } from '../domain/cluster.js';
import { MONITOR_EXTENSION_NAME, MONITOR_EXTENSION_TYPE } from '../domain/cluster.js';
import type { DesiredExtension } from '../domain/ports.js';
import { sameId } from '../domain/armId.js';
import { isOpenShift } from '../domain/supportedDistributions.js';

export const MONITOR_EXTENSION_TYPE_NAME = 'Microsoft.AzureMonitor.Containers';
export const WORKSPACE_SETTING = 'logAnalyticsWorkspaceResourceID';
export const AAD_AUTH_SETTING = 'amalogs.useAADAuth';

export function desiredMonitorExtension(workspaceId: string, distribution: string): DesiredExtension {
  const openShift = isOpenShift(distribution);
  return {
    extensionType: MONITOR_EXTENSION_TYPE_NAME,
    releaseTrain: 'Stable',
    autoUpgradeMinorVersion: true,
    releaseNamespace: MONITOR_EXTENSION_NAME,
    configurationSettings: {
      [WORKSPACE_SETTING]: workspaceId,
      [AAD_AUTH_SETTING]: openShift ? 'false' : 'true',
    },
    configurationProtectedSettings: {},
    identity: 'SystemAssigned',
  };
}

/** The extension is installed, provisioned, and sends to the wanted workspace with the wanted auth. */
export function monitorExtensionSatisfies(ext: ExtensionInfo | undefined, want: DesiredExtension): boolean {
  if (!ext || ext.extensionType.toLowerCase() !== MONITOR_EXTENSION_TYPE) return false;
  if (ext.provisioningState.toLowerCase() !== 'succeeded') return false;
  const have = ext.configurationSettings;
  const ws = have[WORKSPACE_SETTING] ?? have[WORKSPACE_SETTING.toLowerCase()] ?? '';
  return (
    sameId(ws, want.configurationSettings[WORKSPACE_SETTING] ?? '') &&
    (have[AAD_AUTH_SETTING] ?? '') === want.configurationSettings[AAD_AUTH_SETTING]
  );
}
