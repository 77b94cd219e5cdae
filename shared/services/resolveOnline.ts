/**
 * Which clusters of a rollout count as online for `advance`. Only Pending and Deferred rows of the waves
 * reached so far matter (advance ignores connectivity elsewhere), so only those are looked up:
 * - with a connectivity map (the timer's fresh sweep): `Connected` is online; a cluster the sweep did not
 *   return falls back to the inventory (removed or not Connected = offline), then to online;
 * - without one (a slot freed between timer runs): Deferred rows read the inventory's last known
 *   connectivity (Event Grid keeps it fresher than the last sweep); Pending rows are taken as online
 *   without a read, so that a freed slot costs no read per waiting cluster: the last sweep already
 *   deferred the offline ones, and a worker that finds its cluster offline defers it itself.
 */
import type { RolloutClusterRecord, Versioned } from '../domain/records.js';
import type { Rollout } from '../domain/rolloutState.js';
import type { ServiceDeps } from './serviceDeps.js';
import { normalizeId } from '../domain/armId.js';

const READS_AT_ONCE = 25;

export async function resolveOnline(
  deps: Pick<ServiceDeps, 'inventory'>,
  rollout: Rollout,
  rows: readonly Versioned<RolloutClusterRecord>[],
  connectivity?: ReadonlyMap<string, string>,
): Promise<Map<string, boolean>> {
  const online = new Map<string, boolean>();
  const toRead: string[] = [];
  for (const { value: row } of rows) {
    const id = normalizeId(row.clusterId);
    const matters = row.wave <= rollout.currentWave && (row.state === 'Pending' || row.state === 'Deferred');
    if (!matters) online.set(id, true);
    else if (connectivity?.has(id)) online.set(id, connectivity.get(id) === 'Connected');
    else if (!connectivity && row.state === 'Pending') online.set(id, true);
    else toRead.push(id);
  }
  for (let i = 0; i < toRead.length; i += READS_AT_ONCE) {
    const chunk = toRead.slice(i, i + READS_AT_ONCE);
    const found = await Promise.all(chunk.map((id) => deps.inventory.get(id)));
    chunk.forEach((id, k) => {
      const record = found[k]?.value;
      online.set(id, !record || (!record.removedAt && record.cluster.connectivity === 'Connected'));
    });
  }
  return online;
}
