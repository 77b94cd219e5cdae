import { describe, expect, it } from 'vitest';
import { advance } from '../../shared/domain/advance.js';
import type { RolloutState } from '../../shared/domain/rolloutState.js';
import {
  T0,
  applyActions,
  cl,
  dispatchedIds,
  kinds,
  makeRollout,
  many,
  minutes,
  wave,
} from './rolloutFixtures.js';

describe('advance: dispatch', () => {
  it('starts a Pending rollout and dispatches the first clusters of the canary wave by id', () => {
    const r = makeRollout({ state: 'Pending', startedAt: undefined });
    const clusters = [cl('c', 0), cl('a', 0), cl('b', 0), cl('x', 1)];
    const { rollout, actions } = advance(r, clusters, T0);
    expect(rollout.state).toBe('Running');
    expect(rollout.startedAt).toBe(T0.toISOString());
    expect(actions).toEqual([
      { kind: 'startWave', wave: 0 },
      { kind: 'dispatch', wave: 0, clusterIds: ['a', 'b'] },
    ]);
  });

  it.each([
    ['one slot free', [cl('a', 0, 'InProgress'), cl('b', 0), cl('c', 0)], ['b']],
    ['no slot free', [cl('a', 0, 'InProgress'), cl('b', 0, 'InProgress'), cl('c', 0)], []],
    [
      'finished ones free their slot',
      [cl('a', 0, 'Succeeded'), cl('b', 0, 'Failed'), cl('c', 0), cl('d', 0)],
      ['c', 'd'],
    ],
    ['AwaitingApproval takes no slot', [cl('a', 0, 'AwaitingApproval'), cl('b', 0), cl('c', 0)], ['b', 'c']],
  ])('parallel cap: %s', (_name, clusters, expected) => {
    const { actions } = advance(makeRollout({ maxFailurePercent: 100 }), clusters, T0);
    expect(dispatchedIds(actions)).toEqual(expected);
  });

  it('does not depend on the order of the input', () => {
    const clusters = many('c', 0, 9);
    const a = advance(makeRollout(), clusters, T0);
    const b = advance(makeRollout(), [...clusters].reverse(), T0);
    expect(b).toEqual(a);
  });

  it('does not mutate its input', () => {
    const r = makeRollout({ state: 'Pending' });
    const clusters = many('c', 0, 3);
    const before = JSON.stringify([r, clusters]);
    advance(r, clusters, T0);
    expect(JSON.stringify([r, clusters])).toBe(before);
  });
});

describe('advance: waves and soak', () => {
  const done0 = [cl('a', 0, 'Succeeded'), cl('b', 0, 'Succeeded'), ...many('w1', 1, 5)];

  it('a finished wave completes and soaks before the next starts', () => {
    const { rollout, actions } = advance(makeRollout(), done0, T0);
    const until = minutes(T0, 30).toISOString();
    expect(actions).toEqual([
      { kind: 'waveComplete', wave: 0 },
      { kind: 'startSoak', wave: 0, until },
    ]);
    expect(rollout).toMatchObject({ currentWave: 0, waveSoakUntil: until });
    expect(advance(rollout, done0, minutes(T0, 29)).actions).toEqual([]);
  });

  it('starts the next wave once the soak is over, within its maxParallel', () => {
    const soaking = makeRollout({ waveSoakUntil: minutes(T0, 30).toISOString() });
    const { rollout, actions } = advance(soaking, done0, minutes(T0, 30));
    expect(actions).toEqual([
      { kind: 'startWave', wave: 1 },
      { kind: 'dispatch', wave: 1, clusterIds: ['w1-00', 'w1-01', 'w1-02'] },
    ]);
    expect(rollout.currentWave).toBe(1);
    expect(rollout.waveSoakUntil).toBeUndefined();
  });

  it('with no soak the next wave starts in the same call', () => {
    const r = makeRollout({ waves: [wave('canary', 2), wave('rest', 3)] });
    expect(kinds(advance(r, done0, T0).actions)).toEqual(['waveComplete', 'startWave', 'dispatch']);
  });

  it('a wave that changed nothing (all skipped) does not soak', () => {
    const clusters = [cl('a', 0, 'Skipped'), cl('b', 1)];
    expect(kinds(advance(makeRollout(), clusters, T0).actions)).toEqual([
      'waveComplete',
      'startWave',
      'dispatch',
    ]);
  });

  it.each([
    ['Pending', [cl('a', 0), cl('b', 0, 'Succeeded')]],
    ['InProgress', [cl('a', 0, 'InProgress'), cl('b', 0, 'Succeeded')]],
  ])('a wave with %s clusters is not finished', (_name, wave0) => {
    const { actions } = advance(makeRollout(), [...wave0, cl('z', 1)], T0);
    expect(actions.some((a) => a.kind === 'waveComplete' || a.kind === 'startWave')).toBe(false);
    expect(dispatchedIds(actions)).not.toContain('z');
  });

  it.each([
    ['Deferred (offline)', cl('a', 0, 'Deferred', false)],
    ['AwaitingApproval', cl('a', 0, 'AwaitingApproval')],
  ])('%s clusters do not hold the wave', (_name, c) => {
    const r = makeRollout({ waves: [wave('canary', 2), wave('rest', 3)] });
    const { actions } = advance(r, [c, cl('b', 0, 'Succeeded'), cl('z', 1)], T0);
    expect(dispatchedIds(actions)).toEqual(['z']);
  });

  it('a straggler of an earlier wave back online is dispatched within its own wave', () => {
    const r = makeRollout({ currentWave: 1 });
    const clusters = [
      cl('a', 0, 'Deferred', true),
      cl('b', 0, 'Succeeded'),
      cl('z', 1, 'InProgress'),
      cl('y', 1),
    ];
    const { actions } = advance(r, clusters, T0);
    expect(actions).toEqual([
      { kind: 'undefer', clusterIds: ['a'] },
      { kind: 'dispatch', wave: 0, clusterIds: ['a'] },
      { kind: 'dispatch', wave: 1, clusterIds: ['y'] },
    ]);
  });
});

