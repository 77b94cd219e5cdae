/**
 * Policies: create or replace, read, list, delete. Protected setting values are never returned (views list
 * their keys only) and never stored in the table: each set of values is a new version of the policy's Key
 * Vault secret, referenced from the row (protectedSettings.ts). A PUT that leaves out
 * `osm.configurationProtectedSettings` keeps the stored reference (a policy read back with GET and sent
 * again loses nothing); an explicit `{}` clears them. Deleting the policy deletes its secret (docs/security.md).
 */
import { ConcurrencyError, ConflictError, NotFoundError } from '../domain/errors.js';
import type { Policy } from '../domain/policy.js';
import { parsePolicy } from '../domain/policy.js';
import type { Page, PageRequest, ProtectedSettingsRef, StoredPolicy, Versioned } from '../domain/records.js';
import { policySecretName, sealProtectedSettings, withoutProtectedValues } from './protectedSettings.js';
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
  const keys = stored.protectedSettings?.keys ?? Object.keys(configurationProtectedSettings).sort();
  return {
    ...stored.policy,
    osm: { ...osm, configurationProtectedSettingKeys: keys },
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
  checkIfMatch(name, ifMatch, existing?.etag);
  const now = deps.clock.now().toISOString();
  const createdAt = existing?.value.createdAt ?? now;
  const protectedSettings = await protectedSettingsFor(deps, policy, body, existing?.value, createdAt);
  const stored: StoredPolicy = {
    policy: withoutProtectedValues(policy),
    createdAt,
    updatedAt: now,
    ...(existing?.value.lastScheduledRunAt ? { lastScheduledRunAt: existing.value.lastScheduledRunAt } : {}),
    ...(protectedSettings ? { protectedSettings } : {}),
  };
  const since = autoOnboardSince(existing?.value, policy.autoOnboard, now);
  if (since) stored.autoOnboardSince = since;
  // Create if absent, else replace exactly the version read (If-Match, when given, was checked against it).
  const etag = await deps.policies.put(stored, existing ? existing.etag : null);
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
  checkIfMatch(name, ifMatch, found.etag);
  const active = (await deps.rollouts.listActive()).find((r) => r.value.rollout.policy === name);
  if (active)
    throw new ConflictError(
      `policy "${name}" has an active rollout (${active.value.rollout.id}); cancel it first`,
      'RolloutInProgress',
    );
  await deps.policies.delete(name, found.etag);
  deps.log.info('policy deleted', { policy: name });
  // No active rollout of the policy needs its secret (checked above); the vault keeps it soft-deleted.
  const secretName = policySecretName(name, found.value.createdAt);
  try {
    await deps.secrets.delete(secretName);
  } catch (err) {
    deps.log.warn('policy secret not deleted', { policy: name, secretName, error: String(err) });
  }
}

/**
 * The reference the new row keeps: new values (even `{}`, which clears) sealed as a new secret version;
 * values left out keep the stored reference (a row from before the vault has its values sealed now).
 */
async function protectedSettingsFor(
  deps: ServiceDeps,
  policy: Policy,
  body: unknown,
  existing: StoredPolicy | undefined,
  createdAt: string,
): Promise<ProtectedSettingsRef | undefined> {
  const keep = !hasProtectedSettings(body) && existing;
  if (keep && existing.protectedSettings) return existing.protectedSettings;
  const values = keep
    ? existing.policy.osm.configurationProtectedSettings
    : policy.osm.configurationProtectedSettings;
  return sealProtectedSettings(
    deps,
    policySecretName(policy.name, createdAt),
    values,
    `policy/${policy.name}`,
  );
}

function hasProtectedSettings(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const osm = (body as { osm?: unknown }).osm;
  return typeof osm === 'object' && osm !== null && 'configurationProtectedSettings' in osm;
}

/**
 * If-Match names a version (or `*`, any): when the policy is absent or at another version, the
 * precondition fails (412) before any write. Checked here, not only by the store, so that a value that is
 * no ETag at all is a 412 rather than the store's 400; the write stays conditional on the ETag read.
 */
function checkIfMatch(name: string, ifMatch: string | undefined, current: string | undefined): void {
  if (ifMatch === undefined) return;
  if (current === undefined)
    throw new ConcurrencyError(`policy "${name}" does not exist, so If-Match cannot match`);
  if (ifMatch.trim() !== '*' && ifMatch.trim() !== current)
    throw new ConcurrencyError(`policy "${name}" has changed since that ETag (If-Match)`);
}

/** When autoOnboard took effect: kept while it stays on, now when it is turned on, nothing when off. */
function autoOnboardSince(
  existing: StoredPolicy | undefined,
  autoOnboard: boolean,
  now: string,
): string | undefined {
  if (!autoOnboard) return undefined;
  if (!existing?.policy.autoOnboard) return now;
  return existing.autoOnboardSince ?? existing.updatedAt;
}
