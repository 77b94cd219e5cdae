/**
 * What a check of a hop sees (decideCheck.ts), from the reads made so far: the extension first for a hop
 * that moves the version, else ARM's operation; a forgotten operation or none recorded is judged by the
 * extension alone, and a settings-only hop then needs the hop's settings on it. `need` names the next read.
 */
import { armReaction, type ArmCallSite, type ArmFailure } from '../armFailure.js';
import type { ClusterInfo, ExtensionInfo } from '../cluster.js';
import { desiredOsmExtension, osmExtensionSatisfies, sameVersion } from '../desiredOsmExtension.js';
import type { Policy } from '../policy.js';
import type { OperationStatus } from '../ports.js';
import type { ClusterWorkMessage } from '../records.js';
import type { Decision, HopContext, HopRow, Read } from './hopDecision.js';
import { BUSY_STATES, hopVersions } from './hopRows.js';

export interface CheckObservation {
  msg: ClusterWorkMessage;
  extension?: Read<ExtensionInfo | undefined>;
  operation?: Read<OperationStatus>;
  /** GET of the cluster: existence and connectivity. */
  cluster?: Read<ClusterInfo | undefined>;
  /** GET of the extension after the operation Succeeded (confirmation). */
  confirm?: Read<ExtensionInfo | undefined>;
  /** The rollout's policy snapshot (null: the rollout is gone). */
  rollout?: { policy: Policy } | null;
}

export type CheckNeed = { need: 'extension' | 'operation' | 'cluster' | 'confirm' | 'rollout' };
export type CheckDecision = Decision | CheckNeed;

export type Observed =
  | { status: 'InProgress' }
  | { status: 'Succeeded'; ext?: ExtensionInfo }
  | { status: 'Failed'; code: string; message: string }
  /** Known only through the extension: it is absent, or settled without our hop (not our PUT). */
  | { status: 'NotOurs'; message: string };

/** A read failed: how this check reacts (through `ARM_REACTIONS`). */
export type ReadFailed = { site: ArmCallSite; failure: ArmFailure };

/** What the check sees of the hop, from the reads so far; `need` names the next read. */
export function observeHop(
  row: HopRow,
  obs: CheckObservation,
  ctx: HopContext,
): Observed | CheckNeed | ReadFailed {
  const op = row.operation!;
  const { from, to } = hopVersions(row);
  if (op.operationId && !sameVersion(from, op.targetVersion)) {
    if (!obs.extension) return { need: 'extension' };
    if ('failure' in obs.extension) return { site: 'hopCheckRead', failure: obs.extension.failure };
    const ext = obs.extension.ok;
    const state = ext?.provisioningState.toLowerCase() ?? '';
    if (ext && state === 'succeeded' && sameVersion(ext.version, op.targetVersion))
      return { status: 'Succeeded', ext };
    if (ext && BUSY_STATES.has(state)) return { status: 'InProgress' };
  }
  if (op.operationId) {
    if (!obs.operation) return { need: 'operation' };
    if ('ok' in obs.operation) {
      const s = obs.operation.ok;
      if (s.status === 'InProgress' || s.status === 'Succeeded') return { status: s.status };
      const code = s.error?.code ?? `Operation${s.status}`;
      return { status: 'Failed', code, message: s.error?.message ?? `the operation ended ${s.status}` };
    }
    const failed = { site: 'hopOperationRead' as const, failure: obs.operation.failure };
    if (armReaction(failed.site, failed.failure).reaction !== 'forgotten') return failed;
    // ARM forgot the operation (it keeps them for a while only): the extension decides, if the cluster is there.
    if (!obs.cluster) return { need: 'cluster' };
    if ('failure' in obs.cluster) return { site: 'hopCheckRead', failure: obs.cluster.failure };
    if (!obs.cluster.ok) return failed;
  }
  if (!obs.extension) return { need: 'extension' };
  if ('failure' in obs.extension) return { site: 'hopCheckRead', failure: obs.extension.failure };
  const ext = obs.extension.ok;
  if (!ext) return { status: 'NotOurs', message: `extension ${op.extensionName} not found` };
  const state = ext.provisioningState.toLowerCase();
  if (BUSY_STATES.has(state)) return { status: 'InProgress' };
  if (state === 'succeeded') {
    if (!sameVersion(ext.version, op.targetVersion))
      return {
        status: 'NotOurs',
        message: `extension ${ext.name} settled at ${ext.version ?? 'no version'}`,
      };
    // A settings-only hop: the version proves nothing (the intent may have been written by a worker that
    // died before its PUT); only the hop's settings on the extension do.
    if (sameVersion(from, op.targetVersion)) {
      if (obs.rollout === undefined) return { need: 'rollout' };
      const applied =
        !!obs.rollout &&
        osmExtensionSatisfies(
          ext,
          desiredOsmExtension({
            policy: obs.rollout.policy,
            current: ext,
            targetVersion: to,
            distribution: row.distribution,
            catalog: ctx.catalog,
          }),
        );
      if (!applied)
        return { status: 'NotOurs', message: `extension ${ext.name} does not carry the hop's settings` };
    }
    // Read just now with a GET of the extension: that is the confirmation too.
    return { status: 'Succeeded', ext };
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
