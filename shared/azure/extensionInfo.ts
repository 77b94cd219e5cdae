/**
 * Mapping ARM and Resource Graph shapes to the domain's ExtensionInfo / ClusterInfo. Protected settings
 * are never read. Resource Graph reports extension properties with PascalCase keys, ARM with camelCase:
 * graph bags are read case-insensitively.
 */
import type { Extension } from '@azure/arm-kubernetesconfiguration';
import { parseClusterId } from '../domain/armId.js';
import type { ClusterInfo, ExtensionInfo } from '../domain/cluster.js';

type Bag = Readonly<Record<string, unknown>>;

export function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property of a bag whatever the case of its key. */
export function prop(bag: Bag | undefined, key: string): unknown {
  if (!bag) return undefined;
  if (key in bag) return bag[key];
  const lower = key.toLowerCase();
  const found = Object.keys(bag).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : bag[found];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function stringMap(value: unknown): Record<string, string> {
  if (!isBag(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

/**
 * The extension's own account of a failure: `errorInfo` (the agent's error), else the first `statuses`
 * entry at level Error. Read from ARM (camelCase) and Resource Graph (PascalCase) bodies alike.
 */
export function extensionError(errorInfo: unknown, statuses: unknown): ExtensionInfo['error'] {
  const info = isBag(errorInfo) ? errorInfo : undefined;
  const infoCode = str(prop(info, 'code'));
  const infoMessage = str(prop(info, 'message'));
  if (infoCode || infoMessage)
    return { code: infoCode ?? 'ExtensionError', message: infoMessage ?? infoCode ?? '' };
  const list = Array.isArray(statuses) ? statuses.filter(isBag) : [];
  const failed = list.find((s) => str(prop(s, 'level'))?.toLowerCase() === 'error');
  const message = str(prop(failed, 'message'));
  if (!failed || !message) return undefined;
  return { code: str(prop(failed, 'code')) ?? 'ExtensionError', message };
}

/** An extension as ARM (the kubernetesconfiguration SDK) returns it. */
export function extensionFromArm(e: Extension): ExtensionInfo {
  const error = extensionError(e.errorInfo, e.statuses);
  return {
    name: e.name ?? '',
    extensionType: e.extensionType ?? '',
    version: e.currentVersion ?? e.version ?? null,
    provisioningState: e.provisioningState ?? 'Unknown',
    ...(e.releaseTrain !== undefined ? { releaseTrain: e.releaseTrain } : {}),
    ...(e.autoUpgradeMinorVersion !== undefined
      ? { autoUpgradeMinorVersion: e.autoUpgradeMinorVersion }
      : {}),
    configurationSettings: { ...(e.configurationSettings ?? {}) },
    ...(error ? { error } : {}),
  };
}

/** An extension as a Resource Graph row shows it (`properties` of KubernetesConfigurationResources). */
export function extensionFromGraph(name: string, properties: unknown): ExtensionInfo {
  const p = isBag(properties) ? properties : undefined;
  const releaseTrain = str(prop(p, 'releaseTrain'));
  const autoUpgrade = bool(prop(p, 'autoUpgradeMinorVersion'));
  const error = extensionError(prop(p, 'errorInfo'), prop(p, 'statuses'));
  return {
    name,
    extensionType: str(prop(p, 'extensionType')) ?? '',
    // The running version: ARG's key for it is not documented (CurrentVersion or InstalledVersion, see
    // docs/emulator.md ledger), so both are read; `version` (the requested one) is the last resort.
    version:
      str(prop(p, 'currentVersion')) ?? str(prop(p, 'installedVersion')) ?? str(prop(p, 'version')) ?? null,
    provisioningState: str(prop(p, 'provisioningState')) ?? 'Unknown',
    ...(releaseTrain !== undefined ? { releaseTrain } : {}),
    ...(autoUpgrade !== undefined ? { autoUpgradeMinorVersion: autoUpgrade } : {}),
    configurationSettings: stringMap(prop(p, 'configurationSettings')),
    ...(error ? { error } : {}),
  };
}

export interface ClusterFields {
  id: string;
  name?: string;
  subscriptionId?: string;
  resourceGroup?: string;
  location?: string;
  tags?: unknown;
  distribution?: string;
  infrastructure?: string;
  kubernetesVersion?: string;
  connectivityStatus?: string;
  /** `systemData.createdAt` (ARM only). */
  createdAt?: string;
}

/** A ClusterInfo from a cluster's fields; the id is kept as given, its parts taken from it when possible. */
export function clusterInfo(f: ClusterFields, extensions: readonly ExtensionInfo[]): ClusterInfo {
  const ref = parseClusterId(f.id);
  return {
    id: f.id,
    name: ref?.name ?? f.name ?? '',
    subscriptionId: ref?.subscriptionId ?? f.subscriptionId ?? '',
    resourceGroup: ref?.resourceGroup ?? f.resourceGroup ?? '',
    location: f.location ?? '',
    distribution: f.distribution ?? '',
    ...(f.infrastructure ? { infrastructure: f.infrastructure } : {}),
    ...(f.kubernetesVersion ? { kubernetesVersion: f.kubernetesVersion } : {}),
    connectivity: f.connectivityStatus ?? 'Unknown',
    tags: stringMap(f.tags),
    extensions,
    ...(f.createdAt ? { createdAt: f.createdAt } : {}),
  };
}

/** A connected cluster as ARM's GET returns it (2024-01-01 body). */
export function clusterFromArm(body: unknown, extensions: readonly ExtensionInfo[] = []): ClusterInfo {
  const b = isBag(body) ? body : {};
  const p = isBag(b.properties) ? b.properties : undefined;
  const fields: ClusterFields = { id: str(b.id) ?? '', tags: b.tags };
  const systemData = isBag(b.systemData) ? b.systemData : undefined;
  const pick = {
    name: str(b.name),
    location: str(b.location),
    createdAt: str(prop(systemData, 'createdAt')),
  };
  const props = {
    distribution: str(prop(p, 'distribution')),
    infrastructure: str(prop(p, 'infrastructure')),
    kubernetesVersion: str(prop(p, 'kubernetesVersion')),
    connectivityStatus: str(prop(p, 'connectivityStatus')),
  };
  for (const [k, v] of Object.entries({ ...pick, ...props }))
    if (v !== undefined) (fields as unknown as Record<string, string>)[k] = v;
  return clusterInfo(fields, extensions);
}
