/**
 * Everything a hostile request could change, read through the stores and the emulator: policies, rollouts
 * and their cluster rows, inventory, every cluster's history (ETags included, so a rewrite of the same value
 * shows), and the emulator's extension PUT/DELETE counts. Keys name the record so a diff says what moved.
 */
import type { Page, PageRequest } from '../../../shared/domain/records.js';
import type { FleetStack } from '../../support/fleetStack.js';

export type Snapshot = Map<string, string>;

async function all<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await list({ top: 1000, ...(token ? { continuationToken: token } : {}) });
    out.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return out;
}

export async function snapshotState(stack: FleetStack): Promise<Snapshot> {
  const { policies, rollouts, inventory, history } = stack.app.deps;
  const snap: Snapshot = new Map();
  for (const p of await all((pg) => policies.list(pg)))
    snap.set(`policy:${p.value.policy.name}`, JSON.stringify(p));
  for (const r of await all((pg) => rollouts.list(pg))) {
    const id = r.value.rollout.id;
    snap.set(`rollout:${id}`, JSON.stringify(r));
    for (const row of await all((pg) => rollouts.listClusters(id, undefined, pg)))
      snap.set(`rollout:${id}:row:${row.value.clusterId}`, JSON.stringify(row));
  }
  for (const c of await all((pg) => inventory.list(undefined, pg))) {
    const id = c.cluster.id.toLowerCase();
    snap.set(`inventory:${id}`, JSON.stringify(c));
    snap.set(`history:${id}`, JSON.stringify(await all((pg) => history.list(id, pg))));
  }
  const stats = await stack.control.stats();
  snap.set('emulator:puts', JSON.stringify(stats.putsPerExtension));
  snap.set('emulator:operations', String(stats.operationsStarted));
  snap.set('emulator:clusters', String(stats.clusters));
  return snap;
}

/** Keys added, removed or changed between two snapshots. */
export function changedKeys(before: Snapshot, after: Snapshot): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}
