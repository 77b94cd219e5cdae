// Microsoft.KubernetesConfiguration/extensions on connected clusters: PUT, PATCH, GET, DELETE, list and
// the operations/{id} status resource, with the LRO protocol of the 2023-05-01 spec.
import { randomUUID } from 'node:crypto';
import { ArmError, resourceNotFound } from './armError.js';
import type { EmulatorContext } from './emulatorContext.js';
import { emitResourceEvent, publishExtension } from './emulatorContext.js';
import type { ClusterRecord, ExtensionRecord } from './emulatorState.js';
import { systemDataFor } from './emulatorState.js';
import { extensionBody, forceDeleteBody, operationBody, regionalResourceUrl } from './extensionBody.js';
import { conflict, lroHeaders } from './extensionConflict.js';
import { cancelOperation, removeExtension, startOperation } from './extensionOperations.js';
import {
  desiredFromPatch,
  desiredFromPut,
  runningSettingsFor,
  targetVersion,
  type DesiredExtension,
} from './extensionRules.js';
import { EMULATOR_TENANT_ID } from './graphRows.js';
import type { ArmRequest, ArmResponse } from './httpTypes.js';
import { pageOf } from './httpTypes.js';

export interface ExtensionRoute {
  subscriptionId: string;
  resourceGroup: string;
  clusterRp: string;
  clusterResourceName: string;
  clusterName: string;
  extensionName?: string;
  operationId?: string;
}

export function handleExtensions(ctx: EmulatorContext, req: ArmRequest, route: ExtensionRoute): ArmResponse {
  if (!ctx.state.isProviderRegistered(route.subscriptionId, 'Microsoft.KubernetesConfiguration')) {
    throw new ArmError(
      409,
      'MissingSubscriptionRegistration',
      "The subscription is not registered to use namespace 'Microsoft.KubernetesConfiguration'. See https://aka.ms/rps-not-found for how to register subscriptions.",
    );
  }
  // Operation status stays readable after the extension (or its cluster) is gone.
  if (route.operationId !== undefined) return getOperation(ctx, req.path, route.operationId);
  const cluster = findCluster(ctx, route);
  if (route.extensionName === undefined) {
    if (req.method !== 'GET')
      throw new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
    const { page, nextLink } = pageOf([...cluster.extensions.values()], req, ctx.config.listPageSize);
    const value = page.map((e) => extensionBody(e, ctx.config));
    // `nextLink: null` on the last page, as recorded (and as the spec examples show), though the schema types
    // it as a string.
    return { status: 200, body: { value, nextLink } };
  }
  const name = route.extensionName;
  const ext = cluster.extensions.get(name.toLowerCase());
  switch (req.method) {
    case 'GET':
      if (!ext)
        throw resourceNotFound('Microsoft.KubernetesConfiguration/extensions', name, route.resourceGroup);
      return { status: 200, body: extensionBody(ext, ctx.config) };
    case 'PUT':
      return put(ctx, req, cluster, name, ext);
    case 'PATCH':
      if (!ext)
        throw resourceNotFound('Microsoft.KubernetesConfiguration/extensions', name, route.resourceGroup);
      return patch(ctx, req, cluster, ext);
    case 'DELETE':
      return del(ctx, req, cluster, ext);
    default:
      throw new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
  }
}

function findCluster(ctx: EmulatorContext, route: ExtensionRoute): ClusterRecord {
  const isArc =
    route.clusterRp.toLowerCase() === 'microsoft.kubernetes' &&
    route.clusterResourceName.toLowerCase() === 'connectedclusters';
  const id = `/subscriptions/${route.subscriptionId}/resourceGroups/${route.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${route.clusterName}`;
  const cluster = isArc ? ctx.state.clusters.get(id.toLowerCase()) : undefined;
  if (!cluster)
    throw resourceNotFound(
      `${route.clusterRp}/${route.clusterResourceName}`,
      route.clusterName,
      route.resourceGroup,
    );
  return cluster;
}

function getOperation(ctx: EmulatorContext, path: string, operationId: string): ArmResponse {
  const op = ctx.state.operations.get(operationId.toLowerCase());
  if (!op || op.id.toLowerCase() !== path.toLowerCase()) {
    throw new ArmError(404, 'OperationNotFound', `The operation '${operationId}' was not found.`);
  }
  const headers: Record<string, string> =
    op.status === 'InProgress' ? { 'retry-after': String(ctx.config.retryAfterSeconds) } : {};
  return { status: 200, headers, body: operationBody(op) };
}

