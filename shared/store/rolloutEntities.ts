/**
 * Entity layout of the rollout tables.
 * - `rollouts`: PK `rollout`, RK encoded rollout id; `state`, `policy`, `trigger`, `createdAt`,
 *   `clusterCount` as plain properties (`state` is what listActive filters on), the RolloutRecord as JSON in
 *   `data0..n` / `dataChunks`.
 * - `rolloutClusters`: PK encoded rollout id (a rollout's rows share a partition, so they batch), RK encoded
 *   cluster id; `clusterId`, `state`, `wave`, `reason`, `updatedAt` as plain properties (`state` for the
 *   filter), the RolloutClusterRecord as JSON in `data0..n` / `dataChunks`.
 */
import type { RolloutClusterRecord, RolloutRecord, Versioned } from '../domain/records.js';
import type { ClusterState } from '../domain/rolloutState.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import type { StoredEntity } from './readPage.js';
import { normalizeId } from '../domain/armId.js';

export const ROLLOUT_PK = 'rollout';

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
