/**
 * Protected setting values at rest (docs/security.md, item 3): each set of values is one version of a Key
 * Vault secret (a JSON object), referenced from the policy row and from each rollout's snapshot by name and
 * version; rows keep the keys only. A policy's secret is named after the policy and its creation time (a
 * policy deleted and created again never meets its predecessor's soft-deleted secret); values that have no
 * policy secret (a one-off install, a row written before secrets moved to the vault) get one per rollout.
 */
import type { Policy } from '../domain/policy.js';
import type { ProtectedSettingsRef } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

/** Key Vault secret names: 1-127 of `[0-9a-zA-Z-]`. Policy names are lower-case letters, digits, dashes. */
export function policySecretName(policyName: string, createdAt: string): string {
  return `policy-${policyName}-${Date.parse(createdAt).toString(36)}`;
}

export function rolloutSecretName(rolloutId: string): string {
  return `rollout-${rolloutId.replace(/[^0-9a-zA-Z-]/g, '-')}`;
}

/** Writes `settings` as a new version of `secretName`; undefined (nothing written) when there are none. */
export async function sealProtectedSettings(
  deps: Pick<ServiceDeps, 'secrets'>,
  secretName: string,
  settings: Readonly<Record<string, string>>,
  owner: string,
): Promise<ProtectedSettingsRef | undefined> {
  const keys = Object.keys(settings).sort();
  if (keys.length === 0) return undefined;
  const version = await deps.secrets.set(secretName, JSON.stringify(settings), { owner });
  return { secretName, version, keys };
}

/** The values of one secret version; a value that is not a JSON object of strings is a bug (thrown). */
export async function revealProtectedSettings(
  deps: Pick<ServiceDeps, 'secrets'>,
  ref: ProtectedSettingsRef,
): Promise<Record<string, string>> {
  const parsed: unknown = JSON.parse(await deps.secrets.get(ref.secretName, ref.version));
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === 'string')
  )
    throw new Error(`secret ${ref.secretName} version ${ref.version} is not a map of settings`);
  return parsed as Record<string, string>;
}

/** The policy as rows keep it: protected setting values removed (the reference holds them). */
export function withoutProtectedValues(policy: Policy): Policy {
  return { ...policy, osm: { ...policy.osm, configurationProtectedSettings: {} } };
}

/**
 * Protected settings of a rollout snapshot: the stored policy's reference when it has one; otherwise the
 * values the policy carries (one-off, or a row from before the vault) sealed into the rollout's own secret.
 */
export async function snapshotProtectedSettings(
  deps: Pick<ServiceDeps, 'secrets'>,
  policy: Policy,
  ref: ProtectedSettingsRef | undefined,
  rolloutId: string,
): Promise<ProtectedSettingsRef | undefined> {
  if (ref) return ref;
  return sealProtectedSettings(
    deps,
    rolloutSecretName(rolloutId),
    policy.osm.configurationProtectedSettings,
    `rollout/${rolloutId}`,
  );
}
