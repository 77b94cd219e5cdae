import { z } from 'zod';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';

const schema = z.object({
  rolloutId: z.string().min(1).max(256),
  clusterId: z.string().min(1).max(1024),
  hop: z.int().min(0).max(1000),
  operationId: z.string().min(1).max(256).optional(),
});

/** A queue message as the host hands it over (already JSON-parsed, or a string); undefined when malformed. */
export function readWorkMessage(message: unknown): ClusterWorkMessage | undefined {
  let value = message;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  const r = schema.safeParse(value);
  return r.success ? (r.data as ClusterWorkMessage) : undefined;
}
