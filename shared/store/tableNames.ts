/**
 * Table names (alphanumeric), optionally prefixed so that tests and several apps sharing one storage account
 * do not collide. Names must match ^[A-Za-z][A-Za-z0-9]{2,62}$.
 */
import { ValidationError } from '../domain/errors.js';

export const TABLES = {
  /** PK `policy`, RK encoded policy name. */
  policies: 'policies',
  /** PK `rollout`, RK encoded rollout id; `state` property for listActive. */
  rollouts: 'rollouts',
  /** PK encoded rollout id, RK encoded cluster id. */
  rolloutClusters: 'rolloutClusters',
  /** Inventory: PK subscription id, RK encoded cluster id. */
  clusters: 'clusters',
  /** Audit: PK encoded cluster id, RK inverted timestamp + suffix (newest first). */
  history: 'history',
  /** Stored plans: PK encoded plan id, RK `header` / `p00000`... (tablePlanStore.ts). */
  plans: 'plans',
} as const;
export type TableKey = keyof typeof TABLES;
export type TableNames = Record<TableKey, string>;

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

export function tableNames(prefix = ''): TableNames {
  if (prefix && !/^[A-Za-z][A-Za-z0-9]*$/.test(prefix))
    throw new ValidationError(`table prefix "${prefix}" must be a letter followed by letters and digits`);
  const names = {} as TableNames;
  for (const key of Object.keys(TABLES) as TableKey[]) {
    const name = prefix + TABLES[key];
    if (!TABLE_NAME.test(name))
      throw new ValidationError(`table name "${name}" is not valid (at most 63 characters)`);
    names[key] = name;
  }
  return names;
}
