/**
 * The rollout's persisted shape and the per-cluster view the state machine decides on. Everything here is
 * plain strings, numbers and ISO-8601 instants so that it maps directly onto Table Storage rows.
 */

/**
 * `Planning`: created, its clusters being swept, planned and written by the planning worker
 * (shared/services/planRollout.ts); then `Pending`, and `Running` from its first reconcile.
 */
export type RolloutState =
  'Planning' | 'Pending' | 'Running' | 'Paused' | 'Halted' | 'Succeeded' | 'Failed' | 'Cancelled';

export type ClusterState =
  | 'Pending'
  | 'InProgress'
  | 'AwaitingApproval'
  | 'Succeeded'
  | 'Failed'
  | 'Skipped'
  | 'Deferred'
  | 'Cancelled';

export const ROLLOUT_STATES: readonly RolloutState[] = [
  'Planning',
  'Pending',
  'Running',
  'Paused',
  'Halted',
  'Succeeded',
  'Failed',
  'Cancelled',
];

export const CLUSTER_STATES: readonly ClusterState[] = [
  'Pending',
  'InProgress',
  'AwaitingApproval',
  'Succeeded',
  'Failed',
  'Skipped',
  'Deferred',
  'Cancelled',
];

/** Rollout states after which nothing happens any more (`Halted` and `Paused` can still be resumed). */
export const TERMINAL_ROLLOUT_STATES: readonly RolloutState[] = ['Succeeded', 'Failed', 'Cancelled'];

export function isTerminalRollout(state: RolloutState): boolean {
  return TERMINAL_ROLLOUT_STATES.includes(state);
}

/**
 * Rollouts not finished (every state but the terminal ones): the timer looks at them and they block a second
 * rollout of their policy. `Halted` included: a halted rollout still owns its clusters.
 */
export const ACTIVE_ROLLOUT_STATES: readonly RolloutState[] = ROLLOUT_STATES.filter(
  (s) => !isTerminalRollout(s),
);

/** One wave as the rollout runs it. Membership (which clusters) is fixed at creation, on the cluster rows. */
export interface WaveSpec {
  name: string;
  /** At most this many clusters of the wave are InProgress at once. */
  maxParallel: number;
  /** Minutes to wait after the wave finished before the next wave starts. */
  soakMinutes: number;
}

export interface MaintenanceWindow {
  /** `Mon`..`Sun`, case-insensitive: the local days on which a window opens. Empty means every day. */
  days: string[];
  /** Local opening time, `HH:MM` 24-hour. */
  start: string;
  /** Elapsed hours the window stays open; it may run past midnight into the next day. */
  durationHours: number;
  /** IANA time zone of `days` and `start`, e.g. `UTC`, `Europe/Paris`. */
  timeZone: string;
}

export interface Rollout {
  id: string;
  /** Name of the policy the rollout applies (its plan was fixed at creation). */
  policy: string;
  state: RolloutState;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  waves: WaveSpec[];
  /**
   * Index of the wave being worked on. Waves before it finished (and soaked); `waves.length` means every
   * wave finished and only stragglers (deferred or awaiting approval) are left.
   */
  currentWave: number;
  /** Set while the finished `currentWave` soaks: the next wave starts at this instant. */
  waveSoakUntil?: string;
  /** Halt when failed clusters exceed this share (0..100) of the dispatched ones; see `advance.ts`. */
  maxFailurePercent: number;
  maintenanceWindow?: MaintenanceWindow;
  /** Why the rollout is `Halted`, with the numbers. */
  haltedReason?: string;
  /**
   * Failures the operator accepted by resuming a halted rollout: they no longer count toward the halt
   * threshold (they still make the final state `Failed`). Reset by retry-failed.
   */
  acceptedFailures?: number;
  /** When the last operator command (pause, resume, cancel, retry-failed, approve) changed the rollout. */
  updatedAt?: string;
}

/** What `advance` needs to know about one cluster of the rollout. */
export interface RolloutClusterView {
  /** ARM resource id, lower-cased (the rows' key). */
  id: string;
  /** Index into `Rollout.waves`. */
  wave: number;
  state: ClusterState;
  /** The connected cluster reports `connectivityStatus: Connected`. */
  online: boolean;
  /** The operator approved the CRD-changing hop of this cluster. */
  approved?: boolean;
}

/** The instructions `advance` returns; the caller applies them with ETag-conditional writes. */
export type RolloutAction =
  /** Rollout Pending -> Running, or the next wave begins. */
  | { kind: 'startWave'; wave: number }
  /** Pending clusters whose connected cluster is offline: mark them Deferred. */
  | { kind: 'defer'; clusterIds: string[] }
  /** Deferred clusters that are online again: mark them Pending (dispatched on a later call). */
  | { kind: 'undefer'; clusterIds: string[] }
  /** Mark these clusters InProgress and enqueue their first hop. */
  | { kind: 'dispatch'; wave: number; clusterIds: string[] }
  | { kind: 'waveComplete'; wave: number }
  | { kind: 'startSoak'; wave: number; until: string }
  | { kind: 'halt'; reason: string }
  /** Work is waiting for the maintenance window that opens at `until`. */
  | { kind: 'waitForWindow'; until: string }
  | { kind: 'done'; state: 'Succeeded' | 'Failed' };

export interface AdvanceResult {
  /** The next state of the rollout (a new object; unchanged fields copied). */
  rollout: Rollout;
  actions: RolloutAction[];
}
