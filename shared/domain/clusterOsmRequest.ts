/** The body of PUT /clusters/{sub}/{rg}/{name}/osm: a policy to apply, or a version with settings. */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import { POLICY_NAME_PATTERN, RELEASE_TRAINS, VERSION_PATTERN, jsonMap } from './policy.js';
import { zodToValidationError } from './zodToValidationError.js';

const settings = jsonMap(z.string().min(1).max(256), z.string('values must be strings').max(4096));

const byPolicy = z.strictObject({
  policy: z.string().regex(POLICY_NAME_PATTERN, 'must be a policy name'),
});

const byVersion = z.strictObject({
  version: z.string().regex(VERSION_PATTERN, 'must be an OSM extension version such as 1.2.6'),
  releaseTrain: z
    .string()
    .refine(
      (s) => (RELEASE_TRAINS as readonly string[]).includes(s.toLowerCase()),
      'must be stable, staging, pilot or preview',
    )
    .optional(),
  configurationSettings: settings.optional(),
  configurationProtectedSettings: settings.optional(),
  crdUpgrades: z.enum(['requireApproval', 'allow']).optional(),
  /** The policy's spelling (`rollout.includeUnsupportedDistributions`). */
  includeUnsupportedDistributions: z.boolean().optional(),
  /** Deprecated spelling of the same field, still accepted (docs/api.md). */
  includeUnsupportedDistribution: z.boolean().optional(),
});

type ByVersion = Omit<z.output<typeof byVersion>, 'includeUnsupportedDistribution'>;
export type ClusterOsmRequest = z.output<typeof byPolicy> | ByVersion;

/**
 * `{ policy }` or `{ version, ... }`: the branch is chosen by the fields present, so every problem is
 * reported against the field that has it (a union would only say "Invalid input").
 */
export function parseClusterOsmRequest(body: unknown): ClusterOsmRequest {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.keys(body) : [];
  const hasPolicy = fields.includes('policy');
  if (hasPolicy === fields.includes('version')) {
    const message = 'give either "policy" or "version" (with its settings), not both';
    const path = hasPolicy ? 'policy' : '(body)';
    throw new ValidationError(`${path}: ${message}`, [{ path, message }], 'InvalidRequest');
  }
  if (hasPolicy) {
    const r = byPolicy.safeParse(body);
    if (!r.success) throw zodToValidationError(r.error.issues, 'InvalidRequest');
    return r.data;
  }
  const r = byVersion.safeParse(body);
  if (!r.success) throw zodToValidationError(r.error.issues, 'InvalidRequest');
  const { includeUnsupportedDistribution: old, ...request } = r.data;
  const current = request.includeUnsupportedDistributions;
  if (old !== undefined && current !== undefined && old !== current) {
    const path = 'includeUnsupportedDistribution';
    const message = 'contradicts includeUnsupportedDistributions (the old spelling of the same field)';
    throw new ValidationError(`${path}: ${message}`, [{ path, message }], 'InvalidRequest');
  }
  return old === undefined || current !== undefined
    ? request
    : { ...request, includeUnsupportedDistributions: old };
}
