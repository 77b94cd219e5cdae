// Synchronous validation of extension PUT/PATCH bodies (400s, as ARM answers them) and the outcome of an
// extension operation once the agent "runs" it (OSM upgrade rules, CRD step, OpenShift, lingering namespace).
import { badRequest } from './armError.js';
import type { ClusterRecord, ExtensionRecord } from './emulatorState.js';
import { OSM_EXTENSION_TYPE, OSM_LATEST, chartDefaults } from './osmCatalog.js';

export const MONITOR_EXTENSION_TYPE = 'microsoft.azuremonitor.containers';

export interface DesiredExtension {
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  version: string | null;
  scope: Record<string, unknown>;
  configurationSettings: Record<string, string>;
  protectedSettings: Record<string, string>;
  /** The settings this operation sent (what the release will run with, over chart defaults). */
  sentSettings: Record<string, string>;
  identity?: Record<string, unknown>;
  plan?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

export function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest('InvalidRequestContent', `'${field}' must be an object.`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw badRequest('InvalidRequestContent', `The value of '${field}.${k}' must be a string.`);
    }
  }
  return { ...(value as Record<string, string>) };
}

/** Validate a PUT body against the existing extension (if any) and the cluster's other extensions. */
export function desiredFromPut(
  body: unknown,
  cluster: ClusterRecord,
  name: string,
  existing?: ExtensionRecord,
): DesiredExtension {
  if (!body || typeof body !== 'object')
    throw badRequest('InvalidRequestContent', 'The request content was invalid.');
  const b = body as Json;
  const p = (b.properties ?? {}) as Json;
  if (typeof p.extensionType !== 'string' || p.extensionType === '') {
    throw badRequest('InvalidRequestContent', "The property 'extensionType' is required.");
  }
  const extensionType = p.extensionType.toLowerCase();
  if (existing && existing.extensionType !== extensionType) {
    throw badRequest(
      'InvalidRequestContent',
      "The property 'extensionType' cannot be changed on an existing extension.",
    );
  }
  const scope = (p.scope ?? { cluster: { releaseNamespace: name } }) as Json;
  if (scope.cluster && scope.namespace) {
    throw badRequest('InvalidRequestContent', "Scope must be either 'cluster' or 'namespace', not both.");
  }
  const sent = stringMap(p.configurationSettings, 'configurationSettings') ?? {};
  const desired: DesiredExtension = {
    extensionType,
    autoUpgradeMinorVersion:
      p.autoUpgradeMinorVersion === undefined ? true : p.autoUpgradeMinorVersion === true,
    releaseTrain: typeof p.releaseTrain === 'string' ? p.releaseTrain : 'Stable',
    version: typeof p.version === 'string' ? p.version : null,
    scope: scope.cluster
      ? { cluster: { releaseNamespace: (scope.cluster as Json).releaseNamespace ?? name } }
      : scope,
    configurationSettings: sent,
    protectedSettings: stringMap(p.configurationProtectedSettings, 'configurationProtectedSettings') ?? {},
    sentSettings: sent,
  };
  if (b.identity && typeof b.identity === 'object') desired.identity = b.identity as Json;
  if (b.plan && typeof b.plan === 'object') desired.plan = b.plan as Json;
  validateDesired(desired, cluster, name);
  return desired;
}

