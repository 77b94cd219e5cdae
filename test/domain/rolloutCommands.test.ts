import { describe, expect, it } from 'vitest';
import { advance } from '../../shared/domain/advance.js';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import {
  approveClusters,
  cancelRollout,
  pauseRollout,
  resumeRollout,
  retryFailed,
} from '../../shared/domain/rolloutCommands.js';
import { rolloutCounts, waveSummaries } from '../../shared/domain/rolloutCounts.js';
import type { RolloutState } from '../../shared/domain/rolloutState.js';
import { T0, cl, dispatchedIds, makeRollout, many } from './rolloutFixtures.js';

const NOW = new Date('2024-06-01T04:00:00Z');
const at = (state: RolloutState, over = {}) => makeRollout({ state, ...over });

describe('pause and resume', () => {
  it.each([
    ['Running', 'Paused'],
    ['Pending', 'Paused'],
    ['Paused', 'Paused'],
  ] as const)('pause %s -> %s', (from, to) => {
    expect(pauseRollout(at(from), [], NOW).rollout.state).toBe(to);
  });

  it('a paused rollout dispatches nothing; resumed, it continues', () => {
    const clusters = many('c', 0, 3);
    const paused = pauseRollout(at('Running'), clusters, NOW).rollout;
    expect(paused.updatedAt).toBe(NOW.toISOString());
    expect(advance(paused, clusters, NOW).actions).toEqual([]);
    const resumed = resumeRollout(paused, clusters, NOW).rollout;
    expect(resumed.state).toBe('Running');
    expect(dispatchedIds(advance(resumed, clusters, NOW).actions)).toEqual(['c-00', 'c-01']);
  });

  it('resuming a rollout paused before it started makes it Pending again', () => {
    const paused = pauseRollout(at('Pending', { startedAt: undefined }), [], NOW).rollout;
    expect(resumeRollout(paused, [], NOW).rollout.state).toBe('Pending');
  });

  it('resume of a Running rollout changes nothing', () => {
    expect(resumeRollout(at('Running'), [], NOW).rollout).toEqual(at('Running'));
  });

  it('resuming a Halted rollout accepts the failures so far', () => {
    const clusters = [...many('f', 0, 3, 'Failed'), ...many('s', 0, 37, 'Succeeded'), cl('p', 1)];
    const halted = advance(at('Running'), clusters, NOW).rollout;
    expect(halted.state).toBe('Halted');
    const resumed = resumeRollout(halted, clusters, NOW).rollout;
    expect(resumed).toMatchObject({ state: 'Running', acceptedFailures: 3 });
    expect(resumed.haltedReason).toBeUndefined();
    expect(advance(resumed, clusters, NOW).rollout.state).toBe('Running');
  });

  it.each([
    ['pause', 'Succeeded', 'RolloutFinished'],
    ['pause', 'Halted', 'RolloutHalted'],
    ['resume', 'Succeeded', 'RolloutFinished'],
    ['resume', 'Failed', 'RolloutFinished'],
    ['resume', 'Cancelled', 'RolloutFinished'],
  ] as const)('%s a %s rollout is a conflict (%s)', (cmd, state, code) => {
    const run = cmd === 'pause' ? pauseRollout : resumeRollout;
    expect(() => run(at(state), [], NOW)).toThrow(ConflictError);
    expect(() => run(at(state), [], NOW)).toThrow(expect.objectContaining({ code }));
  });
});

describe('cancel', () => {
  it('cancels the clusters not yet dispatched and lets in-flight ones finish', () => {
    const clusters = [
      cl('a', 0, 'InProgress'),
      cl('b', 0),
      cl('c', 1, 'Deferred'),
      cl('d', 1, 'AwaitingApproval'),
    ];
    const { rollout, clusters: changed } = cancelRollout(
      at('Running', { waveSoakUntil: 'x' }),
      clusters,
      NOW,
    );
    expect(rollout).toMatchObject({ state: 'Cancelled', finishedAt: NOW.toISOString() });
    expect(rollout.waveSoakUntil).toBeUndefined();
    expect(changed.map((c) => [c.id, c.state])).toEqual([
      ['b', 'Cancelled'],
      ['c', 'Cancelled'],
      ['d', 'Cancelled'],
    ]);
    expect(advance(rollout, clusters, NOW).actions).toEqual([]);
  });

  it.each(['Pending', 'Paused', 'Halted'] as const)('a %s rollout can be cancelled', (state) => {
    expect(cancelRollout(at(state), [], NOW).rollout.state).toBe('Cancelled');
  });

  it('cancelling twice changes nothing', () => {
    const cancelled = at('Cancelled');
    expect(cancelRollout(cancelled, [cl('a', 0)], NOW)).toEqual({ rollout: cancelled, clusters: [] });
  });

  it.each(['Succeeded', 'Failed'] as const)('cancelling a %s rollout is a conflict', (state) => {
    expect(() => cancelRollout(at(state), [], NOW)).toThrow(ConflictError);
  });
});

