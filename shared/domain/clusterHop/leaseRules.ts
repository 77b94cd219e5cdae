/**
 * The cluster lease's rules (the lease itself lives on the inventory row; shared/services/clusterLease.ts
 * reads and writes it). A lease holds the cluster while it has not expired and its holder's row for the
 * cluster is InProgress, Pending or absent (an Event Grid onboarding takes the lease before its rollout's
 * row exists); a holder renews once less than half of its lease is left.
 */
import type { RolloutClusterRecord } from '../records.js';

export interface Lease {
  holder: string;
  until: string;
}

/** Whether `lease` still holds its cluster, given its holder's row for the cluster (undefined: none). */
export function leaseHolds(
  lease: Lease,
  holderRow: Pick<RolloutClusterRecord, 'state'> | undefined,
  now: Date,
): boolean {
  if (Date.parse(lease.until) <= now.getTime()) return false;
  return !holderRow || holderRow.state === 'InProgress' || holderRow.state === 'Pending';
}

/** What a holder's renewal does: nothing (plenty left), `lost` (someone else holds it), or `extend`. */
export function leaseRenewal(
  lease: Lease | undefined,
  holder: string,
  now: Date,
  leaseMs: number,
): 'keep' | 'lost' | 'extend' {
  const left = lease ? Date.parse(lease.until) - now.getTime() : 0;
  if (lease && lease.holder !== holder && left > 0) return 'lost';
  if (lease?.holder === holder && left > leaseMs / 2) return 'keep';
  return 'extend';
}