/** Apply a PATCH (only the patchable fields) to an existing extension. */
export function desiredFromPatch(
  body: unknown,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
): DesiredExtension {
  if (!body || typeof body !== 'object')
    throw badRequest('InvalidRequestContent', 'The request content was invalid.');
  const b = body as Json;
  if (b.identity !== undefined)
    throw badRequest('InvalidRequestContent', "The property 'identity' cannot be patched.");
  const p = (b.properties ?? {}) as Json;
  for (const key of Object.keys(p)) {
    const patchable = [
      'autoUpgradeMinorVersion',
      'releaseTrain',
      'version',
      'configurationSettings',
      'configurationProtectedSettings',
      'autoUpgradeMode',
    ];
    if (!patchable.includes(key))
      throw badRequest('InvalidRequestContent', `The property '${key}' cannot be patched.`);
  }
  // JSON merge-patch: a key set to null is removed from the stored settings.
  const [sent, removed] = splitNulls(p.configurationSettings, 'configurationSettings');
  const [sentProtected, removedProtected] = splitNulls(
    p.configurationProtectedSettings,
    'configurationProtectedSettings',
  );
  const desired: DesiredExtension = {
    extensionType: ext.extensionType,
    autoUpgradeMinorVersion:
      typeof p.autoUpgradeMinorVersion === 'boolean'
        ? p.autoUpgradeMinorVersion
        : ext.autoUpgradeMinorVersion,
    releaseTrain: typeof p.releaseTrain === 'string' ? p.releaseTrain : ext.releaseTrain,
    version: p.version === undefined ? ext.version : typeof p.version === 'string' ? p.version : null,
    scope: ext.scope,
    configurationSettings: without({ ...ext.configurationSettings, ...(sent ?? {}) }, removed),
    protectedSettings: without({ ...ext.protectedSettings, ...(sentProtected ?? {}) }, removedProtected),
    sentSettings: sent ?? {},
  };
  validateDesired(desired, cluster, ext.name);
  return desired;
}

function splitNulls(value: unknown, field: string): [Record<string, string> | undefined, string[]] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [stringMap(value, field), []];
  const entries = Object.entries(value as Record<string, unknown>);
  const removed = entries.filter(([, v]) => v === null).map(([k]) => k);
  return [stringMap(Object.fromEntries(entries.filter(([, v]) => v !== null)), field), removed];
}

function without(map: Record<string, string>, keys: string[]): Record<string, string> {
  for (const k of keys) delete map[k];
  return map;
}

function validateDesired(d: DesiredExtension, cluster: ClusterRecord, name: string): void {
  if (d.version !== null && d.autoUpgradeMinorVersion) {
    throw badRequest('InvalidRequestContent', "To use 'version', autoUpgradeMinorVersion must be 'false'.");
  }
  const train = d.releaseTrain.toLowerCase();
  if ((train === 'pilot' || train === 'staging') && d.version === null) {
    throw badRequest(
      'InvalidRequestContent',
      `A version must be specified when using the '${d.releaseTrain}' release train.`,
    );
  }
  if (d.extensionType === OSM_EXTENSION_TYPE) {
    if (!d.scope.cluster)
      throw badRequest('InvalidRequestContent', 'Open Service Mesh supports only cluster scope.');
    for (const other of cluster.extensions.values()) {
      if (other.extensionType === OSM_EXTENSION_TYPE && other.name.toLowerCase() !== name.toLowerCase()) {
        throw badRequest(
          'ExtensionTypeInstanceAlreadyExists',
          `Only one instance of extension type '${OSM_EXTENSION_TYPE}' may exist on a cluster; ` +
            `extension '${other.name}' of this type is already installed on cluster '${cluster.name}'.`,
        );
      }
    }
  }
  if (d.extensionType === MONITOR_EXTENSION_TYPE) {
    const key = Object.keys(d.configurationSettings).find(
      (k) => k.toLowerCase() === 'loganalyticsworkspaceresourceid',
    );
    if (!key || !d.configurationSettings[key]) {
      throw badRequest(
        'InvalidRequestContent',
        "The configuration setting 'logAnalyticsWorkspaceResourceID' is required for extension type 'microsoft.azuremonitor.containers'.",
      );
    }
  }
}

/** The version an operation installs: the pinned one, else the current one, else the latest. */
export function targetVersion(d: DesiredExtension, ext: ExtensionRecord | undefined): string {
  if (d.version) return d.version;
  if (ext?.currentVersion) return ext.currentVersion;
  return d.extensionType === OSM_EXTENSION_TYPE ? OSM_LATEST : '1.0.0';
}

export function runningSettingsFor(
  extensionType: string,
  version: string,
  sent: Record<string, string>,
): Record<string, string> {
  const defaults = extensionType === OSM_EXTENSION_TYPE ? chartDefaults(version) : {};
  return { ...defaults, ...sent };
}
