/**
 * How the hop workers (`applyClusterStep`, `checkClusterStep`, `onboardMonitor`) take a message: a
 * redelivered one first appends its row's outbox (`recordLastEventIfRedelivered`); then the worker decides,
 * on this process's row copy only on a first delivery (rowCopies.ts); a lost ETag race (ConcurrencyError:
 * someone else wrote the row) decides again on a fresh read, up to TRIES times, and then the message goes
 * back to its queue after a check delay.
 */
import { ConcurrencyError } from '../domain/errors.js';
import type { ClusterWorkMessage, QueueName } from '../domain/records.js';
import type { Delivery } from './recordLastEvent.js';
import { recordLastEventIfRedelivered } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { requeued } from './stepResult.js';

const TRIES = 3;

export async function takeHopMessage(
  deps: ServiceDeps,
  queue: QueueName,
  msg: ClusterWorkMessage,
  delivery: Delivery | undefined,
  decideOnce: (copyAllowed: boolean) => Promise<StepResult>,
): Promise<StepResult> {
  await recordLastEventIfRedelivered(deps, msg, delivery);
  let copyAllowed = !delivery || delivery.dequeueCount <= 1;
  for (let i = 0; i < TRIES; i++) {
    try {
      return await decideOnce(copyAllowed);
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      copyAllowed = false;
      const { rolloutId, clusterId, hop } = msg;
      deps.log.info('Cluster row changed meanwhile; deciding again', { rolloutId, clusterId, hop, queue });
    }
  }
  await deps.queue.send(queue, msg, { delayMs: deps.settings.checkDelayMs });
  return requeued('ConcurrentUpdate', deps.settings.checkDelayMs);
}
