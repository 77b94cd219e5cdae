// Resource Graph row shapes built from ARM state: `resources` rows for connected clusters (camelCase ARM
// properties) and `kubernetesconfigurationresources` rows for extensions (PascalCase property keys, as the
// real table has them). ARG lower-cases `type`, `resourceGroup` and location names.
import type { GraphVersionProperty } from './emulatorConfig.js';
import type { ClusterRecord, ExtensionRecord } from './emulatorState.js';

export const EMULATOR_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export function clusterGraphRow(cluster: ClusterRecord): Record<string, unknown> {
  return {
    id: cluster.id,
    name: cluster.name,
    type: 'microsoft.kubernetes/connectedclusters',
    tenantId: EMULATOR_TENANT_ID,
    kind: cluster.kind ?? '',
    location: normalizeLocation(cluster.location),
    resourceGroup: cluster.resourceGroup.toLowerCase(),
    subscriptionId: cluster.subscriptionId,
    managedBy: '',
    sku: null,
    plan: null,
    properties: structuredClone(cluster.properties),
    tags: { ...cluster.tags },
    identity: { ...cluster.identity },
    zones: null,
    extendedLocation: null,
  };
}

/** `versionProperty`: the one key the running version is written under (config `graphVersionProperty`). */
export function extensionGraphRow(
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  versionProperty: GraphVersionProperty,
): Record<string, unknown> {
  const scope = ext.scope as {
    cluster?: { releaseNamespace?: string };
    namespace?: { targetNamespace?: string };
  };
  return {
    id: ext.id,
    name: ext.name,
    type: 'microsoft.kubernetesconfiguration/extensions',
    tenantId: EMULATOR_TENANT_ID,
    kind: '',
    location: '',
    resourceGroup: cluster.resourceGroup.toLowerCase(),
    subscriptionId: cluster.subscriptionId,
    managedBy: '',
    sku: null,
    plan: ext.plan ?? null,
    properties: {
      ExtensionType: ext.extensionType,
      AutoUpgradeMinorVersion: ext.autoUpgradeMinorVersion,
      ReleaseTrain: ext.releaseTrain,
      Version: ext.version,
      [versionProperty]: ext.currentVersion,
      Scope: scope.cluster
        ? { Cluster: { ReleaseNamespace: scope.cluster.releaseNamespace ?? '' } }
        : { Namespace: { TargetNamespace: scope.namespace?.targetNamespace ?? '' } },
      ConfigurationSettings: { ...ext.configurationSettings },
      ConfigurationProtectedSettings: Object.fromEntries(
        Object.keys(ext.protectedSettings).map((k) => [k, '']),
      ),
      ProvisioningState: ext.provisioningState,
      Statuses: ext.statuses.map((s) => ({
        Code: s.code,
        DisplayStatus: s.displayStatus,
        Level: s.level,
        Message: s.message,
        Time: s.time,
      })),
      ErrorInfo: ext.errorInfo ? { Code: ext.errorInfo.code, Message: ext.errorInfo.message } : null,
      CustomLocationSettings: null,
      PackageUri: null,
      IsSystemExtension: false,
    },
    tags: null,
    identity: ext.identity ?? null,
    zones: null,
    extendedLocation: null,
  };
}

export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}
