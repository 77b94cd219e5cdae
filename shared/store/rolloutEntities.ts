/**
 * Entity layout of the rollout tables.
 * - `rollouts`: PK `rollout`, RK encoded rollout id; `state`, `policy`, `trigger`, `createdAt`,
 *   `clusterCount` as plain properties (`state` is what listActive filters on), the RolloutRecord as JSON in
 *   `data0..n` / `dataChunks`.
 *   The same table holds the newest-first index: PK `newest`, RK `<inverted createdAt ms, 13 digits>-<encoded
 *   id>`, property `rolloutId`. Table Storage lists a partition in ascending RowKey order only, so the
 *   inverted instant makes the newest rollout come first (`list`); the rollout row stays keyed by its id
 *   (`get`, `update` unchanged).
 *   And the per-policy rollout locks: PK `policylock`, RK encoded policy name; `policy`, `rolloutId`, `at`.
 * - `rolloutClusters`: PK encoded rollout id (a rollout's rows share a partition, so they batch), RK encoded
 *   cluster id; `clusterId`, `state`, `wave`, `reason`, `updatedAt` as plain properties (`state` for the
 *   filter), the RolloutClusterRecord as JSON in `data0..n` / `dataChunks`.
 */
import type { PolicyLock, RolloutClusterRecord, RolloutRecord, Versioned } from '../domain/records.js';
import type { ClusterState } from '../domain/rolloutState.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import type { StoredEntity } from './readPage.js';
import { normalizeId } from '../domain/armId.js';

export const ROLLOUT_PK = 'rollout';
export const NEWEST_PK = 'newest';
export const POLICY_LOCK_PK = 'policylock';
const MAX_MS = 9_999_999_999_999; // 13 digits: good until the year 2286

/** The index row that lists a rollout newest first. */
export function newestIndexEntity(value: RolloutRecord) {
  const ms = Date.parse(value.rollout.createdAt);
  const inverted = String(MAX_MS - (Number.isFinite(ms) ? ms : 0)).padStart(13, '0');
  return {
    partitionKey: NEWEST_PK,
    rowKey: `${inverted}-${encodeKey(value.rollout.id)}`,
    rolloutId: value.rollout.id,
  };
}

export function rolloutEntity(value: RolloutRecord) {
  const r = value.rollout;
  return {
    partitionKey: ROLLOUT_PK,
    rowKey: encodeKey(r.id),
    state: r.state,
    policy: r.policy,
    trigger: value.trigger,
    createdAt: r.createdAt,
    clusterCount: value.clusterCount,
    ...jsonProperties('data', value),
  };
}

export function fromRolloutEntity(entity: StoredEntity): Versioned<RolloutRecord> {
  return { value: readJsonProperties<RolloutRecord>(entity, 'data'), etag: entity.etag };
}

export function clusterEntity(value: RolloutClusterRecord) {
  return {
    partitionKey: encodeKey(value.rolloutId),
    rowKey: encodeKey(value.clusterId),
    clusterId: normalizeId(value.clusterId),
    state: value.state satisfies ClusterState,
    wave: value.wave,
    reason: value.reason,
    updatedAt: value.updatedAt,
    ...jsonProperties('data', value),
  };
}

export function fromClusterEntity(entity: StoredEntity): Versioned<RolloutClusterRecord> {
  const value = readJsonProperties<RolloutClusterRecord>(entity, 'data');
  return { value, etag: entity.etag, ...(entity.timestamp ? { changedAt: entity.timestamp } : {}) };
}

export function policyLockEntity(lock: PolicyLock) {
  return { partitionKey: POLICY_LOCK_PK, rowKey: encodeKey(lock.policy), ...lock };
}

export function fromPolicyLockEntity(entity: StoredEntity): Versioned<PolicyLock> {
  return {
    value: { policy: String(entity.policy), rolloutId: String(entity.rolloutId), at: String(entity.at) },
    etag: entity.etag,
  };
}
