// Conflicting writes on an extension (a write while its operation runs) and the LRO headers of 201/202s.
import { randomUUID } from 'node:crypto';
import { ArmError } from './armError.js';
import type { EmulatorContext } from './emulatorContext.js';
import { emitResourceEvent } from './emulatorContext.js';
import type { ClusterRecord, ExtensionRecord, OperationRecord } from './emulatorState.js';
import { extensionBody } from './extensionBody.js';
import { cancelOperation } from './extensionOperations.js';
import type { ArmRequest, ArmResponse } from './httpTypes.js';

export const CONFLICT_MESSAGE =
  'Update failed for this resource, as there is a conflicting operation in progress. Please try after sometime.';

/**
 * A write while the extension's operation runs. `sync409`: refused with 409 `UpdateFailed`. `asyncFailure`:
 * accepted, and the operation it returns fails with `UpdateFailed` (the running operation carries on).
 * Switched off: the new write supersedes the running operation, which ends `Canceled`.
 */
export function conflict(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  kind: OperationRecord['kind'],
): ArmResponse | undefined {
  if (!ext.activeOperation) return undefined;
  const running = ctx.state.operations.get(ext.activeOperation);
  if (!running || running.status !== 'InProgress') return undefined;
  const modes = ctx.config.failureModes;
  if (!modes.conflictWhileInProgress) {
    cancelOperation(ctx, ext, {
      code: 'OperationSuperseded',
      message: 'A newer operation on this extension replaced this one.',
    });
    return undefined;
  }
  if (modes.conflictResponse === 'sync409') throw new ArmError(409, 'UpdateFailed', CONFLICT_MESSAGE);
  const op = failedOperation(ctx, ext, cluster.key, kind);
  emitResourceEvent(
    ctx,
    kind === 'delete' ? 'deleteFailure' : 'writeFailure',
    cluster.subscriptionId,
    cluster.resourceGroup,
    ext.id,
    `Microsoft.KubernetesConfiguration/extensions/${kind === 'delete' ? 'delete' : 'write'}`,
    req.origin,
  );
  const status = req.method === 'PUT' ? 200 : 202;
  const body = req.method === 'DELETE' ? undefined : extensionBody(ext, ctx.config);
  return { status, headers: lroHeaders(ctx, req, op), ...(body ? { body } : {}) };
}

function failedOperation(
  ctx: EmulatorContext,
  ext: ExtensionRecord,
  clusterKey: string,
  kind: OperationRecord['kind'],
): OperationRecord {
  const name = randomUUID();
  const nowMs = ctx.now();
  const op: OperationRecord = {
    name,
    id: `${ext.id}/operations/${name}`,
    kind,
    clusterKey,
    extensionKey: ext.key,
    status: 'Failed',
    error: {
      code: 'ResourceOperationFailure',
      message: "The resource operation completed with terminal provisioning state 'Failed'.",
      details: [{ code: 'UpdateFailed', message: CONFLICT_MESSAGE }],
    },
    startedMs: nowMs,
    endedMs: nowMs,
  };
  ctx.state.operations.set(name, op);
  ctx.stats.operationStarted();
  ctx.stats.operationEnded(false);
  return op;
}

export function lroHeaders(
  ctx: EmulatorContext,
  req: ArmRequest,
  op: OperationRecord,
): Record<string, string> {
  // As recorded from ARM: the operation URL spells the parameter `api-Version` and the cluster type
  // `ConnectedClusters` (azure-cli-extensions k8s-extension test_k8s_extension.yaml).
  const path = op.id.replace(/\/connectedClusters\//i, '/ConnectedClusters/');
  return {
    'azure-asyncoperation': `${new URL(path, req.baseUrl).toString()}?api-Version=${encodeURIComponent(req.apiVersion)}`,
    'retry-after': String(ctx.config.retryAfterSeconds),
    'x-ms-async-operation-timeout': 'PT48H',
  };
}
