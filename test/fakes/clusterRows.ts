/**
 * Builders for the cluster-worker tests: a rollout with its policy snapshot and one cluster row, as
 * `createRollout` would store them, plus a store wrapper that "crashes" on a chosen write.
 */
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import type { PolicyInput } from '../../shared/domain/policy.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import type { HistoryEvent, RolloutClusterRecord, RolloutRecord } from '../../shared/domain/records.js';
import { unsureEvents } from '../../shared/domain/clusterHop/rowEvents.js';
import { loadRolloutClusters } from '../../shared/services/loadRolloutClusters.js';
import { rowHistoryEvents } from '../../shared/services/recordLastEvent.js';
import type { FakeDeps } from './fakeDeps.js';
import { MemoryRolloutStore } from './memoryStores.js';

export const WORKSPACE =
  '/subscriptions/6a1b2c3d-0000-4000-8000-00000000000a/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/ws1';
export const SECRET = 'S3cr3t-Value-Never-Logged';

export function testPolicy(over: Partial<PolicyInput> = {}) {
  return parsePolicy('prod', {
    osm: {
      version: '1.2.6',
      configurationSettings: { 'osm.osm.envoyLogLevel': 'warning' },
      configurationProtectedSettings: { 'osm.osm.secretThing': SECRET },
    },
    ...over,
  });
}

export function rolloutRecord(policy = testPolicy(), id = 'r1'): RolloutRecord {
  return {
    rollout: {
      id,
      policy: policy.name,
      state: 'Running',
      createdAt: '2026-11-25T09:00:00.000Z',
      waves: [{ name: 'all', maxParallel: 10, soakMinutes: 0 }],
      currentWave: 0,
      maxFailurePercent: 5,
    },
    policy,
    trigger: 'api',
    clusterCount: 1,
  };
}

/** A row as `createRollout` makes it and the reconcile dispatches it: InProgress at hop 0. */
export function clusterRow(c: ClusterInfo, over: Partial<RolloutClusterRecord> = {}): RolloutClusterRecord {
  const path = over.path ?? ['1.2.6'];
  return {
    rolloutId: 'r1',
    clusterId: c.id.toLowerCase(),
    clusterName: c.name,
    wave: 0,
    state: 'InProgress',
    plannedAction: 'install',
    extensionName: 'osm',
    distribution: c.distribution,
    from: null,
    to: path[path.length - 1] ?? '1.2.6',
    path,
    hop: 0,
    crdStepHops: [],
    approved: false,
    attempts: 0,
    reason: 'Dispatched',
    monitor: 'NotRequested',
    updatedAt: '2026-11-25T09:59:00.000Z',
    ...over,
  };
}

/** Seeds the fake ARM with the cluster and the store with the rollout and its row. */
export async function seed(
  deps: FakeDeps,
  c: ClusterInfo,
  row: Partial<RolloutClusterRecord> = {},
  policy = testPolicy(),
): Promise<RolloutClusterRecord> {
  deps.arm.addCluster(c);
  const r = clusterRow(c, row);
  await deps.rollouts.create(rolloutRecord(policy, r.rolloutId), [r]);
  return r;
}

/**
 * A rollout store whose `updateCluster` throws on the chosen call numbers: a plain Error (a dying process)
 * unless told otherwise (e.g. a ConcurrencyError: another writer got there first).
 */
export class CrashingRolloutStore extends MemoryRolloutStore {
  calls = 0;
  constructor(
    private readonly inner: MemoryRolloutStore,
    readonly crashOn: Set<number>,
    private readonly error: () => Error = () => new Error('worker died (simulated crash)'),
  ) {
    super();
  }
  override async create(...a: Parameters<MemoryRolloutStore['create']>) {
    return this.inner.create(...a);
  }
  override async get(id: string) {
    return this.inner.get(id);
  }
  override async getCluster(rolloutId: string, clusterId: string) {
    return this.inner.getCluster(rolloutId, clusterId);
  }
  /** true: the chosen writes land, then the process dies (before anything that follows the write). */
  afterWrite = false;
  override async updateCluster(...a: Parameters<MemoryRolloutStore['updateCluster']>) {
    if (!this.crashOn.has(++this.calls)) return this.inner.updateCluster(...a);
    if (this.afterWrite) await this.inner.updateCluster(...a);
    throw this.error();
  }
}

/**
 * Every event of a rollout's rows, wherever it is now: in history, or still in a row's outbox (`lastEvent`,
 * `heldEvents`: shared/domain/clusterHop/rowEvents.ts), each row's event once (by `seq`).
 */
export async function rolloutEvents(deps: FakeDeps, rolloutId: string): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  for (const { value: row } of await loadRolloutClusters(deps, rolloutId)) {
    const stored = deps.history.events.filter(
      (e) => e.rolloutId === rolloutId && e.clusterId.toLowerCase() === row.clusterId.toLowerCase(),
    );
    const seqs = new Set(stored.map((e) => e.seq));
    out.push(
      ...stored,
      ...rowHistoryEvents(
        row,
        unsureEvents(row).filter((e) => !seqs.has(e.seq)),
      ),
    );
  }
  return out;
}