function put(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  name: string,
  existing: ExtensionRecord | undefined,
): ArmResponse {
  const refused = existing && conflict(ctx, req, cluster, existing, 'update');
  if (refused) return refused;
  const desired = desiredFromPut(req.body, cluster, name, existing);
  const nowMs = ctx.now();
  const ext: ExtensionRecord = existing ?? {
    id: `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/${name}`,
    key: name.toLowerCase(),
    name,
    clusterKey: cluster.key,
    extensionType: desired.extensionType,
    autoUpgradeMinorVersion: true,
    releaseTrain: 'Stable',
    version: null,
    currentVersion: null,
    scope: desired.scope,
    configurationSettings: {},
    protectedSettings: {},
    runningSettings: {},
    provisioningState: 'Creating',
    statuses: [],
    errorInfo: null,
    systemData: systemDataFor(req.origin.principal, nowMs),
    puts: 0,
  };
  if (desired.identity) {
    ext.identity = { ...desired.identity, principalId: randomUUID(), tenantId: EMULATOR_TENANT_ID };
  }
  if (desired.plan) ext.plan = desired.plan;
  ext.scope = existing ? existing.scope : desired.scope;
  return apply(ctx, req, cluster, ext, desired, existing ? 'update' : 'create', existing ? 200 : 201);
}

function patch(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
): ArmResponse {
  const refused = conflict(ctx, req, cluster, ext, 'update');
  if (refused) return refused;
  const desired = desiredFromPatch(req.body, cluster, ext);
  const unchanged =
    ext.provisioningState === 'Succeeded' &&
    desired.autoUpgradeMinorVersion === ext.autoUpgradeMinorVersion &&
    desired.releaseTrain === ext.releaseTrain &&
    desired.version === ext.version &&
    sameMap(desired.configurationSettings, ext.configurationSettings) &&
    sameMap(desired.protectedSettings, ext.protectedSettings) &&
    sameMap(
      runningSettingsFor(ext.extensionType, targetVersion(desired, ext), desired.sentSettings),
      ext.runningSettings,
    );
  if (unchanged) return { status: 200, body: extensionBody(ext, ctx.config) };
  return apply(ctx, req, cluster, ext, desired, 'update', 202);
}

function apply(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  desired: DesiredExtension,
  kind: 'create' | 'update',
  status: number,
): ArmResponse {
  const target = targetVersion(desired, kind === 'create' ? undefined : ext);
  ext.autoUpgradeMinorVersion = desired.autoUpgradeMinorVersion;
  ext.releaseTrain = desired.releaseTrain;
  ext.version = desired.version;
  ext.configurationSettings = desired.configurationSettings;
  ext.protectedSettings = desired.protectedSettings;
  const sentProtected = ((req.body as { properties?: Record<string, unknown> } | undefined)?.properties ?? {})
    .configurationProtectedSettings;
  if (sentProtected !== undefined)
    ext.protectedEchoEmpty =
      typeof sentProtected === 'object' && sentProtected !== null && Object.keys(sentProtected).length === 0;
  ext.provisioningState = kind === 'create' ? 'Creating' : 'Updating';
  ext.statuses = [];
  ext.errorInfo = null;
  ext.systemData = {
    ...ext.systemData,
    lastModifiedBy: req.origin.principal,
    lastModifiedAt: new Date(ctx.now()).toISOString(),
  };
  ext.puts++;
  cluster.extensions.set(ext.key, ext);
  ctx.stats.put(cluster.key, ext.id.toLowerCase());
  const running = runningSettingsFor(ext.extensionType, target, desired.sentSettings);
  const op = startOperation(ctx, cluster, ext, kind, { target, running, origin: req.origin });
  publishExtension(ctx, cluster, ext);
  const headers = lroHeaders(ctx, req, op);
  // ARM's recorded 201 also carries `Location`: the resource on the regional RP host, not reachable from
  // outside Azure (a client must poll Azure-AsyncOperation, never follow this).
  if (req.method === 'PUT') headers.location = regionalResourceUrl(cluster, ext);
  return { status, headers, body: extensionBody(ext, ctx.config) };
}

function del(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  ext: ExtensionRecord | undefined,
): ArmResponse {
  if (!ext) return { status: 204 };
  const force = (req.query.get('forceDelete') ?? '').toLowerCase() === 'true';
  if (force) {
    cancelOperation(ctx, ext, { code: 'ExtensionForceDeleted', message: 'The extension was force-deleted.' });
    removeExtension(ctx, cluster, ext);
    emitResourceEvent(
      ctx,
      'delete',
      cluster.subscriptionId,
      cluster.resourceGroup,
      ext.id,
      'Microsoft.KubernetesConfiguration/extensions/delete',
      req.origin,
    );
    // The recorded forceDelete answer: 200 with a serialized HttpResponseMessage as the body.
    return { status: 200, body: forceDeleteBody() };
  }
  const refused = conflict(ctx, req, cluster, ext, 'delete');
  if (refused) return refused;
  ext.provisioningState = 'Deleting';
  const op = startOperation(ctx, cluster, ext, 'delete', { origin: req.origin });
  publishExtension(ctx, cluster, ext);
  return { status: 202, headers: lroHeaders(ctx, req, op) };
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ak = Object.keys(a);
  return ak.length === Object.keys(b).length && ak.every((k) => a[k] === b[k]);
}
