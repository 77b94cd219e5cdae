/** Bodies of the rollout routes, validated with the same error shape as policies. */
import { z } from 'zod';
import { POLICY_NAME_PATTERN } from '../../shared/domain/policy.js';
import { zodToValidationError } from '../../shared/domain/zodToValidationError.js';

const rolloutRequest = z.strictObject({
  policy: z.string().regex(POLICY_NAME_PATTERN, 'must be a policy name'),
});

const approveRequest = z
  .strictObject({
    clusters: z.array(z.string().min(1).max(1024)).min(1).max(10_000).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.clusters === undefined) !== (b.all === undefined), {
    message: 'give either clusters or "all": true',
  });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw zodToValidationError(r.error.issues, 'InvalidRequest');
  return r.data;
}

export const readRolloutRequest = (body: unknown) => parse(rolloutRequest, body);
export const readApproveRequest = (body: unknown) => parse(approveRequest, body);
