/** decideConnectWatch (queue `connect-watch`): every mark × message × ARM answer, table-driven. */
import { describe, expect, it } from 'vitest';
import type { ArmFailure } from '../../../shared/domain/armFailure.js';
import {
  decideConnectWatch,
  type WatchObservation,
} from '../../../shared/domain/clusterHop/decideConnectWatch.js';
import type { HopContext } from '../../../shared/domain/clusterHop/hopDecision.js';
import type { ConnectWatch, OnboardingMark } from '../../../shared/domain/connectWatch.js';
import { defaultOsmCatalog } from '../../../shared/domain/osmCatalog.js';
import { cluster } from '../fixtures.js';

const now = new Date('2026-11-25T10:05:00.000Z');
const ctx: HopContext = {
  now,
  settings: { checkDelayMs: 15_000, operationDeadlineMs: 30 * 60_000, leaseMs: 60 * 60_000 },
  catalog: defaultOsmCatalog,
};
const watch: ConnectWatch = {
  id: 'watch-1',
  eventId: 'ev-1',
  since: '2026-11-25T10:00:00.000Z',
  until: '2026-11-26T10:00:00.000Z',
  attempt: 2,
  nextAt: '2026-11-25T10:05:10.000Z',
};
const watching: OnboardingMark = { state: 'Watching', watch, at: watch.since };
const c = cluster('new-1', { connectivity: 'Connecting' });
const msg = (hop = 2, rolloutId = 'watch-1') => ({ rolloutId, clusterId: c.id.toLowerCase(), hop });
const obs = (o: Partial<WatchObservation> = {}): WatchObservation => ({ msg: msg(), dequeueCount: 1, ...o });
const retry: ArmFailure = { kind: 'retry', reason: 'ArmThrottled', message: '429', delayMs: 17_000 };
const terminal: ArmFailure = { kind: 'terminal', reason: 'AuthorizationFailed', message: 'no' };
const gone: ArmFailure = { kind: 'clusterGone', reason: 'ClusterNotFound', message: '404' };

type Case = [string, OnboardingMark | undefined, WatchObservation, Record<string, unknown>];

const cases: Case[] = [
  ['no mark: the watch ended', undefined, obs(), { result: { outcome: 'ignored', reason: 'WatchEnded' } }],
  [
    'another watch on the row',
    watching,
    obs({ msg: msg(2, 'watch-0') }),
    { result: { outcome: 'ignored', reason: 'WatchEnded' } },
  ],
  [
    'decided already',
    { state: 'Decided', reason: 'RolloutStarted', at: watch.since },
    obs(),
    { result: { outcome: 'ignored', reason: 'WatchEnded' } },
  ],
  [
    'a duplicate of an older look',
    watching,
    obs({ msg: msg(1) }),
    { result: { outcome: 'ignored', reason: 'StaleWatchMessage' } },
  ],
  [
    'a redelivery whose next look was written, not sent: sent now, due at its time',
    watching,
    obs({ msg: msg(1), dequeueCount: 2 }),
    { result: { outcome: 'done', reason: 'WatchResent' }, sends: [{ hop: 2, delayMs: 10_000 }] },
  ],
  ['the look: first the cluster', watching, obs(), { need: 'cluster' }],
  [
    'ARM throttled: the same look after its delay, nothing written',
    watching,
    obs({ cluster: { failure: retry } }),
    { result: { outcome: 'requeued', reason: 'ArmThrottled' }, sends: [{ hop: 2, delayMs: 17_000 }] },
  ],
  [
    'ARM refuses for good: the watch ends',
    watching,
    obs({ cluster: { failure: terminal } }),
    { result: { outcome: 'stalled', reason: 'AuthorizationFailed' }, mark: 'WatchEnded', sends: [] },
  ],
  [
    'a 404 read: the watch ends',
    watching,
    obs({ cluster: { failure: gone } }),
    { result: { outcome: 'stalled', reason: 'ClusterNotFound' }, mark: 'WatchEnded', sends: [] },
  ],
  [
    'the cluster gone',
    watching,
    obs({ cluster: { ok: undefined } }),
    { result: { outcome: 'stalled', reason: 'ClusterNotFound' }, mark: 'WatchEnded', sends: [] },
  ],
  [
    'Expired: a reconnect is a new event',
    watching,
    obs({ cluster: { ok: { ...c, connectivity: 'Expired' } } }),
    { result: { outcome: 'stalled', reason: 'ClusterExpired' }, mark: 'WatchEnded', sends: [] },
  ],
  [
    'Connected: onboard, nothing written here (the onboarding marks it Decided)',
    watching,
    obs({ cluster: { ok: { ...c, connectivity: 'Connected' } } }),
    { result: { outcome: 'done', reason: 'ClusterConnected' }, onboard: true, sends: [] },
  ],
  [
    'still Connecting: the next look written, then sent',
    watching,
    obs({ cluster: { ok: c } }),
    {
      result: { outcome: 'requeued', reason: 'ClusterNotConnected' },
      mark: 'Watching',
      nextAttempt: 3,
      sends: [{ hop: 3, delayMs: 15_000 }],
    },
  ],
  [
    'past the watch end',
    { ...watching, watch: { ...watch, until: '2026-11-25T10:04:00.000Z' } },
    obs({ cluster: { ok: c } }),
    { result: { outcome: 'stalled', reason: 'ConnectWatchExpired' }, mark: 'WatchEnded', sends: [] },
  ],
];

describe('decideConnectWatch', () => {
  it.each(cases)('%s', (_name, mark, o, want) => {
    const d = decideConnectWatch(mark, o, ctx);
    if ('need' in want) return expect(d).toEqual({ need: want.need });
    if ('need' in d) throw new Error(`asked for ${d.need}`);
    expect(d.result).toMatchObject(want.result as object);
    expect(d.mark?.state).toBe(want.mark);
    if (want.nextAttempt !== undefined && d.mark?.state === 'Watching')
      expect(d.mark.watch.attempt).toBe(want.nextAttempt);
    expect(d.onboard !== undefined).toBe(want.onboard === true);
    if (want.sends)
      expect(d.sends.map((s) => ({ hop: s.message.hop, delayMs: s.delayMs }))).toEqual(want.sends);
    for (const s of d.sends) expect(s.queue).toBe('connect-watch');
  });
});
