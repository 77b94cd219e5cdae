/** The cluster lease's rules (shared/domain/clusterHop/leaseRules.ts), table-driven. */
import { describe, expect, it } from 'vitest';
import { leaseHolds, leaseRenewal } from '../../../shared/domain/clusterHop/leaseRules.js';
import type { ClusterState } from '../../../shared/domain/rolloutState.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const inS = (s: number) => new Date(now.getTime() + s * 1000).toISOString();

describe('leaseHolds', () => {
  it.each([
    ['expired', inS(-1), 'InProgress', false],
    ['holder InProgress', inS(60), 'InProgress', true],
    ['holder Pending', inS(60), 'Pending', true],
    ['holder row absent (an onboarding before its row)', inS(60), undefined, true],
    ['holder Succeeded (its work ended)', inS(60), 'Succeeded', false],
    ['holder Deferred (waits elsewhere)', inS(60), 'Deferred', false],
    ['holder AwaitingApproval', inS(60), 'AwaitingApproval', false],
  ] as [string, string, ClusterState | undefined, boolean][])('%s', (_n, until, state, holds) => {
    expect(leaseHolds({ holder: 'r1', until }, state ? { state } : undefined, now)).toBe(holds);
  });
});

describe('leaseRenewal', () => {
  const MS = 600_000;
  it.each([
    ['no lease: take it', undefined, 'extend'],
    ['ours with most of it left', { holder: 'r1', until: inS(500) }, 'keep'],
    ['ours, less than half left', { holder: 'r1', until: inS(200) }, 'extend'],
    ['someone else holds it', { holder: 'r2', until: inS(500) }, 'lost'],
    ['someone else’s, expired', { holder: 'r2', until: inS(-1) }, 'extend'],
  ] as const)('%s', (_n, lease, want) => {
    expect(leaseRenewal(lease, 'r1', now, MS)).toBe(want);
  });
});
