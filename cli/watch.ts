/**
 * `--watch`: polls `GET /rollouts/{id}` and redraws the per-wave bars of local/progressView.ts until the
 * rollout is over (a final state or Halted) or settled (only AwaitingApproval / Deferred clusters left).
 */
import { ProgressView } from '../local/progressView.js';
import { ApiError, type ApiClient } from './apiClient.js';
import type { RolloutView } from './types.js';

export const FAILED_STATES = ['Failed', 'Halted', 'Cancelled'];
const FINAL_STATES = ['Succeeded', 'Failed', 'Cancelled', 'Halted'];

export function isSettled(r: RolloutView): boolean {
  if (FINAL_STATES.includes(r.state)) return true;
  const open = r.counts.pending + r.counts.inProgress;
  // Every cluster done but the rollout not yet final: its next reconcile ends it, so keep watching.
  const waiting = r.counts.awaitingApproval + r.counts.deferred;
  return (
    open === 0 && waiting > 0 && r.waves.every((w) => w.state === 'Completed' || w.state === 'Cancelled')
  );
}

export function rolloutPath(id: string): string {
  return `/rollouts/${encodeURIComponent(id)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Answers no one could act on (a restart, a throttled call): retried a few times while watching. */
function transient(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 0 || e.status === 429 || e.status >= 500);
}

export async function watchRollout(
  client: ApiClient,
  id: string,
  options: { intervalMs: number; quiet: boolean; first?: RolloutView },
): Promise<RolloutView> {
  const view = options.quiet ? undefined : new ProgressView(process.stdout);
  let r = options.first;
  let failures = 0;
  for (;;) {
    if (!r) {
      try {
        r = await client.get<RolloutView>(rolloutPath(id));
        failures = 0;
      } catch (e) {
        if (!transient(e) || ++failures > 5) throw e;
        await sleep(options.intervalMs);
        continue;
      }
    }
    view?.show(r);
    if (isSettled(r)) return r;
    await sleep(options.intervalMs);
    r = undefined;
  }
}