describe('advance: connectivity', () => {
  it('defers offline Pending clusters of the current wave, never fails them, and dispatches the others', () => {
    const clusters = [cl('a', 0, 'Pending', false), cl('b', 0), cl('c', 0), cl('z', 1, 'Pending', false)];
    const { actions } = advance(makeRollout(), clusters, T0);
    expect(actions).toEqual([
      { kind: 'defer', clusterIds: ['a'] },
      { kind: 'dispatch', wave: 0, clusterIds: ['b', 'c'] },
    ]);
  });

  it('a deferred cluster back online becomes Pending and is dispatched', () => {
    const { actions } = advance(makeRollout(), [cl('a', 0, 'Deferred', true)], T0);
    expect(actions).toEqual([
      { kind: 'undefer', clusterIds: ['a'] },
      { kind: 'dispatch', wave: 0, clusterIds: ['a'] },
    ]);
  });

  it('a rollout whose last clusters are deferred stays Running until they return', () => {
    const clusters = [cl('a', 0, 'Succeeded'), cl('b', 1, 'Deferred', false)];
    const r = makeRollout({ waves: [wave('canary', 2), wave('rest', 3)] });
    const first = advance(r, clusters, T0);
    expect(first.rollout).toMatchObject({ state: 'Running', currentWave: 2 });
    expect(advance(first.rollout, clusters, T0).actions).toEqual([]);
    const back = advance(first.rollout, [clusters[0]!, cl('b', 1, 'Deferred', true)], T0);
    expect(back.actions).toEqual([
      { kind: 'undefer', clusterIds: ['b'] },
      { kind: 'dispatch', wave: 1, clusterIds: ['b'] },
    ]);
  });
});

describe('advance: halt', () => {
  const fleet = (failed: number, dispatched: number) => [
    ...many('f', 0, failed, 'Failed'),
    ...many('s', 0, dispatched - failed, 'Succeeded'),
    ...many('p', 1, 10),
  ];

  it('continues at exactly the threshold (2 of 40 = 5%)', () => {
    const { rollout } = advance(makeRollout(), fleet(2, 40), T0);
    expect(rollout.state).toBe('Running');
  });

  it('halts just above it, saying the numbers', () => {
    const { rollout, actions } = advance(makeRollout(), fleet(3, 40), T0);
    const reason = '3 of 40 dispatched clusters failed (7.5%), above maxFailurePercent 5';
    expect(rollout).toMatchObject({ state: 'Halted', haltedReason: reason });
    expect(actions).toEqual([{ kind: 'halt', reason }]);
  });

  it.each([
    [0, 1, 'Halted'],
    [100, 40, 'Running'],
    [50, 20, 'Running'],
    [50, 21, 'Halted'],
  ] as const)('maxFailurePercent %d with %d of 40 failed -> %s', (max, failed, state) => {
    expect(advance(makeRollout({ maxFailurePercent: max }), fleet(failed, 40), T0).rollout.state).toBe(state);
  });

  it('InProgress clusters count as dispatched', () => {
    const clusters = [...many('f', 0, 1, 'Failed'), ...many('i', 0, 19, 'InProgress')];
    const r = makeRollout({ waves: [wave('all', 100)] });
    expect(advance(r, clusters, T0).rollout.state).toBe('Running');
  });

  it('accepted failures no longer count', () => {
    const r = makeRollout({ acceptedFailures: 3 });
    expect(advance(r, fleet(3, 40), T0).rollout.state).toBe('Running');
    expect(advance(r, fleet(6, 40), T0).rollout.haltedReason).toBe(
      '3 of 37 dispatched clusters failed (8.1%) (not counting 3 accepted earlier), above maxFailurePercent 5',
    );
  });
});

