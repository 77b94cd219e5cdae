/**
 * One-off operations on one cluster (PUT / DELETE /clusters/{sub}/{rg}/{name}/osm). An install or upgrade is
 * a single-cluster rollout, so it follows exactly the rollout's safety rules (hop path, settings preserved,
 * OpenShift, one instance, CRD approval, a cluster not yet Connected Deferred until it is); an uninstall is
 * one extension delete.
 */
import { stableHash } from '../domain/assignWaves.js';
import type { ClusterRef } from '../domain/armId.js';
import { clusterId as toClusterId, requireSubscriptionScope } from '../domain/armId.js';
import type { ClusterInfo } from '../domain/cluster.js';
import { OSM_RELEASE_NAMESPACE, osmExtensions } from '../domain/cluster.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { planPolicy } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import { parsePolicy } from '../domain/policy.js';
import type { ClusterOsmRequest } from '../domain/clusterOsmRequest.js';
import type { ProtectedSettingsRef } from '../domain/records.js';
import { leaseHeld } from './clusterLease.js';
import { createRollout } from './createRollout.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface ClusterOperationView {
  clusterId: string;
  action: string;
  from: string | null;
  to: string | null;
  path: string[];
  rolloutId?: string;
  state?: string;
  operationId?: string;
  extensionName?: string;
  message?: string;
}

const IN_FLIGHT = /^(creating|updating|deleting)$/i;
const OPEN = new Set(['Pending', 'InProgress', 'Deferred', 'AwaitingApproval']);
/** Plan verdicts whose work a one-off request accepts and holds (202), as a rollout does. */
const ACCEPTED_HOLDS = new Set(['AwaitingCrdApproval', 'ClusterOffline']);

async function readCluster(deps: ServiceDeps, ref: ClusterRef): Promise<ClusterInfo> {
  requireSubscriptionScope(ref, deps.settings.subscriptions); // before any ARM read
  const id = toClusterId(ref);
  const cluster = await deps.arm.getCluster(id);
  if (!cluster) throw new NotFoundError(`connected cluster ${id} does not exist`, 'ClusterNotFound');
  for (const r of await deps.rollouts.listActive()) {
    const row = await deps.rollouts.getCluster(r.value.rollout.id, cluster.id.toLowerCase());
    if (row && OPEN.has(row.value.state))
      throw new ConflictError(
        `cluster is part of active rollout ${r.value.rollout.id} (${row.value.state})`,
        'ClusterBusy',
      );
  }
  // An operation still running for a rollout that is no longer active (cancelled while in flight) holds
  // the cluster's lease: a one-off queued behind it would wait for the lease to expire, so refuse now.
  const lease = (await deps.inventory.get(cluster.id.toLowerCase()))?.value.lease;
  if (lease && (await leaseHeld(deps, cluster.id, lease)))
    throw new ConflictError(
      `an operation of rollout ${lease.holder} is running on the cluster; try again when it ends`,
      'ClusterBusy',
    );
  return { ...cluster, extensions: await deps.arm.listExtensions(cluster.id) };
}

