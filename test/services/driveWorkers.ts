/** Runs queued work through the cluster workers the way the Functions host would, for service tests. */
import type { FakeDeps } from '../fakes/fakeDeps.js';
import type { SentMessage } from '../fakes/memoryStores.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { onboardMonitor } from '../../shared/services/onboardMonitor.js';
import type { StepResult } from '../../shared/services/stepResult.js';
import { watchClusterConnect } from '../../shared/services/watchClusterConnect.js';

export function handle(deps: FakeDeps, m: SentMessage): Promise<StepResult> {
  if (m.queue === 'cluster-steps') return applyClusterStep(deps, m.message);
  if (m.queue === 'cluster-checks') return checkClusterStep(deps, m.message);
  if (m.queue === 'connect-watch') return watchClusterConnect(deps, m.message);
  return onboardMonitor(deps, m.message);
}

/**
 * Delivers every queued message (advancing the clock by its delay), settling ARM operations that are in
 * progress before each check (`settle: false` leaves them running), until the queues are empty.
 */
export async function drive(
  deps: FakeDeps,
  opts: { settle?: boolean; maxRounds?: number } = {},
): Promise<{ message: SentMessage; result: StepResult }[]> {
  const log: { message: SentMessage; result: StepResult }[] = [];
  for (let round = 0; round < (opts.maxRounds ?? 100); round++) {
    const batch = deps.queue.drain();
    if (!batch.length) return log;
    for (const m of batch) {
      deps.clock.advance(m.delayMs);
      if (opts.settle !== false && m.queue !== 'cluster-steps') deps.arm.settleAll();
      log.push({ message: m, result: await handle(deps, m) });
    }
  }
  throw new Error('drive: queues never emptied');
}
