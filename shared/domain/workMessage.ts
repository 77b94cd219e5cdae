/**
 * The one validation of a work message (a ClusterWorkMessage on `cluster-steps`, `cluster-checks`,
 * `monitor-steps`), used by the queue adapter before sending, by the Functions workers (the host hands them
 * the message JSON-parsed, or as a string) and by the local host. A malformed message can never become valid,
 * so every host reacts the same way: the worker throws with the reason, the host retries it up to
 * `maxDequeueCount` and moves it to `<queue>-poison`, where the poison worker logs the reason.
 */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { ClusterWorkMessage } from './records.js';

export const workMessageSchema = z.object({
  rolloutId: z.string().min(1).max(256),
  clusterId: z.string().min(1).max(1024),
  hop: z.int().min(0).max(1000),
  operationId: z.string().min(1).max(256).optional(),
  intentAt: z.iso.datetime().optional(),
});

export type WorkMessageRead = { ok: true; message: ClusterWorkMessage } | { ok: false; reason: string };

/** Reads a message given as an object or as JSON text; unknown fields are dropped. */
export function readWorkMessage(value: unknown): WorkMessageRead {
  let input = value;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as unknown;
    } catch {
      return { ok: false, reason: 'not JSON' };
    }
  }
  const r = workMessageSchema.safeParse(input);
  if (r.success) {
    const { operationId, intentAt, ...rest } = r.data;
    return {
      ok: true,
      message: {
        ...rest,
        ...(operationId === undefined ? {} : { operationId }),
        ...(intentAt === undefined ? {} : { intentAt }),
      },
    };
  }
  const reason = r.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(message)'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason };
}

/** The message, or a ValidationError (code `MalformedWorkMessage`) naming what is wrong. */
export function parseWorkMessage(value: unknown): ClusterWorkMessage {
  const read = readWorkMessage(value);
  if (read.ok) return read.message;
  throw new ValidationError(`malformed work message: ${read.reason}`, [], 'MalformedWorkMessage');
}