export async function installOnCluster(
  deps: ServiceDeps,
  ref: ClusterRef,
  request: ClusterOsmRequest,
  actor: string,
): Promise<{ status: 200 | 202; view: ClusterOperationView }> {
  const cluster = await readCluster(deps, ref);
  const busy = osmExtensions(cluster).find((e) => IN_FLIGHT.test(e.provisioningState));
  if (busy)
    throw new ConflictError(
      `the OSM extension is ${busy.provisioningState}; wait for that operation to end`,
      'OperationInProgress',
    );
  let policy: Policy;
  let protectedSettings: ProtectedSettingsRef | undefined;
  if ('policy' in request) {
    const stored = await deps.policies.get(request.policy);
    if (!stored) throw new NotFoundError(`policy "${request.policy}" does not exist`, 'PolicyNotFound');
    policy = stored.value.policy;
    protectedSettings = stored.value.protectedSettings;
  } else {
    policy = asRequestError(() =>
      parsePolicy(
        `cluster-${stableHash(cluster.id.toLowerCase()).toString(36)}`,
        {
          description: `one-off operation on ${cluster.id}`,
          osm: {
            version: request.version,
            ...(request.releaseTrain ? { releaseTrain: request.releaseTrain } : {}),
            configurationSettings: request.configurationSettings ?? {},
            configurationProtectedSettings: request.configurationProtectedSettings ?? {},
          },
          rollout: {
            waves: [{ name: 'single', percent: 100, maxParallel: 1 }],
            maxFailurePercent: 100,
            crdUpgrades: request.crdUpgrades ?? 'requireApproval',
            includeUnsupportedDistributions: request.includeUnsupportedDistributions ?? false,
          },
        },
        { isKnownVersion: (v) => deps.catalog.has(v) },
      ),
    );
  }
  const planned = planPolicy({ ...policy, target: {} }, [cluster], {
    catalog: deps.catalog,
    now: deps.clock.now(),
  }).clusters[0];
  if (!planned) throw new Error('a single-cluster plan has one cluster');
  const base = {
    clusterId: cluster.id,
    action: planned.action,
    from: planned.from,
    to: planned.to,
    path: planned.path,
  };
  if (planned.action === 'noChange')
    return {
      status: 200,
      view: { ...base, message: 'the cluster already runs this version with these settings' },
    };
  // Held work is accepted like a rollout's: a CRD hop waits for approval, a cluster not yet Connected
  // (Connecting, Offline) is Deferred and starts when it connects. Every other skip (Expired included) is refused.
  if (planned.action === 'skip' && !ACCEPTED_HOLDS.has(planned.reason))
    throw new ValidationError(planned.message ?? planned.reason, [], planned.reason);
  const rollout = await createRollout(deps, {
    policyName: policy.name,
    policy: { ...policy, target: {} },
    ...(protectedSettings ? { protectedSettings } : {}),
    trigger: 'api',
    actor,
    clusterIds: [cluster.id],
    clusters: [cluster],
  });
  const row = await deps.rollouts.getCluster(rollout.rollout.id, cluster.id.toLowerCase());
  return {
    status: 202,
    view: {
      ...base,
      rolloutId: rollout.rollout.id,
      state: row?.value.state ?? 'Pending',
      ...(planned.message ? { message: planned.message } : {}),
    },
  };
}

export async function uninstallFromCluster(
  deps: ServiceDeps,
  ref: ClusterRef,
  actor: string,
): Promise<ClusterOperationView> {
  const cluster = await readCluster(deps, ref);
  const found = osmExtensions(cluster);
  const osm = found[0];
  if (!osm) throw new NotFoundError(`no OSM extension on ${cluster.id}`, 'OsmNotInstalled');
  if (found.length > 1)
    throw new ConflictError(
      `${found.length} OSM extensions found; resolve by hand`,
      'DuplicateOsmExtensions',
    );
  if (IN_FLIGHT.test(osm.provisioningState))
    throw new ConflictError(
      `the OSM extension is ${osm.provisioningState}; wait for that operation to end`,
      'OperationInProgress',
    );
  const started = await deps.arm.beginDeleteExtension(cluster.id, osm.name);
  const message = `release namespace ${OSM_RELEASE_NAMESPACE} stays on the cluster after the extension is deleted`;
  await deps.history.append([
    {
      clusterId: cluster.id.toLowerCase(),
      at: deps.clock.now().toISOString(),
      actor,
      action: 'UninstallStarted',
      from: osm.version,
      to: null,
      result: 'Started',
      message,
    },
  ]);
  deps.log.info('uninstall started', { clusterId: cluster.id, extensionName: osm.name });
  return {
    clusterId: cluster.id,
    action: 'uninstall',
    from: osm.version,
    to: null,
    path: [],
    extensionName: osm.name,
    ...(started.operationId ? { operationId: started.operationId } : {}),
    message,
  };
}

/** Problems of the one-off policy built from the request, named as the request names them (`version`, not `osm.version`). */
function asRequestError<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const rename = (path: string) => path.replace(/^(osm|rollout)\./, '');
    const details = err.details.map((d) => ({ path: rename(d.path), message: d.message }));
    const first = details[0];
    throw new ValidationError(
      first ? `${first.path}: ${first.message}` : err.message,
      details,
      'InvalidRequest',
    );
  }
}
