/** The body of PUT /clusters/{sub}/{rg}/{name}/osm: a policy to apply, or a version with settings. */
import { z } from 'zod';
import { POLICY_NAME_PATTERN, RELEASE_TRAINS, VERSION_PATTERN } from './policy.js';
import { zodToValidationError } from './zodToValidationError.js';

const settings = z.record(z.string().min(1).max(256), z.string().max(4096));

const schema = z.union([
  z.strictObject({ policy: z.string().regex(POLICY_NAME_PATTERN, 'must be a policy name') }),
  z.strictObject({
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
    includeUnsupportedDistribution: z.boolean().optional(),
  }),
]);

export type ClusterOsmRequest = z.output<typeof schema>;

export function parseClusterOsmRequest(body: unknown): ClusterOsmRequest {
  const r = schema.safeParse(body);
  if (!r.success) throw zodToValidationError(r.error.issues, 'InvalidRequest');
  return r.data;
}
