/**
 * What a check sees of one hop: the operation's status or, without an operation id (or when the extension
 * answers first), the extension itself. `observeHop` reads; `checkClusterStep` decides.
 */
import type { ExtensionInfo } from '../domain/cluster.js';
import { NotFoundError } from '../domain/errors.js';
import type { RolloutClusterRecord } from '../domain/records.js';
import { desiredOsmExtension, osmExtensionSatisfies, sameVersion } from './desiredOsmExtension.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { ClusterRow } from './writeClusterRow.js';
import { hopVersions } from './writeClusterRow.js';

const BUSY = new Set(['creating', 'updating', 'deleting']);

export type Observed =
  | { status: 'InProgress' }
  /** `ext`: the extension as read, when the observation already confirmed it. */
  | { status: 'Succeeded'; ext?: ExtensionInfo }
  | { status: 'Failed'; code: string; message: string }
  /** Known only through the extension: it is absent, or settled at another version (not our PUT). */
  | { status: 'NotOurs'; message: string };

export async function observeHop(deps: ServiceDeps, row: ClusterRow): Promise<Observed> {
  const r = row.value;
  const op = r.operation!;
  if (op.operationId && !sameVersion(hopVersions(r).from, op.targetVersion)) {
    const ext = await deps.arm.getExtension(r.clusterId, op.extensionName);
    const state = ext?.provisioningState.toLowerCase() ?? '';
    if (ext && state === 'succeeded' && sameVersion(ext.version, op.targetVersion))
      return { status: 'Succeeded', ext };
    if (ext && BUSY.has(state)) return { status: 'InProgress' };
  }
  if (op.operationId) {
    try {
      const s = await deps.arm.getOperation(r.clusterId, op.extensionName, op.operationId);
      if (s.status === 'InProgress' || s.status === 'Succeeded') return { status: s.status };
      const code = s.error?.code ?? `Operation${s.status}`;
      return { status: 'Failed', code, message: s.error?.message ?? `the operation ended ${s.status}` };
    } catch (e) {
      // ARM forgot the operation (it keeps them for a while only): fall back to the extension.
      if (!(e instanceof NotFoundError) || (await deps.arm.getCluster(r.clusterId)) === undefined) throw e;
    }
  }
  const ext = await deps.arm.getExtension(r.clusterId, op.extensionName);
  const state = ext?.provisioningState.toLowerCase();
  if (!ext) return { status: 'NotOurs', message: `extension ${op.extensionName} not found` };
  if (BUSY.has(state ?? '')) return { status: 'InProgress' };
  if (state === 'succeeded') {
    if (!sameVersion(ext.version, op.targetVersion))
      return {
        status: 'NotOurs',
        message: `extension ${ext.name} settled at ${ext.version ?? 'no version'}`,
      };
    // A settings-only hop: the version proves nothing (the intent may have been written by a worker that died
    // before its PUT); only the hop's settings on the extension do.
    if (sameVersion(hopVersions(r).from, op.targetVersion) && !(await settingsApplied(deps, r, ext)))
      return { status: 'NotOurs', message: `extension ${ext.name} does not carry the hop's settings` };
    return { status: 'Succeeded' };
  }
  // The extension's own errorInfo / statuses carry ARM's code and message: the decision (a terminating
  // namespace is waited out, a conflict retried) and the history need Azure's words, not our summary.
  if (ext.error) return { status: 'Failed', code: ext.error.code, message: ext.error.message };
  return {
    status: 'Failed',
    code: 'ExtensionProvisioningFailed',
    message: `extension ${ext.name} is ${ext.provisioningState} at ${ext.version ?? 'no version'}`,
  };
}

/** The extension already is what this hop would PUT (same rule as the step's `AlreadyApplied`). */
async function settingsApplied(
  deps: ServiceDeps,
  r: RolloutClusterRecord,
  ext: ExtensionInfo,
): Promise<boolean> {
  const rollout = await deps.rollouts.get(r.rolloutId);
  if (!rollout) return false;
  const want = desiredOsmExtension({
    policy: rollout.value.policy,
    current: ext,
    targetVersion: hopVersions(r).to,
    distribution: r.distribution,
    catalog: deps.catalog,
  });
  return osmExtensionSatisfies(ext, want);
}