describe('retry-failed', () => {
  const clusters = [cl('a', 0, 'Failed'), cl('b', 0, 'Succeeded'), cl('c', 1, 'Failed')];

  it.each([
    ['Halted', 'Running'],
    ['Failed', 'Running'],
    ['Running', 'Running'],
    ['Paused', 'Paused'],
  ] as const)('%s -> %s, failed clusters back to Pending', (from, to) => {
    const input = at(from, { haltedReason: 'x', finishedAt: 'y', acceptedFailures: 1 });
    const { rollout, clusters: changed } = retryFailed(input, clusters, NOW);
    expect(rollout.state).toBe(to);
    expect(changed).toEqual([cl('a', 0, 'Pending'), cl('c', 1, 'Pending')]);
    expect(rollout.acceptedFailures).toBeUndefined();
    if (from !== 'Running' && from !== 'Paused') {
      expect(rollout.haltedReason).toBeUndefined();
      expect(rollout.finishedAt).toBeUndefined();
    }
  });

  it('a failed rollout retried finishes again after the retried clusters succeed', () => {
    const failed = at('Failed', { currentWave: 2, finishedAt: T0.toISOString() });
    const { rollout, clusters: changed } = retryFailed(failed, clusters, NOW);
    const next = [changed[0]!, clusters[1]!, changed[1]!];
    expect(dispatchedIds(advance(rollout, next, NOW).actions)).toEqual(['a', 'c']);
    const done = next.map((c) => ({ ...c, state: 'Succeeded' as const }));
    expect(advance(rollout, done, NOW).rollout.state).toBe('Succeeded');
  });

  it.each([
    ['Succeeded', clusters, 'RolloutFinished'],
    ['Cancelled', clusters, 'RolloutFinished'],
    ['Running', [cl('b', 0, 'Succeeded')], 'NothingToRetry'],
  ] as const)('on a %s rollout is a conflict (%s)', (state, cs, code) => {
    expect(() => retryFailed(at(state), cs, NOW)).toThrow(expect.objectContaining({ code }));
  });
});

describe('approve', () => {
  const clusters = [
    cl('/subscriptions/s/a', 0, 'AwaitingApproval'),
    cl('/subscriptions/s/b', 0, 'AwaitingApproval'),
    { ...cl('/subscriptions/s/c', 0, 'Pending'), approved: true },
    cl('/subscriptions/s/d', 0, 'Succeeded'),
  ];

  it('approves the named clusters, case-insensitively', () => {
    const { rollout, clusters: changed } = approveClusters(
      at('Running'),
      clusters,
      ['/SUBSCRIPTIONS/S/A'],
      NOW,
    );
    expect(changed).toEqual([{ ...cl('/subscriptions/s/a', 0, 'Pending'), approved: true }]);
    expect(rollout.updatedAt).toBe(NOW.toISOString());
  });

  it('approves all that await approval', () => {
    const { clusters: changed } = approveClusters(at('Paused'), clusters, 'all', NOW);
    expect(changed.map((c) => c.id)).toEqual(['/subscriptions/s/a', '/subscriptions/s/b']);
  });

  it('approving an already approved cluster changes nothing', () => {
    expect(approveClusters(at('Running'), clusters, ['/subscriptions/s/c'], NOW).clusters).toEqual([]);
  });

  it.each([
    ['an unknown cluster', ['/subscriptions/s/zz'], NotFoundError, 'ClusterNotInRollout'],
    ['a cluster not awaiting approval', ['/subscriptions/s/d'], ConflictError, 'ClusterNotAwaitingApproval'],
  ] as const)('%s is refused', (_name, ids, type, code) => {
    expect(() => approveClusters(at('Running'), clusters, ids, NOW)).toThrow(type);
    expect(() => approveClusters(at('Running'), clusters, ids, NOW)).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('all with nothing to approve, or on a finished rollout, is a conflict', () => {
    expect(() => approveClusters(at('Running'), [cl('x', 0)], 'all', NOW)).toThrow(ConflictError);
    expect(() => approveClusters(at('Succeeded'), clusters, 'all', NOW)).toThrow(ConflictError);
  });
});

describe('counts', () => {
  it('counts every state with the API names', () => {
    const states = [
      'Pending',
      'InProgress',
      'AwaitingApproval',
      'Succeeded',
      'Failed',
      'Skipped',
      'Deferred',
    ] as const;
    const clusters = [
      ...states.map((s, i) => cl(`c${i}`, 0, s)),
      cl('x', 1, 'Cancelled'),
      cl('y', 1, 'Succeeded'),
    ];
    expect(rolloutCounts(clusters)).toEqual({
      pending: 1,
      inProgress: 1,
      awaitingApproval: 1,
      succeeded: 2,
      failed: 1,
      skipped: 1,
      deferred: 1,
      cancelled: 1,
    });
  });

  it('summarises each wave with its state', () => {
    const clusters = [cl('a', 0, 'Succeeded'), cl('b', 1, 'InProgress'), cl('c', 1)];
    const r = makeRollout({
      waves: [...makeRollout().waves, { name: 'late', maxParallel: 1, soakMinutes: 0 }],
    });
    const summary = waveSummaries({ ...r, currentWave: 1 }, clusters);
    expect(summary.map((w) => [w.name, w.state])).toEqual([
      ['canary', 'Completed'],
      ['rest', 'Running'],
      ['late', 'Pending'],
    ]);
    expect(summary[1]?.counts).toMatchObject({ inProgress: 1, pending: 1, succeeded: 0 });
    expect(waveSummaries({ ...r, waveSoakUntil: 'x' }, clusters)[0]?.state).toBe('Soaking');
    expect(waveSummaries({ ...r, state: 'Cancelled' }, clusters)[2]?.state).toBe('Cancelled');
  });
});
