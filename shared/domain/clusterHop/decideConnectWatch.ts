/**
 * Queue `connect-watch`, decided: one look at a cluster that an Event Grid write reported before it was
 * Connected (shared/domain/connectWatch.ts). The watch lives on the cluster's inventory row (`onboarding`);
 * a message carries the watch id (`rolloutId`) and the look's number (`hop`).
 * - the row's watch is another one or over -> ignored `WatchEnded`;
 * - the row records the next look already: a redelivery (the worker died between that write and its send)
 *   sends it again `WatchResent`; a duplicate is ignored `StaleWatchMessage`;
 * - otherwise one ARM GET of the cluster: a failure the meaning table retries -> the same message later;
 *   any other failure, the cluster gone, Expired, or the watch past its end -> the watch ends (the sweep's
 *   safety net takes over); Connected -> onboard; else the next look is written (ETag-conditional on the
 *   watch's attempt: of two deliveries one wins) and then sent.
 */
import { armReaction } from '../armFailure.js';
import type { ClusterInfo } from '../cluster.js';
import { nextConnectWatchStep, type ConnectWatch, type OnboardingMark } from '../connectWatch.js';
import { QUEUES, type ClusterWorkMessage } from '../records.js';
import type { StepResult } from '../stepResult.js';
import type { HopContext, Read, Send } from './hopDecision.js';

export interface WatchObservation {
  msg: ClusterWorkMessage;
  dequeueCount: number;
  cluster?: Read<ClusterInfo | undefined>;
}

export type WatchDecision =
  | { need: 'cluster' }
  | {
      /** The new mark, written only if the row's watch is still at the look this decision saw. */
      mark?: OnboardingMark;
      sends: Send[];
      /** Onboard the cluster (a rollout of the autoOnboard policy; it marks the onboarding Decided). */
      onboard?: ClusterInfo;
      result: StepResult;
    };

export function decideConnectWatch(
  mark: OnboardingMark | undefined,
  obs: WatchObservation,
  ctx: HopContext,
): WatchDecision {
  const { msg } = obs;
  if (mark?.state !== 'Watching' || mark.watch.id !== msg.rolloutId)
    return { sends: [], result: { outcome: 'ignored', reason: 'WatchEnded' } };
  const watch = mark.watch;
  if (watch.attempt !== msg.hop) {
    if (watch.attempt === msg.hop + 1 && obs.dequeueCount > 1) {
      const delayMs = Math.max(0, Date.parse(watch.nextAt) - ctx.now.getTime());
      return {
        sends: [look(msg.clusterId, watch, delayMs)],
        result: { outcome: 'done', reason: 'WatchResent' },
      };
    }
    return { sends: [], result: { outcome: 'ignored', reason: 'StaleWatchMessage' } };
  }
  if (!obs.cluster) return { need: 'cluster' };
  if ('failure' in obs.cluster) {
    const a = armReaction('connectWatchRead', obs.cluster.failure);
    if (a.reaction === 'requeue')
      return {
        sends: [{ queue: QUEUES.connectWatch, message: msg, delayMs: a.delayMs }],
        result: { outcome: 'requeued', reason: a.reason, delayMs: a.delayMs },
      };
    return endWatch(ctx, a.reason);
  }
  const cluster = obs.cluster.ok;
  if (!cluster) return endWatch(ctx, 'ClusterNotFound');
  const step = nextConnectWatchStep({
    connectivity: cluster.connectivity,
    watch,
    now: ctx.now,
    checkDelayMs: ctx.settings.checkDelayMs,
  });
  if (step.kind === 'end') return endWatch(ctx, step.reason);
  if (step.kind === 'onboard')
    return { sends: [], onboard: cluster, result: { outcome: 'done', reason: 'ClusterConnected' } };
  const next: ConnectWatch = {
    ...watch,
    attempt: watch.attempt + 1,
    nextAt: new Date(ctx.now.getTime() + step.delayMs).toISOString(),
  };
  return {
    mark: { ...mark, watch: next },
    sends: [look(msg.clusterId, next, step.delayMs)],
    result: { outcome: 'requeued', reason: 'ClusterNotConnected', delayMs: step.delayMs },
  };
}

function endWatch(ctx: HopContext, reason: string): WatchDecision {
  return {
    mark: { state: 'WatchEnded', reason, at: ctx.now.toISOString() },
    sends: [],
    result: { outcome: 'stalled', reason },
  };
}

/** The message of a watch's next look. */
export function look(clusterId: string, w: ConnectWatch, delayMs: number): Send {
  return {
    queue: QUEUES.connectWatch,
    message: { rolloutId: w.id, clusterId: clusterId.toLowerCase(), hop: w.attempt },
    delayMs,
  };
}