describe('advance: maintenance window', () => {
  const window = { days: ['Sat'], start: '02:00', durationHours: 6, timeZone: 'UTC' };

  it('dispatches inside the window', () => {
    const { actions } = advance(makeRollout({ maintenanceWindow: window }), many('c', 0, 3), T0);
    expect(dispatchedIds(actions)).toEqual(['c-00', 'c-01']);
  });

  it('outside the window dispatches nothing and says when it opens; in-flight work is left alone', () => {
    const clusters = [cl('a', 0, 'InProgress'), cl('b', 0)];
    const { rollout, actions } = advance(
      makeRollout({ maintenanceWindow: window }),
      clusters,
      minutes(T0, 300),
    );
    expect(actions).toEqual([{ kind: 'waitForWindow', until: '2024-06-08T02:00:00.000Z' }]);
    expect(rollout.state).toBe('Running');
  });

  it('waves still complete and soak outside the window', () => {
    const clusters = [cl('a', 0, 'Succeeded'), cl('b', 1)];
    const { actions } = advance(makeRollout({ maintenanceWindow: window }), clusters, minutes(T0, 300));
    expect(kinds(actions)).toEqual(['waveComplete', 'startSoak']);
  });

  it('follows the time zone of the window', () => {
    const tokyo = { days: ['Sat'], start: '11:00', durationHours: 1, timeZone: 'Asia/Tokyo' }; // 02:00-03:00 UTC
    const r = makeRollout({ maintenanceWindow: tokyo });
    expect(kinds(advance(r, many('c', 0, 1), T0).actions)).toEqual(['waitForWindow']);
    expect(kinds(advance(r, many('c', 0, 1), minutes(T0, -30)).actions)).toEqual(['dispatch']);
  });
});

describe('advance: end states', () => {
  const r = makeRollout({ currentWave: 1 });

  it.each([
    ['all succeeded or skipped', [cl('a', 0, 'Succeeded'), cl('b', 1, 'Skipped')], 'Succeeded'],
    ['cancelled clusters are settled', [cl('a', 0, 'Succeeded'), cl('b', 1, 'Cancelled')], 'Succeeded'],
    ['some failed under the threshold', [...many('s', 0, 39, 'Succeeded'), cl('f', 1, 'Failed')], 'Failed'],
    ['no clusters at all', [], 'Succeeded'],
  ] as const)('%s -> %s', (_name, clusters, state) => {
    const { rollout, actions } = advance(r, clusters, T0);
    expect(rollout).toMatchObject({ state, finishedAt: T0.toISOString(), currentWave: 2 });
    expect(actions.at(-1)).toEqual({ kind: 'done', state });
  });

  it('AwaitingApproval keeps the rollout Running, without repeating waveComplete', () => {
    const clusters = [cl('a', 0, 'Succeeded'), cl('b', 1, 'AwaitingApproval')];
    const first = advance(r, clusters, T0);
    expect(first.rollout.state).toBe('Running');
    expect(kinds(first.actions)).toEqual(['waveComplete']);
    expect(advance(first.rollout, clusters, minutes(T0, 5)).actions).toEqual([]);
  });

  it.each(['Paused', 'Halted', 'Cancelled', 'Succeeded', 'Failed'] satisfies RolloutState[])(
    'a %s rollout does nothing',
    (state) => {
      const input = makeRollout({ state });
      const { rollout, actions } = advance(input, [...many('p', 0, 3), cl('o', 0, 'Pending', false)], T0);
      expect(actions).toEqual([]);
      expect(rollout).toEqual(input);
    },
  );

  it('running it again on its own output repeats nothing', () => {
    const clusters = many('c', 0, 5);
    const first = advance(makeRollout({ state: 'Pending' }), clusters, T0);
    const second = advance(first.rollout, applyActions(clusters, first.actions), T0);
    expect(second.actions).toEqual([]);
    expect(second.rollout).toEqual(first.rollout);
  });
});
