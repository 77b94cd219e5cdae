import { describe, expect, it } from 'vitest';
import {
  connectWatchDelayMs,
  nextConnectWatchStep,
  sweepOnboardVerdict,
  watchMessageLost,
  type WatchStep,
} from '../../shared/domain/connectWatch.js';

const MIN = 60_000;
const since = '2026-11-25T10:00:00.000Z';
const until = '2026-11-26T10:00:00.000Z'; // 24 h
const at = (ms: number) => new Date(Date.parse(since) + ms);

describe('connectWatchDelayMs: every check delay for 15 minutes, then a tenth of the wait so far, at most 15 min', () => {
  it.each([
    [0, 15_000],
    [14 * MIN, 15_000],
    [15 * MIN, 90_000],
    [60 * MIN, 6 * MIN],
    [150 * MIN, 15 * MIN],
    [23 * 60 * MIN, 15 * MIN],
  ])('after %i ms: %i ms', (elapsed, delay) => {
    expect(connectWatchDelayMs(elapsed, 15_000)).toBe(delay);
  });

  it('never below the check delay', () => {
    expect(connectWatchDelayMs(16 * MIN, 120_000)).toBe(120_000);
  });
});

describe('nextConnectWatchStep', () => {
  const cases: [string, string, number, WatchStep][] = [
    ['Connected: onboard', 'Connected', 5_000, { kind: 'onboard' }],
    ['Connected at the very end: still onboard', 'Connected', 24 * 60 * MIN, { kind: 'onboard' }],
    [
      'Connecting early: look again after the check delay',
      'Connecting',
      5_000,
      { kind: 'wait', delayMs: 15_000 },
    ],
    ['Offline after an hour: backed off', 'Offline', 60 * MIN, { kind: 'wait', delayMs: 6 * MIN }],
    ['last look clipped to the limit', 'Connecting', 24 * 60 * MIN - 1_000, { kind: 'wait', delayMs: 1_000 }],
    ['limit reached', 'Connecting', 24 * 60 * MIN, { kind: 'end', reason: 'ConnectWatchExpired' }],
    [
      'Expired needs a reconnect (a new write, a new event)',
      'Expired',
      5_000,
      { kind: 'end', reason: 'ClusterExpired' },
    ],
    ['AgentNotInstalled: keep looking', 'AgentNotInstalled', 5_000, { kind: 'wait', delayMs: 15_000 }],
  ];
  it.each(cases)('%s', (_name, connectivity, elapsed, step) => {
    expect(
      nextConnectWatchStep({ connectivity, watch: { since, until }, now: at(elapsed), checkDelayMs: 15_000 }),
    ).toEqual(step);
  });

  it('a 24 h watch of a cluster that never connects takes about 150 looks, not 5,760', () => {
    let t = 0;
    let looks = 0;
    for (;;) {
      const step = nextConnectWatchStep({
        connectivity: 'Connecting',
        watch: { since, until },
        now: at(t),
        checkDelayMs: 15_000,
      });
      looks++;
      if (step.kind !== 'wait') break;
      t += step.delayMs;
    }
    expect(looks).toBeGreaterThan(100);
    expect(looks).toBeLessThan(200);
  });
});

describe('watchMessageLost: a look overdue by more than two check delays and a minute', () => {
  it.each([
    [0, false],
    [90_000, false],
    [90_001, true],
  ])('%i ms after it was due: %s', (late, lost) => {
    expect(watchMessageLost({ nextAt: since }, at(late), 15_000)).toBe(lost);
  });
});

describe('sweepOnboardVerdict', () => {
  const policySince = '2026-11-25T09:00:00.000Z';
  it.each([
    [
      'created after the policy, never acted on: onboard',
      '2026-11-25T09:30:00Z',
      undefined,
      { kind: 'onboard' },
    ],
    [
      'created at the very instant the policy took effect: onboard',
      policySince,
      undefined,
      { kind: 'onboard' },
    ],
    [
      'created before the policy',
      '2026-11-25T08:59:59Z',
      undefined,
      { kind: 'decline', reason: 'CreatedBeforePolicy' },
    ],
    [
      'no creation time: never guessed',
      undefined,
      undefined,
      { kind: 'decline', reason: 'CreationTimeUnknown' },
    ],
    ['unreadable creation time', 'yesterday', undefined, { kind: 'decline', reason: 'CreationTimeUnknown' }],
    [
      'history since its creation (uninstalled by an operator, a failed onboarding)',
      '2026-11-25T09:30:00Z',
      '2026-11-25T09:31:00Z',
      { kind: 'decline', reason: 'AlreadyManaged' },
    ],
    [
      'history only of an earlier cluster of the same id',
      '2026-11-25T09:30:00Z',
      '2026-11-20T00:00:00Z',
      { kind: 'onboard' },
    ],
  ] as const)('%s', (_name, createdAt, newestHistoryAt, verdict) => {
    expect(sweepOnboardVerdict({ createdAt, policySince, newestHistoryAt })).toEqual(verdict);
  });
});
