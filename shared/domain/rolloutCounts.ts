/**
 * Counts of clusters per state, with the camelCase names of the API (`pending`, `inProgress`, ...), for the
 * whole rollout and per wave.
 */
import type { ClusterState, Rollout, RolloutClusterView } from './rolloutState.js';

export interface ClusterCounts {
  pending: number;
  inProgress: number;
  awaitingApproval: number;
  succeeded: number;
  failed: number;
  skipped: number;
  deferred: number;
  cancelled: number;
}

/** `Pending` not started yet; `Running` current; `Soaking` finished and waiting; `Completed` behind us. */
export type WaveState = 'Pending' | 'Running' | 'Soaking' | 'Completed' | 'Cancelled';

export interface WaveSummary {
  name: string;
  state: WaveState;
  counts: ClusterCounts;
}

const KEY: Record<ClusterState, keyof ClusterCounts> = {
  Pending: 'pending',
  InProgress: 'inProgress',
  AwaitingApproval: 'awaitingApproval',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Skipped: 'skipped',
  Deferred: 'deferred',
  Cancelled: 'cancelled',
};

export function emptyCounts(): ClusterCounts {
  return {
    pending: 0,
    inProgress: 0,
    awaitingApproval: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    deferred: 0,
    cancelled: 0,
  };
}

export function rolloutCounts(clusters: readonly Pick<RolloutClusterView, 'state'>[]): ClusterCounts {
  const counts = emptyCounts();
  for (const c of clusters) counts[KEY[c.state]]++;
  return counts;
}

function waveState(rollout: Rollout, wave: number): WaveState {
  if (wave < rollout.currentWave) return 'Completed';
  if (rollout.state === 'Cancelled') return 'Cancelled';
  // Planning, Pending, or ended before it started (planning failed): no wave has begun.
  if (wave > rollout.currentWave || rollout.state === 'Pending' || !rollout.startedAt) return 'Pending';
  return rollout.waveSoakUntil !== undefined ? 'Soaking' : 'Running';
}

/** One summary per wave of the rollout, in order; clusters outside the rollout's waves are ignored. */
export function waveSummaries(rollout: Rollout, clusters: readonly RolloutClusterView[]): WaveSummary[] {
  const counts = rollout.waves.map(() => emptyCounts());
  for (const c of clusters) {
    const wave = counts[c.wave];
    if (wave) wave[KEY[c.state]]++;
  }
  return rollout.waves.map((w, i) => ({
    name: w.name,
    state: waveState(rollout, i),
    counts: counts[i] ?? emptyCounts(),
  }));
}
