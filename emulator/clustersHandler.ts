// Microsoft.Kubernetes/connectedClusters (2024-01-01): PUT (LRO), GET, PATCH, DELETE (LRO), list by
// resource group and by subscription with nextLink; plus resource groups.
import { randomUUID } from 'node:crypto';
import { ArmError, badRequest, resourceNotFound } from './armError.js';
import type { EmulatorContext, RequestOrigin } from './emulatorContext.js';
import { emitResourceEvent, publishCluster, publishExtension } from './emulatorContext.js';
import type { ClusterRecord } from './emulatorState.js';
import { clusterIdOf, systemDataFor } from './emulatorState.js';
import { cancelOperation } from './extensionOperations.js';
import { stringMap } from './extensionRules.js';
import { EMULATOR_TENANT_ID } from './graphRows.js';
import type { ArmRequest, ArmResponse } from './httpTypes.js';
import { pageOf } from './httpTypes.js';

type Json = Record<string, unknown>;
const TYPE = 'Microsoft.Kubernetes/connectedClusters';

export function clusterBody(c: ClusterRecord): Json {
  const body: Json = {
    id: c.id,
    name: c.name,
    type: TYPE,
    location: c.location,
    tags: { ...c.tags },
    systemData: { ...c.systemData },
    identity: { ...c.identity },
    properties: structuredClone(c.properties),
  };
  if (c.kind) body.kind = c.kind;
  return body;
}

export function listClusters(
  ctx: EmulatorContext,
  req: ArmRequest,
  subscriptionId: string,
  resourceGroup?: string,
): ArmResponse {
  const index = resourceGroup
    ? ctx.state.clustersByGroup.get(`${subscriptionId}/${resourceGroup}`.toLowerCase())
    : ctx.state.clustersBySubscription.get(subscriptionId.toLowerCase());
  const keys = index ? [...index] : [];
  const { page, nextLink } = pageOf(keys, req, ctx.config.listPageSize);
  const value = page.flatMap((k) => {
    const c = ctx.state.clusters.get(k);
    return c ? [clusterBody(c)] : [];
  });
  return { status: 200, body: nextLink ? { value, nextLink } : { value } };
}

export function handleCluster(
  ctx: EmulatorContext,
  req: ArmRequest,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): ArmResponse {
  const key = clusterIdOf(subscriptionId, resourceGroup, name).toLowerCase();
  const cluster = ctx.state.clusters.get(key);
  switch (req.method) {
    case 'GET':
      if (!cluster) throw resourceNotFound(TYPE, name, resourceGroup);
      return { status: 200, body: clusterBody(cluster) };
    case 'PUT':
      return putCluster(ctx, req, subscriptionId, resourceGroup, name, cluster);
    case 'PATCH': {
      if (!cluster) throw resourceNotFound(TYPE, name, resourceGroup);
      const b = (req.body ?? {}) as Json;
      const tags = stringMap(b.tags, 'tags');
      if (tags) cluster.tags = tags;
      const p = (b.properties ?? {}) as Json;
      for (const field of ['distribution', 'distributionVersion', 'azureHybridBenefit']) {
        if (typeof p[field] === 'string') cluster.properties[field] = p[field];
      }
      touch(ctx, cluster, req.origin);
      return { status: 200, body: clusterBody(cluster) };
    }
    case 'DELETE':
      if (!cluster) return { status: 204 };
      deleteCluster(ctx, cluster, req.origin);
      return { status: 202, headers: operationHeaders(ctx, req, cluster.subscriptionId, cluster.location) };
    default:
      throw new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
  }
}

