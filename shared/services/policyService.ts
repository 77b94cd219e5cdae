/**
 * Policies: create or replace, read, list, delete. Protected setting values are stored and never returned:
 * views list their keys only. A PUT that leaves out `osm.configurationProtectedSettings` keeps the stored
 * ones (a policy read back with GET and sent again loses nothing); an explicit `{}` clears them.
 */
import { ConcurrencyError, ConflictError, NotFoundError } from '../domain/errors.js';
import type { Policy } from '../domain/policy.js';
import { parsePolicy } from '../domain/policy.js';
import type { Page, PageRequest, StoredPolicy, Versioned } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface PolicyView extends Omit<Policy, 'osm'> {
  osm: Omit<Policy['osm'], 'configurationProtectedSettings'> & {
    configurationProtectedSettingKeys: string[];
  };
  createdAt: string;
  updatedAt: string;
}

export function policyView(stored: StoredPolicy): PolicyView {
  const { configurationProtectedSettings, ...osm } = stored.policy.osm;
  return {
    ...stored.policy,
    osm: { ...osm, configurationProtectedSettingKeys: Object.keys(configurationProtectedSettings).sort() },
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}

export interface PutPolicyResult {
  created: boolean;
  view: PolicyView;
  etag: string;
}

/** Validates and stores `body` as policy `name`. `ifMatch` (from If-Match) must match the stored ETag. */
export async function putPolicy(
  deps: ServiceDeps,
  name: string,
  body: unknown,
  ifMatch?: string,
): Promise<PutPolicyResult> {
  const policy = parsePolicy(name, body, { isKnownVersion: (v) => deps.catalog.has(v) });
  const existing = await deps.policies.get(name);
  // If-Match names a version: when there is none, that precondition fails (412), as in HTTP.
  if (ifMatch !== undefined && !existing)
    throw new ConcurrencyError(`policy "${name}" does not exist, so If-Match cannot match`);
  const keepSecrets = !hasProtectedSettings(body) && existing;
  if (keepSecrets)
    policy.osm.configurationProtectedSettings = existing.value.policy.osm.configurationProtectedSettings;
  const now = deps.clock.now().toISOString();
  const stored: StoredPolicy = {
    policy,
    createdAt: existing?.value.createdAt ?? now,
    updatedAt: now,
    ...(existing?.value.lastScheduledRunAt ? { lastScheduledRunAt: existing.value.lastScheduledRunAt } : {}),
  };
  // If-Match given: replace exactly that version. Otherwise: create if absent, replace the version we read.
  const etag = await deps.policies.put(stored, ifMatch ?? (existing ? existing.etag : null));
  deps.log.info('policy saved', { policy: name, created: !existing });
  return { created: !existing, view: policyView(stored), etag };
}

export async function getPolicy(deps: ServiceDeps, name: string): Promise<Versioned<PolicyView>> {
  const found = await deps.policies.get(name);
  if (!found) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  return { value: policyView(found.value), etag: found.etag };
}

export async function listPolicies(deps: ServiceDeps, page?: PageRequest): Promise<Page<PolicyView>> {
  const result = await deps.policies.list(page);
  return { ...result, items: result.items.map((p) => policyView(p.value)) };
}

/** Deletes a policy; 409 while a rollout of it is active. */
export async function deletePolicy(deps: ServiceDeps, name: string, ifMatch?: string): Promise<void> {
  const found = await deps.policies.get(name);
  if (!found) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  const active = (await deps.rollouts.listActive()).find((r) => r.value.rollout.policy === name);
  if (active)
    throw new ConflictError(
      `policy "${name}" has an active rollout (${active.value.rollout.id}); cancel it first`,
      'RolloutInProgress',
    );
  await deps.policies.delete(name, ifMatch ?? found.etag);
  deps.log.info('policy deleted', { policy: name });
}

function hasProtectedSettings(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const osm = (body as { osm?: unknown }).osm;
  return typeof osm === 'object' && osm !== null && 'configurationProtectedSettings' in osm;
}
