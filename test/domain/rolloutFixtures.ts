// Builders shared by the rollout state machine tests.
import type {
  ClusterState,
  Rollout,
  RolloutAction,
  RolloutClusterView,
  WaveSpec,
} from '../../shared/domain/rolloutState.js';

/** Saturday 2024-06-01 03:00 UTC. */
export const T0 = new Date('2024-06-01T03:00:00Z');

export const minutes = (d: Date, m: number): Date => new Date(d.getTime() + m * 60_000);

export function wave(name: string, maxParallel: number, soakMinutes = 0): WaveSpec {
  return { name, maxParallel, soakMinutes };
}

export function makeRollout(over: Partial<Rollout> = {}): Rollout {
  return {
    id: 'r1',
    policy: 'prod',
    state: 'Running',
    createdAt: '2024-06-01T00:00:00.000Z',
    startedAt: '2024-06-01T00:00:00.000Z',
    waves: [wave('canary', 2, 30), wave('rest', 3)],
    currentWave: 0,
    maxFailurePercent: 5,
    ...over,
  };
}

export function cl(
  id: string,
  w: number,
  state: ClusterState = 'Pending',
  online = true,
): RolloutClusterView {
  return { id, wave: w, state, online };
}

/** `n` clusters `prefix-00`.. in wave `w`. */
export function many(
  prefix: string,
  w: number,
  n: number,
  state: ClusterState = 'Pending',
): RolloutClusterView[] {
  return Array.from({ length: n }, (_, i) => cl(`${prefix}-${String(i).padStart(2, '0')}`, w, state));
}

/** What the caller does with the actions: dispatched -> InProgress, defer -> Deferred, undefer -> Pending. */
export function applyActions(
  clusters: readonly RolloutClusterView[],
  actions: readonly RolloutAction[],
): RolloutClusterView[] {
  const next = new Map<string, ClusterState>();
  for (const a of actions) {
    if (a.kind === 'dispatch') a.clusterIds.forEach((id) => next.set(id, 'InProgress'));
    if (a.kind === 'defer') a.clusterIds.forEach((id) => next.set(id, 'Deferred'));
    if (a.kind === 'undefer') a.clusterIds.forEach((id) => next.set(id, 'Pending'));
  }
  return clusters.map((c) => ({ ...c, state: next.get(c.id) ?? c.state }));
}

export function dispatchedIds(actions: readonly RolloutAction[]): string[] {
  return actions.flatMap((a) => (a.kind === 'dispatch' ? a.clusterIds : []));
}

export const kinds = (actions: readonly RolloutAction[]): string[] => actions.map((a) => a.kind);
