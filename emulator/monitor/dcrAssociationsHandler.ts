// Microsoft.Insights/dataCollectionRuleAssociations (2022-06-01) as extension resources on a connected
// cluster: {clusterId}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{name}. PUT (201 new /
// 200 existing), GET, DELETE (200 / 204 absent), list by resource. The association must point at a data
// collection rule (or endpoint); a rule it names must exist (the harsher reading: docs/emulator.md ledger).
import { randomBytes } from 'node:crypto';
import { badRequest, resourceNotFound } from '../armError.js';
import type { EmulatorContext } from '../emulatorContext.js';
import { emitResourceEvent } from '../emulatorContext.js';
import type { ClusterRecord } from '../emulatorState.js';
import { clusterIdOf, systemDataFor } from '../emulatorState.js';
import type { ArmRequest, ArmResponse } from '../httpTypes.js';
import { invalidPayload, listPage, methodNotAllowed } from './monitorArm.js';
import { DCRA_SPEC, specProblems } from './monitorSpec.js';
import type { AssociationRecord } from './monitorStore.js';

const TYPE = 'Microsoft.Insights/dataCollectionRuleAssociations';
const RULE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+\/providers\/microsoft\.insights\/datacollectionrules\/[^/]+$/i;
const ENDPOINT_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+\/providers\/microsoft\.insights\/datacollectionendpoints\/[^/]+$/i;
type Json = Record<string, unknown>;

export function associationBody(a: AssociationRecord): Json {
  return {
    properties: { ...a.properties, provisioningState: 'Succeeded' },
    id: a.id,
    name: a.name,
    type: TYPE,
    etag: a.etag,
    systemData: { ...a.systemData },
  };
}

export function handleAssociation(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  clusterName: string,
  name: string | undefined,
): ArmResponse {
  const cluster = ctx.state.clusters.get(clusterIdOf(sub, rg, clusterName).toLowerCase());
  if (!cluster) throw resourceNotFound('Microsoft.Kubernetes/connectedClusters', clusterName, rg);
  const store = ctx.state.monitor;
  if (name === undefined) {
    if (req.method !== 'GET') throw methodNotAllowed(req);
    return listPage(req, ctx, store.associationsOf(cluster.key).map(associationBody));
  }
  const id = `${cluster.id}/providers/${TYPE}/${name}`;
  const existing = store.associations.get(id.toLowerCase());
  switch (req.method) {
    case 'GET':
      if (!existing) throw resourceNotFound(TYPE, name, rg);
      return { status: 200, body: associationBody(existing) };
    case 'PUT':
      return putAssociation(ctx, req, cluster, id, name, existing);
    case 'DELETE':
      if (!existing) return { status: 204 };
      store.associations.delete(id.toLowerCase());
      emitResourceEvent(ctx, 'delete', sub, rg, existing.id, `${TYPE}/delete`, req.origin);
      return { status: 200 };
    default:
      throw methodNotAllowed(req);
  }
}

function putAssociation(
  ctx: EmulatorContext,
  req: ArmRequest,
  cluster: ClusterRecord,
  id: string,
  name: string,
  existing: AssociationRecord | undefined,
): ArmResponse {
  const b = req.body as Json | undefined;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw badRequest('InvalidPayload', 'The request payload is invalid: the body must be a JSON object.');
  const problems = specProblems(DCRA_SPEC, 'DataCollectionRuleAssociationProxyOnlyResource', b);
  if (problems.length) throw invalidPayload(problems);
  const p = (b.properties ?? {}) as Json;
  const ruleId = typeof p.dataCollectionRuleId === 'string' ? p.dataCollectionRuleId : undefined;
  const endpointId = typeof p.dataCollectionEndpointId === 'string' ? p.dataCollectionEndpointId : undefined;
  if (!ruleId && !endpointId)
    throw invalidPayload(['properties must name a dataCollectionRuleId or a dataCollectionEndpointId']);
  if (ruleId && !RULE_ID.test(ruleId))
    throw invalidPayload([`dataCollectionRuleId '${ruleId}' is not a data collection rule resource ID`]);
  if (endpointId && !ENDPOINT_ID.test(endpointId))
    throw invalidPayload([
      `dataCollectionEndpointId '${endpointId}' is not a data collection endpoint resource ID`,
    ]);
  if (ruleId && !ctx.state.monitor.rules.has(ruleId.toLowerCase()))
    throw invalidPayload([`the data collection rule '${ruleId}' was not found`]);
  const record: AssociationRecord = existing ?? {
    id,
    name,
    clusterKey: cluster.key,
    properties: {},
    etag: '',
    systemData: systemDataFor(req.origin.principal, ctx.now()),
  };
  record.properties = {
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    ...(ruleId ? { dataCollectionRuleId: ruleId } : {}),
    ...(endpointId ? { dataCollectionEndpointId: endpointId } : {}),
  };
  record.etag = `"${randomBytes(8).toString('hex')}-0000-0000-0000-000000000000"`;
  record.systemData = {
    ...record.systemData,
    lastModifiedBy: req.origin.principal,
    lastModifiedAt: new Date(ctx.now()).toISOString(),
  };
  ctx.state.monitor.associations.set(id.toLowerCase(), record);
  emitResourceEvent(
    ctx,
    'write',
    cluster.subscriptionId,
    cluster.resourceGroup,
    id,
    `${TYPE}/write`,
    req.origin,
  );
  // 200 on create too, as the same service answers for rules (recorded); the spec allows 200 and 201.
  return { status: 200, body: associationBody(record) };
}
