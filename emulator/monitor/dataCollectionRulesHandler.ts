// Microsoft.Insights/dataCollectionRules (2022-06-01): PUT (201 new / 200 existing, synchronous), PATCH
// (tags, identity), GET, DELETE (200 / 204 absent), list by resource group and by subscription, and the
// rule's associations. Bodies are checked against the vendored spec, then against what the service adds:
// every data flow destination must be declared, and a Log Analytics destination must name a workspace.
import { createHash, randomBytes } from 'node:crypto';
import { badRequest, resourceNotFound } from '../armError.js';
import type { EmulatorContext } from '../emulatorContext.js';
import { emitResourceEvent } from '../emulatorContext.js';
import { systemDataFor } from '../emulatorState.js';
import { stringMap } from '../extensionRules.js';
import type { ArmRequest, ArmResponse } from '../httpTypes.js';
import { associationBody } from './dcrAssociationsHandler.js';
import { invalidPayload, listPage, methodNotAllowed } from './monitorArm.js';
import { DCR_SPEC, specProblems } from './monitorSpec.js';
import type { DataCollectionRuleRecord } from './monitorStore.js';

const TYPE = 'Microsoft.Insights/dataCollectionRules';
const WORKSPACE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;
type Json = Record<string, unknown>;

export function ruleIdOf(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${TYPE}/${name}`;
}

export function ruleBody(r: DataCollectionRuleRecord): Json {
  const body: Json = {
    properties: structuredClone(r.properties),
    location: r.location,
    ...(r.tags ? { tags: { ...r.tags } } : {}),
    id: r.id,
    name: r.name,
    type: TYPE,
    etag: r.etag,
    systemData: { ...r.systemData },
  };
  if (r.kind) body.kind = r.kind;
  return body;
}

export function handleDataCollectionRule(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  name: string,
  associations: boolean,
): ArmResponse {
  const id = ruleIdOf(sub, rg, name);
  const rule = ctx.state.monitor.rules.get(id.toLowerCase());
  if (associations) {
    if (req.method !== 'GET') throw methodNotAllowed(req);
    if (!rule) throw resourceNotFound(TYPE, name, rg);
    const ruleId = id.toLowerCase();
    const all = [...ctx.state.monitor.associations.values()].filter(
      (a) => a.properties.dataCollectionRuleId?.toLowerCase() === ruleId,
    );
    return listPage(req, ctx, all.map(associationBody));
  }
  switch (req.method) {
    case 'GET':
      if (!rule) throw resourceNotFound(TYPE, name, rg);
      return { status: 200, body: ruleBody(rule) };
    case 'PUT':
      return putRule(ctx, req, sub, rg, name, rule);
    case 'PATCH': {
      if (!rule) throw resourceNotFound(TYPE, name, rg);
      const problems = specProblems(DCR_SPEC, 'ResourceForUpdate', req.body ?? {});
      if (problems.length) throw invalidPayload(problems);
      const tags = stringMap((req.body as Json | undefined)?.tags, 'tags');
      if (tags) rule.tags = tags;
      touch(ctx, req, rule);
      return { status: 200, body: ruleBody(rule) };
    }
    case 'DELETE':
      if (!rule) return { status: 204 };
      ctx.state.monitor.rules.delete(id.toLowerCase());
      emitResourceEvent(ctx, 'delete', sub, rg, rule.id, `${TYPE}/delete`, req.origin);
      return { status: 200 };
    default:
      throw methodNotAllowed(req);
  }
}

export function listDataCollectionRules(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg?: string,
): ArmResponse {
  const prefix = (
    rg ? `/subscriptions/${sub}/resourceGroups/${rg}/` : `/subscriptions/${sub}/`
  ).toLowerCase();
  const rules = [...ctx.state.monitor.rules.values()].filter((r) => r.id.toLowerCase().startsWith(prefix));
  return listPage(req, ctx, rules.map(ruleBody));
}

function putRule(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  name: string,
  existing: DataCollectionRuleRecord | undefined,
): ArmResponse {
  const b = req.body as Json | undefined;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw badRequest('InvalidPayload', 'The request payload is invalid: the body must be a JSON object.');
  const problems = specProblems(DCR_SPEC, 'DataCollectionRuleResource', b);
  problems.push(...ruleProblems((b.properties ?? {}) as Json));
  if (problems.length) throw invalidPayload(problems);
  const location = String(b.location);
  checkWorkspaceRegions(ctx, (b.properties ?? {}) as Json, location);
  if (existing && normal(existing.location) !== normal(location)) {
    throw badRequest(
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${existing.location}' in resource group '${rg}'. ` +
        `A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  const id = ruleIdOf(sub, rg, name);
  const rule: DataCollectionRuleRecord = existing ?? {
    id,
    name,
    subscriptionId: sub,
    resourceGroup: rg,
    location,
    properties: {},
    etag: '',
    systemData: systemDataFor(req.origin.principal, ctx.now()),
  };
  const immutableId =
    (existing?.properties.immutableId as string | undefined) ?? `dcr-${randomBytes(16).toString('hex')}`;
  rule.tags = stringMap(b.tags, 'tags'); // no `tags` key in the answer when none were sent (recorded)
  rule.kind = typeof b.kind === 'string' ? b.kind : undefined;
  rule.properties = storedProperties(ctx, (b.properties ?? {}) as Json, immutableId);
  ctx.state.ensureResourceGroup(sub, rg, location);
  ctx.state.monitor.rules.set(id.toLowerCase(), rule);
  touch(ctx, req, rule);
  // 200 on create too, as recorded (azure-cli-extensions monitor-control-service test_amcs_data_collection_rule.yaml).
  return { status: 200, body: ruleBody(rule) };
}

/** What the service checks beyond the schema (the harsher reading where it is not documented). */
function ruleProblems(p: Json): string[] {
  const problems: string[] = [];
  const destinations = (p.destinations ?? {}) as Json;
  const declared = new Set<string>();
  for (const [kind, value] of Object.entries(destinations)) {
    const list = Array.isArray(value) ? value : [value];
    for (const d of list as Json[]) {
      if (typeof d?.name === 'string') declared.add(d.name);
      if (kind === 'logAnalytics' && !WORKSPACE_ID.test(String(d?.workspaceResourceId ?? ''))) {
        problems.push(
          `destinations.logAnalytics '${String(d?.name)}': workspaceResourceId must be the resource ID of a Log Analytics workspace`,
        );
      }
    }
  }
  const flows = Array.isArray(p.dataFlows) ? (p.dataFlows as Json[]) : [];
  flows.forEach((f, i) => {
    const streams = Array.isArray(f.streams) ? f.streams : [];
    const dests = Array.isArray(f.destinations) ? (f.destinations as unknown[]) : [];
    if (streams.length === 0) problems.push(`dataFlows[${i}].streams must name at least one stream`);
    if (dests.length === 0) problems.push(`dataFlows[${i}].destinations must name at least one destination`);
    for (const d of dests) {
      if (!declared.has(String(d)))
        problems.push(`dataFlows[${i}]: destination '${String(d)}' is not declared in destinations`);
    }
  });
  return problems;
}

/**
 * Harsher reading (no public source found): a Log Analytics destination in a known workspace of another region
 * is refused. Microsoft's Container insights onboarding always puts the rule in the workspace's region.
 */
function checkWorkspaceRegions(ctx: EmulatorContext, p: Json, location: string): void {
  const list = ((p.destinations as Json | undefined)?.logAnalytics ?? []) as Json[];
  for (const d of list) {
    const ws = ctx.state.monitor.workspaces.get(String(d.workspaceResourceId).toLowerCase());
    if (ws && normal(ws.location) !== normal(location)) {
      throw badRequest(
        'InvalidPayload',
        `The request payload is invalid: destinations.logAnalytics '${String(d.name)}': the workspace is in ` +
          `'${ws.location}' but the data collection rule is in '${location}'; they must be in the same region.`,
      );
    }
  }
}

function storedProperties(ctx: EmulatorContext, p: Json, immutableId: string): Json {
  const { immutableId: _i, provisioningState: _p, metadata: _m, ...rest } = structuredClone(p);
  const destinations = rest.destinations as { logAnalytics?: Json[] } | undefined;
  for (const d of destinations?.logAnalytics ?? []) {
    // workspaceId is the workspace's customer ID (read-only): the known workspace's, else derived from its ID.
    const key = String(d.workspaceResourceId).toLowerCase();
    const known = ctx.state.monitor.workspaces.get(key)?.properties.customerId;
    d.workspaceId = typeof known === 'string' ? known : guidFrom(key);
  }
  return { ...rest, immutableId, provisioningState: 'Succeeded' };
}

function touch(ctx: EmulatorContext, req: ArmRequest, rule: DataCollectionRuleRecord): void {
  rule.etag = `"${randomBytes(8).toString('hex')}-0000-0000-0000-000000000000"`;
  rule.systemData = {
    ...rule.systemData,
    lastModifiedBy: req.origin.principal,
    lastModifiedAt: new Date(ctx.now()).toISOString(),
  };
  emitResourceEvent(
    ctx,
    'write',
    rule.subscriptionId,
    rule.resourceGroup,
    rule.id,
    `${TYPE}/write`,
    req.origin,
  );
}

function normal(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

function guidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
