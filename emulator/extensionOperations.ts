// The lifecycle of extension long-running operations: start, wait (install time with jitter, or until an
// Offline cluster is back), then succeed or fail the way the Arc agents do; cancel on cluster delete.
import { randomUUID } from 'node:crypto';
import type { EmulatorContext, RequestOrigin } from './emulatorContext.js';
import { emitResourceEvent, publishExtension, SYSTEM_ORIGIN } from './emulatorContext.js';
import type { ClusterRecord, ExtensionRecord, OperationRecord } from './emulatorState.js';
import { agentFailure, injectedFailure, type OutcomeFailure } from './agentOutcome.js';

export interface PendingChange {
  target?: string;
  running?: Record<string, string>;
  origin: RequestOrigin;
  neverConverge: boolean;
}

const pendingChanges = new WeakMap<OperationRecord, PendingChange>();

export function startOperation(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  kind: OperationRecord['kind'],
  change: Omit<PendingChange, 'neverConverge'>,
): OperationRecord {
  const name = randomUUID();
  const op: OperationRecord = {
    name,
    id: `${ext.id}/operations/${name}`,
    kind,
    clusterKey: cluster.key,
    extensionKey: ext.key,
    status: 'InProgress',
    error: null,
    startedMs: ctx.now(),
  };
  pendingChanges.set(op, {
    ...change,
    neverConverge: ctx.random.next() < ctx.config.failureModes.neverConvergeRate,
  });
  if (ctx.state.operations.size >= 20_000) ctx.state.pruneOperations(ctx.now(), 600_000);
  ctx.state.operations.set(name, op);
  ext.activeOperation = name;
  ctx.stats.operationStarted();
  schedule(ctx, op, installDelay(ctx));
  return op;
}

function installDelay(ctx: EmulatorContext): number {
  const jitter = ctx.config.installJitterMs;
  return Math.max(0, ctx.config.installMs + (jitter > 0 ? (ctx.random.next() * 2 - 1) * jitter : 0));
}

function schedule(ctx: EmulatorContext, op: OperationRecord, delayMs: number): void {
  if (op.timer) clearTimeout(op.timer);
  op.timer = setTimeout(() => advance(ctx, op), delayMs);
  op.timer.unref();
}

function lookup(
  ctx: EmulatorContext,
  op: OperationRecord,
): { cluster: ClusterRecord; ext: ExtensionRecord } | undefined {
  const cluster = ctx.state.clusters.get(op.clusterKey);
  const ext = cluster?.extensions.get(op.extensionKey);
  return cluster && ext ? { cluster, ext } : undefined;
}

function advance(ctx: EmulatorContext, op: OperationRecord): void {
  op.timer = undefined;
  if (op.status !== 'InProgress') return;
  const found = lookup(ctx, op);
  if (!found) return;
  const { cluster, ext } = found;
  const change = pendingChanges.get(op);
  const age = ctx.now() - op.startedMs;
  const timeout = ctx.config.failureModes.offlineTimeoutMs;
  const status = cluster.properties.connectivityStatus;
  if (status === 'Offline' || status === 'Expired' || change?.neverConverge) {
    if (age >= timeout) {
      fail(ctx, cluster, ext, op, {
        code: 'ExtensionOperationFailed',
        message:
          'Unable to get response from the Agent in time, please ensure the extension agents on the cluster are able to ' +
          'connect to Azure services',
      });
    } else {
      schedule(ctx, op, timeout - age); // resumeOperations() reschedules sooner when the cluster is back
    }
    return;
  }
  if (op.kind === 'delete') return finishDelete(ctx, cluster, ext, op);
  const target = change?.target ?? ext.currentVersion ?? '1.0.0';
  const running = change?.running ?? ext.runningSettings;
  const failure =
    agentFailure(cluster, ext, target, running, ctx.now()) ?? injectedFailure(ctx, cluster, ext);
  if (failure) return fail(ctx, cluster, ext, op, failure);
  ext.currentVersion = target;
  ext.runningSettings = running;
  (ext.applied ??= []).push({ version: target, runningSettings: { ...running } });
  ext.provisioningState = 'Succeeded';
  ext.statuses = [];
  ext.errorInfo = null;
  end(ctx, ext, op, 'Succeeded');
  publishExtension(ctx, cluster, ext);
  emitResourceEvent(
    ctx,
    'write',
    cluster.subscriptionId,
    cluster.resourceGroup,
    ext.id,
    'Microsoft.KubernetesConfiguration/extensions/write',
    change?.origin ?? SYSTEM_ORIGIN,
  );
}

