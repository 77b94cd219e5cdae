// Routes ARM paths (case-insensitively) to the handlers after auth, api-version and throttling checks.
import { ArmError } from './armError.js';
import { getClusterOperation, handleCluster, listClusters } from './clustersHandler.js';
import { handleResourceGroup } from './resourceGroupsHandler.js';
import type { EmulatorContext } from './emulatorContext.js';
import { handleExtensions } from './extensionsHandler.js';
import type { ArmRequest, ArmResponse } from './httpTypes.js';
import { handleDataCollectionRule, listDataCollectionRules } from './monitor/dataCollectionRulesHandler.js';
import { handleAssociation } from './monitor/dcrAssociationsHandler.js';
import { handleWorkspace } from './monitor/workspacesHandler.js';
import type { Throttle } from './throttle.js';
import { kindOfMethod, remainingHeader } from './throttle.js';

const CLUSTER_VERSIONS = ['2021-03-01', '2021-10-01', '2024-01-01'];
const EXTENSION_VERSIONS = [
  '2021-09-01',
  '2022-03-01',
  '2022-07-01',
  '2022-11-01',
  '2023-05-01',
  '2024-11-01',
  '2025-03-01',
];

const MONITOR_VERSIONS = ['2022-06-01'];
const WORKSPACE_VERSIONS = ['2022-10-01'];

const SEG = '([^/]+)';
const SUB = `^/subscriptions/${SEG}`;
const RG = `${SUB}/resourcegroups/${SEG}`;
const routes = {
  extensions: new RegExp(
    `${RG}/providers/${SEG}/${SEG}/${SEG}/providers/microsoft\\.kubernetesconfiguration/extensions(?:/${SEG}(?:/operations/${SEG})?)?$`,
    'i',
  ),
  cluster: new RegExp(`${RG}/providers/microsoft\\.kubernetes/connectedclusters/${SEG}$`, 'i'),
  clustersInGroup: new RegExp(`${RG}/providers/microsoft\\.kubernetes/connectedclusters$`, 'i'),
  clustersInSubscription: new RegExp(`${SUB}/providers/microsoft\\.kubernetes/connectedclusters$`, 'i'),
  clusterOperation: new RegExp(
    `${SUB}/providers/microsoft\\.kubernetes/locations/${SEG}/operationstatuses/${SEG}$`,
    'i',
  ),
  dcrAssociations: new RegExp(
    `${RG}/providers/microsoft\\.kubernetes/connectedclusters/${SEG}/providers/microsoft\\.insights/datacollectionruleassociations(?:/${SEG})?$`,
    'i',
  ),
  dataCollectionRule: new RegExp(
    `${RG}/providers/microsoft\\.insights/datacollectionrules/${SEG}(/associations)?$`,
    'i',
  ),
  dataCollectionRulesInGroup: new RegExp(`${RG}/providers/microsoft\\.insights/datacollectionrules$`, 'i'),
  dataCollectionRulesInSubscription: new RegExp(
    `${SUB}/providers/microsoft\\.insights/datacollectionrules$`,
    'i',
  ),
  workspace: new RegExp(`${RG}/providers/microsoft\\.operationalinsights/workspaces/${SEG}$`, 'i'),
  resourceGroup: new RegExp(`${RG}$`, 'i'),
};

export interface RouteResult {
  response: ArmResponse;
  operation: string;
  subscriptionId?: string;
}

export function routeArm(ctx: EmulatorContext, throttle: Throttle, req: ArmRequest): RouteResult {
  const m = matchRoute(req.path);
  if (!m) {
    throw new ArmError(
      404,
      'InvalidResourceType',
      `The resource type could not be found for the path '${req.path}'.`,
    );
  }
  const { name, groups } = m;
  const subscriptionId = groups[0] ?? '';
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subscriptionId)) {
    throw new ArmError(
      400,
      'InvalidSubscriptionId',
      `The provided subscription identifier '${subscriptionId}' is malformed or invalid.`,
    );
  }
  const operation = `${name}:${req.method}`;
  checkApiVersion(req.apiVersion, supportedVersions(name), name);
  const kind = kindOfMethod(req.method);
  const decision = throttle.take(subscriptionId, kind, ctx.now());
  ctx.stats.request(kind, operation, subscriptionId);
  if (!decision.allowed) {
    ctx.stats.count('throttled429');
    throw new ArmError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${kind}' requests for subscription '${subscriptionId}' actor '${req.origin.principal}' exceeded. ` +
        `Please try again after '${decision.retryAfterSeconds}' seconds after the additional tokens are available. ` +
        'Refer to https://aka.ms/arm-throttling',
      { 'retry-after': String(decision.retryAfterSeconds), [remainingHeader(kind)]: '0' },
    );
  }
  const response = dispatch(ctx, req, name, groups);
  // Microsoft.Insights writes report the RP's own budget instead (recorded: ...-subscription-resource-requests).
  const header =
    isMonitorRoute(name) && kind === 'write'
      ? 'x-ms-ratelimit-remaining-subscription-resource-requests'
      : remainingHeader(kind);
  response.headers = { ...response.headers, [header]: String(decision.remaining) };
  return { response, operation, subscriptionId };
}