function putCluster(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  name: string,
  existing?: ClusterRecord,
): ArmResponse {
  const b = req.body as Json | undefined;
  if (!b || typeof b !== 'object')
    throw badRequest('InvalidRequestContent', 'The request content was invalid.');
  if (typeof b.location !== 'string' || !b.location)
    throw badRequest('LocationRequired', 'The location property is required for this definition.');
  const identity = b.identity as Json | undefined;
  if (!identity || typeof identity.type !== 'string')
    throw badRequest('InvalidRequestContent', "The property 'identity' is required.");
  const p = (b.properties ?? {}) as Json;
  if (typeof p.agentPublicKeyCertificate !== 'string') {
    throw badRequest('InvalidRequestContent', "The property 'agentPublicKeyCertificate' is required.");
  }
  const nowMs = ctx.now();
  const cluster: ClusterRecord = existing ?? {
    id: clusterIdOf(sub, rg, name),
    key: clusterIdOf(sub, rg, name).toLowerCase(),
    subscriptionId: sub,
    resourceGroup: rg,
    name,
    location: b.location,
    tags: {},
    identity: { type: 'SystemAssigned' },
    properties: { connectivityStatus: 'Connecting' },
    systemData: systemDataFor(req.origin.principal, nowMs),
    crdPrepared: false,
    extensions: new Map(),
    terminatingNamespaces: new Map(),
  };
  cluster.tags = stringMap(b.tags, 'tags') ?? {};
  cluster.identity =
    identity.type === 'None'
      ? { type: 'None' }
      : { type: identity.type, principalId: randomUUID(), tenantId: EMULATOR_TENANT_ID };
  if (typeof b.kind === 'string') cluster.kind = b.kind;
  const readOnly = existing?.properties ?? {
    kubernetesVersion: '1.28.5',
    agentVersion: '1.15.3',
    totalNodeCount: 3,
    totalCoreCount: 12,
    infrastructure: 'generic',
    lastConnectivityTime: new Date(nowMs).toISOString(),
    managedIdentityCertificateExpirationTime: new Date(nowMs + 90 * 86_400_000).toISOString(),
    connectivityStatus: 'Connecting',
  };
  cluster.properties = {
    ...readOnly,
    ...p,
    provisioningState: 'Succeeded',
    connectivityStatus: readOnly.connectivityStatus,
  } as ClusterRecord['properties'];
  if (!existing) ctx.state.addCluster(cluster);
  touch(ctx, cluster, req.origin);
  if (cluster.properties.connectivityStatus === 'Connecting') {
    setTimeout(() => {
      if (
        ctx.state.clusters.get(cluster.key) !== cluster ||
        cluster.properties.connectivityStatus !== 'Connecting'
      )
        return;
      // The agents' first heartbeat: the RP updates the resource, which Resource Graph shows, but no ARM
      // write happens, so Event Grid raises nothing and systemData keeps the last ARM write.
      cluster.properties.connectivityStatus = 'Connected';
      cluster.properties.lastConnectivityTime = new Date(ctx.now()).toISOString();
      publishCluster(ctx, cluster);
    }, ctx.config.connectMs).unref();
  }
  return {
    status: existing ? 200 : 201,
    headers: operationHeaders(ctx, req, sub, cluster.location),
    body: clusterBody(cluster),
  };
}

function touch(ctx: EmulatorContext, cluster: ClusterRecord, origin: RequestOrigin): void {
  cluster.systemData = {
    ...cluster.systemData,
    lastModifiedBy: origin.principal,
    lastModifiedAt: new Date(ctx.now()).toISOString(),
  };
  publishCluster(ctx, cluster);
  emitResourceEvent(
    ctx,
    'write',
    cluster.subscriptionId,
    cluster.resourceGroup,
    cluster.id,
    `${TYPE}/write`,
    origin,
  );
}

/** Delete a cluster and its extensions; in-flight extension operations end Canceled (or Failed). */
export function deleteCluster(ctx: EmulatorContext, cluster: ClusterRecord, origin: RequestOrigin): void {
  for (const ext of cluster.extensions.values()) {
    const status = ctx.config.failureModes.cancelOnClusterDelete ? 'Canceled' : 'Failed';
    cancelOperation(
      ctx,
      ext,
      { code: 'ParentResourceNotFound', message: `The connected cluster '${cluster.name}' was deleted.` },
      status,
    );
    publishExtension(ctx, cluster, ext, true);
  }
  ctx.state.removeCluster(cluster);
  publishCluster(ctx, cluster, true);
  emitResourceEvent(
    ctx,
    'delete',
    cluster.subscriptionId,
    cluster.resourceGroup,
    cluster.id,
    `${TYPE}/delete`,
    origin,
  );
}

/** connectedClusters operations complete at once; the status resource reports Succeeded. */
function operationHeaders(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  location: string,
): Record<string, string> {
  const name = randomUUID();
  const path = `/subscriptions/${sub}/providers/Microsoft.Kubernetes/locations/${location.toLowerCase().replace(/\s+/g, '')}/operationStatuses/${name}`;
  const at = new Date(ctx.now()).toISOString();
  ctx.state.clusterOperations.set(name, { id: path, name, status: 'Succeeded', startTime: at, endTime: at });
  const url = new URL(path, req.baseUrl);
  url.searchParams.set('api-version', req.apiVersion);
  return { 'azure-asyncoperation': url.toString(), location: url.toString(), 'retry-after': '0' };
}

export function getClusterOperation(ctx: EmulatorContext, name: string): ArmResponse {
  const op = ctx.state.clusterOperations.get(name.toLowerCase());
  if (!op) throw new ArmError(404, 'OperationNotFound', `The operation '${name}' was not found.`);
  return { status: 200, body: { ...op } };
}
