/** What discovery tells us about a cluster and the extensions on it (as Resource Graph / ARM report them). */

export const OSM_EXTENSION_TYPE = 'microsoft.openservicemesh';
export const MONITOR_EXTENSION_TYPE = 'microsoft.azuremonitor.containers';
/** The name osm-fleet gives an OSM extension it creates; an existing one keeps its own name. */
export const DEFAULT_OSM_EXTENSION_NAME = 'osm';
export const OSM_RELEASE_NAMESPACE = 'arc-osm-system';
export const MONITOR_EXTENSION_NAME = 'azuremonitor-containers';

export type Connectivity = 'Connecting' | 'Connected' | 'Offline' | 'Expired' | 'AgentNotInstalled';

export interface ExtensionInfo {
  /** The extension's name on the cluster (an OSM installed by hand may be called anything). */
  name: string;
  /** As ARM returns it; compare case-insensitively. */
  extensionType: string;
  /** The version running (`currentVersion`), or the pinned `version` when ARM has not reported one yet. */
  version: string | null;
  provisioningState: string;
  releaseTrain?: string;
  autoUpgradeMinorVersion?: boolean;
  configurationSettings: Readonly<Record<string, string>>;
  /**
   * What the extension itself says went wrong, in ARM's words: its `errorInfo` (code and message), else the
   * first error-level entry of its `statuses`. Absent when the extension reports no error.
   */
  error?: { code: string; message: string };
}

export interface ClusterInfo {
  /** Full ARM resource ID, in whatever case ARM returned it. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  distribution: string;
  infrastructure?: string;
  kubernetesVersion?: string;
  /** `connectivityStatus`; the API stores any string, so unknown values are kept as they come. */
  connectivity: Connectivity | (string & {});
  tags: Readonly<Record<string, string>>;
  extensions: readonly ExtensionInfo[];
  /** ARM's `systemData.createdAt` of the connectedClusters resource, where the source reports it (ARM GET). */
  createdAt?: string;
}

export function isOsmExtension(e: ExtensionInfo): boolean {
  return e.extensionType.toLowerCase() === OSM_EXTENSION_TYPE;
}

export function isMonitorExtension(e: ExtensionInfo): boolean {
  return e.extensionType.toLowerCase() === MONITOR_EXTENSION_TYPE;
}

/** Every OSM extension on the cluster, whatever its name (there should be at most one). */
export function osmExtensions(c: ClusterInfo): ExtensionInfo[] {
  return c.extensions.filter(isOsmExtension);
}
