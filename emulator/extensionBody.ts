// The ARM representation of an extension and of an operation status resource.
import type { EmulatorConfig } from './emulatorConfig.js';
import type { ClusterRecord, ExtensionRecord, OperationRecord } from './emulatorState.js';

export function extensionBody(ext: ExtensionRecord, config: EmulatorConfig): Record<string, unknown> {
  // Shape as recorded from ARM (azure-cli-extensions k8s-extension test_k8s_extension.yaml, 2023-05-01):
  // `aksAssignedIdentity: null`, `configurationProtectedSettings: {}` when `{}` was sent (the spec examples
  // omit it otherwise), and no
  // `errorInfo` / `customLocationSettings` / `packageUri` keys while they are empty.
  const properties: Record<string, unknown> = {
    extensionType: ext.extensionType,
    autoUpgradeMinorVersion: ext.autoUpgradeMinorVersion,
    releaseTrain: ext.releaseTrain,
    version: ext.version,
    currentVersion: ext.currentVersion,
    scope: structuredClone(ext.scope),
    provisioningState: ext.provisioningState,
    configurationSettings: { ...ext.configurationSettings },
    statuses: ext.statuses.map((s) => ({ ...s })),
    aksAssignedIdentity: null,
    isSystemExtension: false,
  };
  if (ext.errorInfo) properties.errorInfo = { ...ext.errorInfo };
  const protectedKeys = Object.keys(ext.protectedSettings);
  if (protectedKeys.length === 0 && ext.protectedEchoEmpty) properties.configurationProtectedSettings = {};
  else if (config.failureModes.protectedKeysInResponse) {
    properties.configurationProtectedSettings = Object.fromEntries(protectedKeys.map((k) => [k, '']));
  }
  const body: Record<string, unknown> = {
    id: ext.id,
    name: ext.name,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    // The extensions RP leaves who-fields null (recorded); the timestamps are kept.
    systemData: {
      createdBy: null,
      createdByType: null,
      createdAt: ext.systemData.createdAt,
      lastModifiedBy: null,
      lastModifiedByType: null,
      lastModifiedAt: ext.systemData.lastModifiedAt,
    },
    properties,
  };
  if (ext.identity) body.identity = structuredClone(ext.identity);
  if (ext.plan) body.plan = structuredClone(ext.plan);
  return body;
}

export function operationBody(op: OperationRecord): Record<string, unknown> {
  return {
    id: op.id,
    name: op.name,
    status: op.status,
    properties: {},
    error: op.error ? structuredClone(op.error) : null,
  };
}

/** The recorded body of a `forceDelete=true` DELETE's 200: a serialized HttpResponseMessage. */
const FORCE_DELETE_BODY = {
  version: '1.1',
  content: { headers: [] },
  statusCode: 200,
  reasonPhrase: 'OK',
  headers: [],
  trailingHeaders: [],
  requestMessage: null,
  isSuccessStatusCode: true,
};

/** Where ARM's recorded 201 `Location` points: the resource on the regional RP host. */
export function regionalResourceUrl(cluster: ClusterRecord, ext: ExtensionRecord): string {
  const region = cluster.location.toLowerCase().replace(/\s+/g, '');
  const path = ext.id.replace(/\/connectedClusters\//i, '/ConnectedClusters/');
  return `https://${region}.rp.kubernetesconfiguration.azure.com${path}`;
}

export function forceDeleteBody(): Record<string, unknown> {
  return structuredClone(FORCE_DELETE_BODY);
}
