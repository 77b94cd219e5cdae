/**
 * The Resource Graph query of the fleet sweep: connected clusters (`Resources`) with their OSM and
 * Azure Monitor extensions (`KubernetesConfigurationResources`, joined leftouter, one row per
 * cluster × extension; a cluster without either extension yields one row with an empty `extensionId`).
 * Extension properties are matched through `parse_json(tolower(tostring(properties)))` because ARG
 * reports them with PascalCase keys; the raw `properties` bag is projected and read case-insensitively.
 * Every value placed into the query goes through kqlString.
 */
import { MONITOR_EXTENSION_TYPE, OSM_EXTENSION_TYPE } from '../domain/cluster.js';
import { kqlStringList } from './kqlEscape.js';
import { normalizeId } from '../domain/armId.js';

export const SWEPT_EXTENSION_TYPES: readonly string[] = [OSM_EXTENSION_TYPE, MONITOR_EXTENSION_TYPE];

/** Builds the sweep query; `clusterIds` (compared case-insensitively, as ARM does) narrows it. */
export function fleetQuery(clusterIds?: readonly string[]): string {
  const idFilter =
    clusterIds && clusterIds.length > 0
      ? `| where tolower(id) in ${kqlStringList(clusterIds.map((id) => normalizeId(id)))}\n`
      : '';
  return `Resources
| where type =~ 'microsoft.kubernetes/connectedclusters'
${idFilter}| extend clusterKey = tolower(id)
| project clusterKey, id, name, subscriptionId, resourceGroup, location, tags,
          distribution = tostring(properties.distribution),
          infrastructure = tostring(properties.infrastructure),
          kubernetesVersion = tostring(properties.kubernetesVersion),
          connectivityStatus = tostring(properties.connectivityStatus)
| join kind=leftouter (
    KubernetesConfigurationResources
    | where type =~ 'microsoft.kubernetesconfiguration/extensions'
    | extend p = parse_json(tolower(tostring(properties)))
    | where tostring(p.extensiontype) in ${kqlStringList(SWEPT_EXTENSION_TYPES)}
    | parse tolower(id) with clusterKey '/providers/microsoft.kubernetesconfiguration/extensions/' *
    | project clusterKey, extensionId = id, extensionName = name, extensionProperties = properties
  ) on clusterKey
| project-away clusterKey, clusterKey1
| order by id asc, extensionId asc`;
}
