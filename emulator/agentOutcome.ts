// What the on-cluster agents make of an extension operation: the OSM upgrade rules, the CRD step,
// OpenShift's privileged init container, a still-terminating release namespace, and injected failures.
import type { EmulatorContext } from './emulatorContext.js';
import type { ClusterRecord, ExtensionRecord } from './emulatorState.js';
import { matchOutcome } from './faultRules.js';
import {
  OSM_EXTENSION_TYPE,
  checkUpgrade,
  isKnownOsmVersion,
  needsCrdStep,
  privilegedInitEnabled,
} from './osmCatalog.js';

export interface OutcomeFailure {
  code: string;
  message: string;
}

/** Why the agent would fail this create/update on this cluster, or null if it succeeds. */
export function agentFailure(
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  target: string,
  running: Record<string, string>,
  nowMs: number,
): OutcomeFailure | null {
  const ns = (
    ext.scope.cluster as { releaseNamespace?: string } | undefined
  )?.releaseNamespace?.toLowerCase();
  const until = ns ? cluster.terminatingNamespaces.get(ns) : undefined;
  if (ns && until !== undefined && until > nowMs) {
    return {
      code: 'ExtensionOperationFailed',
      message:
        "Unable to store the extension config update on the cluster's api-server : Recommendation Please ensure the config-agent " +
        `exists on a healthy node : InnerError [extensionconfigs.clusterconfig.azure.com "${ext.name}" is forbidden: ` +
        `unable to create new content in namespace ${ns} because it is being terminated]`,
    };
  }
  if (ext.extensionType !== OSM_EXTENSION_TYPE) return null;
  if (!isKnownOsmVersion(target)) {
    return {
      code: 'ExtensionOperationFailed',
      message: 'Failed to resolve the extension version from the given values.',
    };
  }
  const from = ext.currentVersion;
  if (from && from !== target) {
    const upgradeError = checkUpgrade(from, target);
    if (upgradeError)
      return { code: 'ExtensionOperationFailed', message: `Helm upgrade failed : ${upgradeError}` };
    if (needsCrdStep(from, target) && !cluster.crdPrepared) {
      return {
        code: 'ExtensionOperationFailed',
        message:
          `Helm upgrade failed : Error: UPGRADE FAILED: OSM ${target} contains CRD changes and cannot be upgraded from ${from} ` +
          'without deleting the existing CRDs first (back up custom resources, delete the CRDs, then upgrade)',
      };
    }
  }
  const distribution = String(cluster.properties.distribution ?? '').toLowerCase();
  if (distribution === 'openshift' && !privilegedInitEnabled(target, running)) {
    return {
      code: 'ExtensionOperationFailed',
      message:
        'Helm installation failed : Timed out waiting for the resource to come to a ready/completed state ' +
        'Deployment is not ready: arc-osm-system/osm-controller. 0 out of 1 expected pods are ready : InnerError ' +
        '[pods "osm-controller" is forbidden: unable to validate against any security context constraint: ' +
        'init container osm-init requires privileged (set enablePrivilegedInitContainer=true)]',
    };
  }
  return null;
}

/** Helm timeouts and install-outcome rules from the control surface. */
export function injectedFailure(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
): OutcomeFailure | null {
  if (ctx.random.next() < ctx.config.failureModes.helmTimeoutRate) {
    const ns =
      (ext.scope.cluster as { releaseNamespace?: string } | undefined)?.releaseNamespace ?? 'default';
    return {
      code: 'ExtensionOperationFailed',
      message:
        'Helm installation failed : Timed out waiting for the resource to come to a ready/completed state' +
        `Deployment is not ready: ${ns}/${ext.name}-controller. 0 out of 1 expected pods are ready : InnerError ` +
        `[release ${ext.name} failed, and has been uninstalled due to atomic being set: timed out waiting for the condition]`,
    };
  }
  const rule = matchOutcome(ctx.outcomes, cluster.key, ext.extensionType, ctx.random);
  if (!rule) return null;
  return {
    code: rule.code ?? 'ExtensionCreationFailed',
    message:
      rule.message ??
      " error: Unable to get the status from the local CRD with the error : {Error : Retry for given duration didn't get any results with err {status not populated}}",
  };
}
