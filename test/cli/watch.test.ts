/** When `--watch` stops following a rollout (cli/watch.ts). */
import { describe, expect, it } from 'vitest';
import type { ClusterCounts, RolloutView } from '../../cli/types.js';
import { isSettled } from '../../cli/watch.js';

const none: ClusterCounts = {
  pending: 0,
  inProgress: 0,
  awaitingApproval: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  deferred: 0,
  cancelled: 0,
};

function view(state: string, counts: Partial<ClusterCounts>, waveStates: string[]): RolloutView {
  const c = { ...none, ...counts };
  return {
    state,
    counts: c,
    waves: waveStates.map((s, i) => ({ name: `w${i}`, state: s, counts: c })),
  } as unknown as RolloutView;
}

describe('isSettled', () => {
  it.each([
    ['a final state', view('Succeeded', { succeeded: 2 }, ['Completed']), true],
    ['Halted', view('Halted', { failed: 1, pending: 3 }, ['Completed', 'Pending']), true],
    ['clusters still running', view('Running', { inProgress: 1 }, ['Running']), false],
    ['only approvals left', view('Running', { awaitingApproval: 1 }, ['Completed', 'Completed']), true],
    ['only deferred clusters left', view('Running', { deferred: 2, succeeded: 1 }, ['Completed']), true],
    // Every cluster done, the rollout not yet marked Succeeded: its next reconcile ends it.
    ['all done, state not final yet', view('Running', { succeeded: 1 }, ['Completed', 'Completed']), false],
    ['Planning', view('Planning', {}, []), false],
  ])('%s -> %s', (_what, r, settled) => {
    expect(isSettled(r)).toBe(settled);
  });
});