function supportedVersions(name: keyof typeof routes): string[] | null {
  if (name === 'extensions') return EXTENSION_VERSIONS;
  if (name === 'resourceGroup') return null;
  if (name === 'workspace') return WORKSPACE_VERSIONS;
  if (isMonitorRoute(name)) return MONITOR_VERSIONS;
  return CLUSTER_VERSIONS;
}

function isMonitorRoute(name: keyof typeof routes): boolean {
  return name === 'dcrAssociations' || name.startsWith('dataCollectionRule');
}

function matchRoute(path: string): { name: keyof typeof routes; groups: string[] } | undefined {
  for (const [name, regex] of Object.entries(routes) as [keyof typeof routes, RegExp][]) {
    const m = regex.exec(path);
    if (m) return { name, groups: m.slice(1).map((g) => g ?? '') };
  }
  return undefined;
}

function dispatch(
  ctx: EmulatorContext,
  req: ArmRequest,
  name: keyof typeof routes,
  g: string[],
): ArmResponse {
  const [sub = '', a = '', b = '', c = '', d = '', e = '', f = ''] = g;
  if (isMonitorRoute(name) && !ctx.state.isProviderRegistered(sub, 'Microsoft.Insights')) {
    throw new ArmError(
      409,
      'MissingSubscriptionRegistration',
      "The subscription is not registered to use namespace 'Microsoft.Insights'. See https://aka.ms/rps-not-found for how to register subscriptions.",
    );
  }
  switch (name) {
    case 'dcrAssociations':
      return handleAssociation(ctx, req, sub, a, b, c || undefined);
    case 'dataCollectionRule':
      return handleDataCollectionRule(ctx, req, sub, a, b, c !== '');
    case 'dataCollectionRulesInGroup':
      return onlyGet(req, () => listDataCollectionRules(ctx, req, sub, a));
    case 'dataCollectionRulesInSubscription':
      return onlyGet(req, () => listDataCollectionRules(ctx, req, sub));
    case 'extensions':
      return handleExtensions(ctx, req, {
        subscriptionId: sub,
        resourceGroup: a,
        clusterRp: b,
        clusterResourceName: c,
        clusterName: d,
        extensionName: e || undefined,
        operationId: f || undefined,
      });
    case 'cluster':
      return handleCluster(ctx, req, sub, a, b);
    case 'clustersInGroup':
      return onlyGet(req, () => listClusters(ctx, req, sub, a));
    case 'clustersInSubscription':
      return onlyGet(req, () => listClusters(ctx, req, sub));
    case 'clusterOperation':
      return onlyGet(req, () => getClusterOperation(ctx, b));
    case 'workspace':
      return handleWorkspace(ctx, req, sub, a, b);
    case 'resourceGroup':
      return handleResourceGroup(ctx, req, sub, a);
  }
}

function onlyGet(req: ArmRequest, fn: () => ArmResponse): ArmResponse {
  if (req.method !== 'GET')
    throw new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
  return fn();
}

function checkApiVersion(apiVersion: string, supported: string[] | null, route: string): void {
  if (!apiVersion) {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${(supported ?? []).join(',')}'.`,
    );
  }
  if (supported && !supported.includes(apiVersion)) {
    const [type, ns] = providerOf(route);
    throw new ArmError(
      400,
      'NoRegisteredProviderFound',
      `No registered resource provider found for location 'eastus' and API version '${apiVersion}' for type '${type}'. ` +
        `The supported api-versions are '${supported.join(', ')}'. The supported locations are 'eastus, westeurope'. (namespace ${ns})`,
    );
  }
}

function providerOf(route: string): [string, string] {
  if (route === 'extensions') return ['extensions', 'Microsoft.KubernetesConfiguration'];
  if (route === 'workspace') return ['workspaces', 'Microsoft.OperationalInsights'];
  if (route === 'dcrAssociations') return ['dataCollectionRuleAssociations', 'Microsoft.Insights'];
  if (route.startsWith('dataCollectionRule')) return ['dataCollectionRules', 'Microsoft.Insights'];
  return ['connectedClusters', 'Microsoft.Kubernetes'];
}
