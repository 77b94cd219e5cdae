/**
 * Runs queued work through the cluster workers as the Functions host does with Storage Queues (host.json
 * `extensions.queues`), on the fake clock, for service tests:
 * - a message sent with a delay becomes visible at send time + delay; the earliest visible message runs next
 *   and the clock moves to its time, so overlapping delays are not summed;
 * - each delivery passes its `dequeueCount` (1 on the first) to the worker, as the host's trigger metadata does;
 * - a worker that throws has its message delivered again after the visibility timeout (30 s), up to
 *   `maxDequeueCount` (5) deliveries; then the message goes to `<queue>-poison` and the poison worker runs
 *   (recordPoisonedWork), as functions/workers.ts registers it.
 * ARM operations in progress are settled before each check or monitor step (`settle: false` leaves them).
 */
import type { FakeDeps } from '../fakes/fakeDeps.js';
import type { SentMessage } from '../fakes/memoryStores.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { onboardMonitor } from '../../shared/services/onboardMonitor.js';
import { recordPoisonedWork } from '../../shared/services/recordPoisonedWork.js';
import type { StepResult } from '../../shared/services/stepResult.js';
import { watchClusterConnect } from '../../shared/services/watchClusterConnect.js';

/** host.json: `maxDequeueCount` and `visibilityTimeout` (the delay before a failed message is tried again). */
export const HOST_MAX_DEQUEUE_COUNT = 5;
export const HOST_RETRY_DELAY_MS = 30_000;

export function handle(deps: FakeDeps, m: SentMessage, dequeueCount = 1): Promise<StepResult> {
  const delivery = { dequeueCount };
  if (m.queue === 'cluster-steps') return applyClusterStep(deps, m.message, delivery);
  if (m.queue === 'cluster-checks') return checkClusterStep(deps, m.message, delivery);
  if (m.queue === 'connect-watch') return watchClusterConnect(deps, m.message, delivery);
  return onboardMonitor(deps, m.message, delivery);
}

export interface DeliveryRecord {
  message: SentMessage;
  dequeueCount: number;
  /** The worker's answer; absent when it threw. */
  result?: StepResult;
  error?: unknown;
  /** The message went to the poison queue after this delivery. */
  poisoned?: boolean;
}

interface Pending {
  message: SentMessage;
  visibleAt: number;
  dequeueCount: number;
  order: number;
}

export async function drive(
  deps: FakeDeps,
  opts: {
    settle?: boolean;
    maxDeliveries?: number;
    maxDequeueCount?: number;
    /** Rethrow the first error instead of redelivering (a test that simulates the message being lost). */
    propagateErrors?: boolean;
  } = {},
): Promise<DeliveryRecord[]> {
  const log: DeliveryRecord[] = [];
  const pending: Pending[] = [];
  let order = 0;
  const take = () => {
    const now = deps.clock.now().getTime();
    for (const m of deps.queue.drain())
      pending.push({ message: m, visibleAt: now + m.delayMs, dequeueCount: 0, order: order++ });
  };
  const maxDequeueCount = opts.maxDequeueCount ?? HOST_MAX_DEQUEUE_COUNT;
  for (let n = 0; n < (opts.maxDeliveries ?? 1000); n++) {
    take();
    if (!pending.length) return log;
    pending.sort((a, b) => a.visibleAt - b.visibleAt || a.order - b.order);
    const next = pending.shift()!;
    const wait = next.visibleAt - deps.clock.now().getTime();
    if (wait > 0) deps.clock.advance(wait);
    if (opts.settle !== false && next.message.queue !== 'cluster-steps') deps.arm.settleAll();
    const dequeueCount = next.dequeueCount + 1;
    try {
      log.push({
        message: next.message,
        dequeueCount,
        result: await handle(deps, next.message, dequeueCount),
      });
    } catch (error) {
      if (opts.propagateErrors) throw error;
      const poisoned = dequeueCount >= maxDequeueCount;
      log.push({ message: next.message, dequeueCount, error, ...(poisoned ? { poisoned } : {}) });
      if (poisoned) await recordPoisonedWork(deps, next.message.queue, next.message.message);
      else
        pending.push({
          ...next,
          dequeueCount,
          visibleAt: deps.clock.now().getTime() + HOST_RETRY_DELAY_MS,
          order: order++,
        });
    }
  }
  throw new Error('drive: queues never emptied');
}
