/** Text for clusters: the fleet table and one cluster with its history. */
import { shortId } from '../clusterRef.js';
import type { ClusterView, HistoryEvent } from '../types.js';
import { fromTo, keyValues, table, when } from './table.js';

export function clusterTable(items: ClusterView[]): string {
  return table(
    ['CLUSTER', 'CONNECTIVITY', 'DISTRIBUTION', 'OSM', 'POLICIES'],
    items.map((c) => [
      shortId(c.id),
      c.removedAt ? 'Removed' : c.connectivity,
      c.distribution,
      c.osm
        ? `${c.osm.version}${c.osm.provisioningState === 'Succeeded' ? '' : ` (${c.osm.provisioningState})`}`
        : '-',
      (c.policies ?? []).join(','),
    ]),
  );
}

export function clusterText(c: ClusterView, history: HistoryEvent[], more: boolean): string {
  const settings = Object.entries(c.osm?.settings ?? {}).map(([k, v]) => `${k}=${v}`);
  const head = keyValues([
    ['id', c.id],
    ['connectivity', c.removedAt ? `Removed at ${when(c.removedAt)}` : c.connectivity],
    ['distribution', c.distribution],
    ['location', c.location],
    [
      'tags',
      Object.entries(c.tags ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    [
      'osm',
      c.osm
        ? `${c.osm.version} (extension ${c.osm.name}, ${c.osm.provisioningState ?? '?'})`
        : 'not installed',
    ],
    ['settings', settings.join(', ')],
    ['monitor', c.monitor?.installed ? 'installed' : 'not installed'],
    ['policies', (c.policies ?? []).join(', ')],
    ['discovered', when(c.discoveredAt)],
  ]);
  const events = history.length
    ? table(
        ['AT', 'ACTOR', 'ACTION', 'RESULT', 'FROM -> TO', 'MESSAGE'],
        history.map((e) => [
          when(e.at),
          e.actor,
          e.action,
          e.result,
          fromTo(e.from, e.to),
          e.message ?? e.reason,
        ]),
      )
    : 'no events';
  return `${head}\n\nhistory (newest first):\n${events}${more ? '\n(older events: --history N or --all)' : ''}`;
}