function fail(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  op: OperationRecord,
  failure: OutcomeFailure,
): void {
  const time = new Date(ctx.now()).toISOString();
  ext.provisioningState = 'Failed';
  ext.errorInfo = { code: failure.code, message: failure.message };
  const doing =
    op.kind === 'create'
      ? 'Installing the extension'
      : op.kind === 'update'
        ? 'Updating the extension'
        : 'Deleting the extension';
  ext.statuses = [
    {
      code: 'InstallationFailed',
      displayStatus: 'Failed',
      level: 'Error',
      message: `Error: {${failure.message}} occurred while doing the operation : {${doing}} on the config`,
      time,
    },
  ];
  op.error = {
    code: 'ResourceOperationFailure',
    message: "The resource operation completed with terminal provisioning state 'Failed'.",
    details: [{ code: failure.code, message: failure.message }],
  };
  const origin = pendingChanges.get(op)?.origin ?? SYSTEM_ORIGIN;
  end(ctx, ext, op, 'Failed');
  publishExtension(ctx, cluster, ext);
  const change = op.kind === 'delete' ? 'deleteFailure' : 'writeFailure';
  const action = `Microsoft.KubernetesConfiguration/extensions/${op.kind === 'delete' ? 'delete' : 'write'}`;
  emitResourceEvent(ctx, change, cluster.subscriptionId, cluster.resourceGroup, ext.id, action, origin);
}

function end(
  ctx: EmulatorContext,
  ext: ExtensionRecord | undefined,
  op: OperationRecord,
  status: OperationRecord['status'],
): void {
  if (op.timer) clearTimeout(op.timer);
  op.timer = undefined;
  op.status = status;
  op.endedMs = ctx.now();
  if (ext && ext.activeOperation === op.name) ext.activeOperation = undefined;
  ctx.stats.operationEnded(status === 'Succeeded');
  pendingChanges.delete(op);
}

function finishDelete(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  op: OperationRecord,
): void {
  const origin = pendingChanges.get(op)?.origin ?? SYSTEM_ORIGIN;
  removeExtension(ctx, cluster, ext);
  end(ctx, undefined, op, 'Succeeded');
  emitResourceEvent(
    ctx,
    'delete',
    cluster.subscriptionId,
    cluster.resourceGroup,
    ext.id,
    'Microsoft.KubernetesConfiguration/extensions/delete',
    origin,
  );
}

/** Remove an extension now; its release namespace keeps terminating for a while. */
export function removeExtension(ctx: EmulatorContext, cluster: ClusterRecord, ext: ExtensionRecord): void {
  cluster.extensions.delete(ext.key);
  const ns = (ext.scope.cluster as { releaseNamespace?: string } | undefined)?.releaseNamespace;
  if (ns)
    cluster.terminatingNamespaces.set(
      ns.toLowerCase(),
      ctx.now() + ctx.config.failureModes.namespaceLingerMs,
    );
  publishExtension(ctx, cluster, ext, true);
}

/** End an in-flight operation without running it (force delete, cluster deleted, superseded). */
export function cancelOperation(
  ctx: EmulatorContext,
  ext: ExtensionRecord,
  reason: OutcomeFailure,
  status: 'Canceled' | 'Failed' = 'Canceled',
): void {
  const op = ext.activeOperation ? ctx.state.operations.get(ext.activeOperation) : undefined;
  if (!op || op.status !== 'InProgress') return;
  op.error = {
    code: 'ResourceOperationFailure',
    message: `The resource operation completed with terminal provisioning state '${status}'.`,
    details: [reason],
  };
  end(ctx, ext, op, status);
}

/** A cluster came back online: operations waiting on it run now (after the usual install time). */
export function resumeOperations(ctx: EmulatorContext, cluster: ClusterRecord): void {
  for (const ext of cluster.extensions.values()) {
    const op = ext.activeOperation ? ctx.state.operations.get(ext.activeOperation) : undefined;
    if (op && op.status === 'InProgress' && !pendingChanges.get(op)?.neverConverge)
      schedule(ctx, op, installDelay(ctx));
  }
}
