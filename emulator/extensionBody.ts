// The ARM representation of an extension and of an operation status resource.
import type { EmulatorConfig } from './emulatorConfig.js';
import type { ExtensionRecord, OperationRecord } from './emulatorState.js';

export function extensionBody(ext: ExtensionRecord, config: EmulatorConfig): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    extensionType: ext.extensionType,
    autoUpgradeMinorVersion: ext.autoUpgradeMinorVersion,
    releaseTrain: ext.releaseTrain,
    version: ext.version,
    scope: structuredClone(ext.scope),
    configurationSettings: { ...ext.configurationSettings },
    currentVersion: ext.currentVersion,
    provisioningState: ext.provisioningState,
    statuses: ext.statuses.map((s) => ({ ...s })),
    errorInfo: ext.errorInfo ? { ...ext.errorInfo } : null,
    customLocationSettings: null,
    packageUri: null,
    isSystemExtension: false,
  };
  if (config.failureModes.protectedKeysInResponse) {
    properties.configurationProtectedSettings = Object.fromEntries(
      Object.keys(ext.protectedSettings).map((k) => [k, '']),
    );
  }
  const body: Record<string, unknown> = {
    id: ext.id,
    name: ext.name,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    systemData: { ...ext.systemData },
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
