/**
 * What each rollout command decides (the domain transition) and how it moves the cluster rows it changed:
 * the state a row must still be in, its new state and reason, and the history event recorded.
 */
import { ValidationError } from '../domain/errors.js';
import type { HistoryEvent, RolloutClusterRecord } from '../domain/records.js';
import type { CommandResult } from '../domain/rolloutCommands.js';
import {
  approveClusters,
  cancelRollout,
  pauseRollout,
  resumeRollout,
  retryFailed,
} from '../domain/rolloutCommands.js';
import type { ClusterState, Rollout, RolloutClusterView } from '../domain/rolloutState.js';

export const ROLLOUT_COMMANDS = ['pause', 'resume', 'cancel', 'retry-failed', 'approve'] as const;
export type RolloutCommandName = (typeof ROLLOUT_COMMANDS)[number];

export interface RolloutCommandArgs {
  /** approve: the clusters (ARM ids, any case). */
  clusters?: string[];
  /** approve: every cluster awaiting approval. */
  all?: boolean;
}

export type Decide = (r: Rollout, views: readonly RolloutClusterView[], now: Date) => CommandResult;

export interface RowRule {
  /** The state a changed row must still be in for the command to move it. */
  from: readonly ClusterState[];
  change: (r: RolloutClusterRecord, at: string) => RolloutClusterRecord;
  history: { action: string; result: HistoryEvent['result'] };
}

export function commandDecider(command: RolloutCommandName, args: RolloutCommandArgs): Decide {
  switch (command) {
    case 'pause':
      return pauseRollout;
    case 'resume':
      return resumeRollout;
    case 'cancel':
      return cancelRollout;
    case 'retry-failed':
      return retryFailed;
    case 'approve': {
      const ids = approvalTargets(args);
      return (r, views, now) => approveClusters(r, views, ids, now);
    }
    default:
      throw new ValidationError(
        `command: must be one of ${ROLLOUT_COMMANDS.join(', ')}`,
        [{ path: 'command', message: `must be one of ${ROLLOUT_COMMANDS.join(', ')}` }],
        'UnknownCommand',
      );
  }
}

function approvalTargets(args: RolloutCommandArgs): readonly string[] | 'all' {
  if (args.all === true) return 'all';
  const ids = args.clusters;
  if (Array.isArray(ids) && ids.length > 0 && ids.every((i) => typeof i === 'string' && i.length > 0))
    return ids;
  const message = 'give "clusters": [cluster IDs] or "all": true';
  throw new ValidationError(`clusters: ${message}`, [{ path: 'clusters', message }], 'InvalidInput');
}

export function commandRowRule(command: RolloutCommandName, actor: string): RowRule | undefined {
  const clear = (r: RolloutClusterRecord): RolloutClusterRecord => {
    const copy = { ...r };
    delete copy.message;
    return copy;
  };
  switch (command) {
    case 'cancel':
      return {
        from: ['Pending', 'Deferred', 'AwaitingApproval'],
        change: (r, at) => ({
          ...r,
          state: 'Cancelled',
          reason: 'RolloutCancelled',
          message: `the rollout was cancelled by ${actor}`,
          updatedAt: at,
        }),
        history: { action: 'RolloutCancelled', result: 'Skipped' },
      };
    case 'retry-failed':
      return {
        from: ['Failed'],
        change: (r, at) => {
          const next: RolloutClusterRecord = {
            ...clear(r),
            state: 'Pending',
            reason: 'RetryRequested',
            updatedAt: at,
          };
          delete next.operation;
          delete next.hopAttempts; // the failed hop gets its attempts afresh; `attempts` keeps counting
          return next;
        },
        history: { action: 'RetryRequested', result: 'Recorded' },
      };
    case 'approve':
      return {
        from: ['AwaitingApproval'],
        change: (r, at) => ({
          ...clear(r),
          state: 'Pending',
          approved: true,
          reason: 'Approved',
          updatedAt: at,
        }),
        history: { action: 'CrdStepApproved', result: 'Recorded' },
      };
    default:
      return undefined;
  }
}
