/**
 * The connect-watch (shared/domain/connectWatch.ts). `startConnectWatch`: an Event Grid write for a cluster
 * that is not Connected yet, targeted by an `autoOnboard` policy with work to do, writes a watch on the
 * cluster's inventory row (ETag-conditional: duplicate deliveries of the event find it and do nothing) and
 * sends its first look as a delayed `connect-watch` message. `watchClusterConnect` (queue `connect-watch`):
 * one look = one ARM GET of the cluster; Connected -> `onboardCluster`; otherwise the next look is written
 * on the row, then sent (write before send: a duplicate message loses the ETag race and stops, so one chain
 * survives); a redelivered message whose look was recorded but not sent sends it again. The watch ends at
 * FLEET_CONNECT_WATCH_MINUTES, on Expired, or when the cluster is gone; the sweep's safety net
 * (`onboardMissedClusters`) covers a watch that ended or was lost.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import {
  connectWatchDelayMs,
  nextConnectWatchStep,
  watchMessageLost,
  type ConnectWatch,
} from '../domain/connectWatch.js';
import { planPolicy } from '../domain/planner.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armReaction, classifyArmFailure } from '../domain/armFailure.js';
import { newRolloutId } from './newRolloutId.js';
import { autoOnboardPolicies, firstAutoOnboardPolicy, onboardCluster } from './onboardCluster.js';
import { updateOnboardingMark } from './onboardingMark.js';
import type { Delivery } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { ignored, requeued } from './stepResult.js';

export type WatchStart = { outcome: 'watching' | 'noAction'; reason: string; watchId?: string };

/** `cluster`: as ARM reported it just now (not Connected), with its extensions. */
export async function startConnectWatch(
  deps: ServiceDeps,
  cluster: ClusterInfo,
  eventId: string,
): Promise<WatchStart> {
  const stored = firstAutoOnboardPolicy(deps, await autoOnboardPolicies(deps), cluster);
  if (!stored) return { outcome: 'noAction', reason: 'NoAutoOnboardPolicy' };
  const plan = planPolicy(stored.policy, [cluster], { catalog: deps.catalog, now: deps.clock.now() })
    .clusters[0];
  // Nothing to do once Connected (OSM already there, an unsupported distribution, Expired...): no watch.
  if (!plan?.pendingAction || plan.reason !== 'ClusterOffline')
    return { outcome: 'noAction', reason: plan?.reason ?? 'NotTargeted' };
  const now = deps.clock.now();
  const delayMs = connectWatchDelayMs(0, deps.settings.checkDelayMs);
  const watch: ConnectWatch = {
    id: `watch-${newRolloutId(now)}`,
    eventId,
    since: now.toISOString(),
    until: new Date(now.getTime() + deps.settings.connectWatchMs).toISOString(),
    attempt: 0,
    nextAt: new Date(now.getTime() + delayMs).toISOString(),
  };
  let resend: ConnectWatch | undefined;
  const wrote = await updateOnboardingMark(deps, cluster.id, (mark) => {
    resend = undefined;
    if (mark?.state === 'Watching' && Date.parse(mark.watch.until) > now.getTime()) {
      // A live watch: this is a duplicate event. Its message may have been lost in a crash: send it again.
      if (!watchMessageLost(mark.watch, now, deps.settings.checkDelayMs)) return false;
      resend = { ...mark.watch, nextAt: new Date(now.getTime() + delayMs).toISOString() };
      return { ...mark, watch: resend };
    }
    return { state: 'Watching', watch, at: now.toISOString() };
  });
  if (!wrote) return { outcome: 'noAction', reason: 'AlreadyWatching' };
  const sent = resend ?? watch;
  await deps.queue.send(QUEUES.connectWatch, message(cluster.id, sent), { delayMs });
  deps.log.info(resend ? 'connect-watch message sent again' : 'connect-watch started', {
    clusterId: cluster.id,
    watchId: sent.id,
    until: sent.until,
  });
  return { outcome: 'watching', reason: 'ClusterNotConnected', watchId: sent.id };
}

export async function watchClusterConnect(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  const inv = await deps.inventory.get(msg.clusterId.toLowerCase());
  const mark = inv?.value.onboarding;
  if (mark?.state !== 'Watching' || mark.watch.id !== msg.rolloutId) return ignored('WatchEnded');
  const watch = mark.watch;
  if (watch.attempt !== msg.hop) {
    // Our look was recorded, then the worker died before sending the next: send it (duplicates lose the race).
    if (watch.attempt === msg.hop + 1 && (delivery?.dequeueCount ?? 1) > 1) {
      const delayMs = Math.max(0, Date.parse(watch.nextAt) - deps.clock.now().getTime());
      await deps.queue.send(QUEUES.connectWatch, message(msg.clusterId, watch), { delayMs });
      return { outcome: 'done', reason: 'WatchResent' };
    }
    return ignored('StaleWatchMessage');
  }
  let cluster: ClusterInfo | undefined;
  try {
    cluster = await deps.arm.getCluster(msg.clusterId);
  } catch (e) {
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('connectWatchRead', f);
    if (a.reaction === 'requeue') {
      await deps.queue.send(QUEUES.connectWatch, msg, { delayMs: a.delayMs });
      return requeued(a.reason, a.delayMs);
    }
    return endWatch(deps, msg, a.reason);
  }
  if (!cluster) return endWatch(deps, msg, 'ClusterNotFound');
  const now = deps.clock.now();
  const step = nextConnectWatchStep({
    connectivity: cluster.connectivity,
    watch,
    now,
    checkDelayMs: deps.settings.checkDelayMs,
  });
  if (step.kind === 'end') return endWatch(deps, msg, step.reason);
  if (step.kind === 'onboard') {
    const onboarded = await onboardCluster(deps, cluster, `event:${watch.eventId}`);
    deps.log.info('connect-watch ended: cluster connected', {
      clusterId: cluster.id,
      watchId: watch.id,
      attempts: watch.attempt + 1,
      ...onboarded,
    });
    return { outcome: 'done', reason: onboarded.reason };
  }
  const next: ConnectWatch = {
    ...watch,
    attempt: watch.attempt + 1,
    nextAt: new Date(now.getTime() + step.delayMs).toISOString(),
  };
  const wrote = await updateOnboardingMark(deps, msg.clusterId, (m) =>
    m?.state === 'Watching' && m.watch.id === watch.id && m.watch.attempt === watch.attempt
      ? { ...m, watch: next }
      : false,
  );
  if (!wrote) return ignored('ConcurrentWatch');
  await deps.queue.send(QUEUES.connectWatch, message(msg.clusterId, next), { delayMs: step.delayMs });
  return requeued('ClusterNotConnected', step.delayMs);
}

async function endWatch(deps: ServiceDeps, msg: ClusterWorkMessage, reason: string): Promise<StepResult> {
  const at = deps.clock.now().toISOString();
  await updateOnboardingMark(deps, msg.clusterId, (m) =>
    m?.state === 'Watching' && m.watch.id === msg.rolloutId ? { state: 'WatchEnded', reason, at } : false,
  );
  deps.log.info('connect-watch ended', { clusterId: msg.clusterId, watchId: msg.rolloutId, reason });
  return { outcome: 'stalled', reason };
}

/** Ends a poisoned watch (the sweep takes over). */
export function endPoisonedWatch(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  return endWatch(deps, msg, 'PoisonMessage');
}

const message = (clusterId: string, w: ConnectWatch): ClusterWorkMessage => ({
  rolloutId: w.id,
  clusterId: clusterId.toLowerCase(),
  hop: w.attempt,
});
