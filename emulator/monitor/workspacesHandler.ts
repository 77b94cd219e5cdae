// Microsoft.OperationalInsights/workspaces (2022-10-01): PUT (201 new / 200 existing, answered complete), GET,
// DELETE (200 / 204 absent). Bodies are checked against the vendored spec (Workspaces.json, definition
// `Workspace`); `properties.customerId` (read-only, "the ID associated with the workspace") is a GUID made at
// create and kept across updates. Tests and the local stack can also seed one through POST /_emulator/workspaces.
import { randomBytes, randomUUID } from 'node:crypto';
import { badRequest, resourceNotFound } from '../armError.js';
import type { EmulatorContext } from '../emulatorContext.js';
import { emitResourceEvent } from '../emulatorContext.js';
import { systemDataFor } from '../emulatorState.js';
import { stringMap } from '../extensionRules.js';
import type { ArmRequest, ArmResponse } from '../httpTypes.js';
import { invalidPayload, methodNotAllowed } from './monitorArm.js';
import { specProblems, WORKSPACE_SPEC } from './monitorSpec.js';
import type { WorkspaceRecord } from './monitorStore.js';

const TYPE = 'Microsoft.OperationalInsights/workspaces';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Json = Record<string, unknown>;

export interface WorkspaceSeed {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** The customer ID to give it (a GUID); generated when absent. */
  customerId?: string;
}

export function workspaceIdOf(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/${TYPE}/${name}`;
}

export function workspaceBody(w: WorkspaceRecord): Json {
  return {
    properties: structuredClone(w.properties),
    location: w.location,
    ...(w.tags ? { tags: { ...w.tags } } : {}),
    id: w.id,
    name: w.name,
    type: TYPE,
    etag: w.etag,
    systemData: { ...w.systemData },
  };
}

export function handleWorkspace(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  name: string,
): ArmResponse {
  const id = workspaceIdOf(sub, rg, name);
  const existing = ctx.state.monitor.workspaces.get(id.toLowerCase());
  switch (req.method) {
    case 'GET':
      if (!existing) throw resourceNotFound(TYPE, name, rg);
      return { status: 200, body: workspaceBody(existing) };
    case 'PUT':
      return putWorkspace(ctx, req, sub, rg, name, existing);
    case 'DELETE':
      if (!existing) return { status: 204 };
      ctx.state.monitor.workspaces.delete(id.toLowerCase());
      emitResourceEvent(ctx, 'delete', sub, rg, existing.id, `${TYPE}/delete`, req.origin);
      return { status: 200 };
    default:
      throw methodNotAllowed(req);
  }
}

/** Creates (or replaces) a workspace without a request: the control API's seed for the stack's workspace. */
export function seedWorkspace(ctx: EmulatorContext, seed: WorkspaceSeed): Json {
  const problems: string[] = [];
  for (const key of ['subscriptionId', 'resourceGroup', 'name', 'location'] as const) {
    if (typeof seed[key] !== 'string' || seed[key] === '') problems.push(`${key} is required`);
  }
  if (seed.customerId !== undefined && !GUID.test(String(seed.customerId)))
    problems.push('customerId must be a GUID');
  if (problems.length) throw invalidPayload(problems);
  const id = workspaceIdOf(seed.subscriptionId, seed.resourceGroup, seed.name);
  const at = new Date(ctx.now()).toISOString();
  const record: WorkspaceRecord = {
    id,
    name: seed.name,
    subscriptionId: seed.subscriptionId,
    resourceGroup: seed.resourceGroup,
    location: seed.location,
    properties: propertiesOf({}, seed.customerId ?? randomUUID(), at, at),
    etag: newEtag(),
    systemData: systemDataFor('emulator-seed', ctx.now()),
  };
  ctx.state.ensureResourceGroup(seed.subscriptionId, seed.resourceGroup, seed.location);
  ctx.state.monitor.workspaces.set(id.toLowerCase(), record);
  return workspaceBody(record);
}

function putWorkspace(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  rg: string,
  name: string,
  existing: WorkspaceRecord | undefined,
): ArmResponse {
  const b = req.body as Json | undefined;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw badRequest('InvalidPayload', 'The request payload is invalid: the body must be a JSON object.');
  const problems = specProblems(WORKSPACE_SPEC, 'Workspace', b);
  if (problems.length) throw invalidPayload(problems);
  const location = String(b.location);
  if (existing && normal(existing.location) !== normal(location)) {
    throw badRequest(
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${existing.location}' in resource group '${rg}'. ` +
        `A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  const now = new Date(ctx.now()).toISOString();
  const customerId = (existing?.properties.customerId as string | undefined) ?? randomUUID();
  const created = (existing?.properties.createdDate as string | undefined) ?? now;
  const record: WorkspaceRecord = existing ?? {
    id: workspaceIdOf(sub, rg, name),
    name,
    subscriptionId: sub,
    resourceGroup: rg,
    location,
    properties: {},
    etag: '',
    systemData: systemDataFor(req.origin.principal, ctx.now()),
  };
  record.tags = stringMap(b.tags, 'tags');
  record.properties = propertiesOf((b.properties ?? {}) as Json, customerId, created, now);
  record.etag = newEtag();
  record.systemData = { ...record.systemData, lastModifiedBy: req.origin.principal, lastModifiedAt: now };
  ctx.state.ensureResourceGroup(sub, rg, location);
  ctx.state.monitor.workspaces.set(record.id.toLowerCase(), record);
  emitResourceEvent(ctx, 'write', sub, rg, record.id, `${TYPE}/write`, req.origin);
  return { status: existing ? 200 : 201, body: workspaceBody(record) };
}

function propertiesOf(sent: Json, customerId: string, created: string, modified: string): Json {
  const {
    customerId: _c,
    provisioningState: _p,
    createdDate: _cd,
    modifiedDate: _md,
    privateLinkScopedResources: _pl,
    ...rest
  } = structuredClone(sent);
  return {
    ...rest,
    customerId,
    provisioningState: 'Succeeded',
    createdDate: created,
    modifiedDate: modified,
  };
}

function newEtag(): string {
  return `"${randomBytes(8).toString('hex')}-0000-0000-0000-000000000000"`;
}

function normal(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}
