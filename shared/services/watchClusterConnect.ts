/**
 * The connect-watch (shared/domain/connectWatch.ts, decided by shared/domain/clusterHop/decideConnectWatch.ts).
 * `startConnectWatch`: an Event Grid write for a cluster
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
import { decideConnectWatch, look, type WatchObservation } from '../domain/clusterHop/decideConnectWatch.js';
import { connectWatchDelayMs, watchMessageLost, type ConnectWatch } from '../domain/connectWatch.js';
import { planPolicy } from '../domain/planner.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { newRolloutId } from './newRolloutId.js';
import { autoOnboardPolicies, firstAutoOnboardPolicy, onboardCluster } from './onboardCluster.js';
import { updateOnboardingMark } from './onboardingMark.js';
import type { Delivery } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { ignored } from './stepResult.js';
import { armRead, hopContext } from './applyClusterStep.js';

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
  const first = look(cluster.id, sent, delayMs);
  await deps.queue.send(first.queue, first.message, { delayMs });
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
  const obs: WatchObservation = { msg, dequeueCount: delivery?.dequeueCount ?? 1 };
  let d = decideConnectWatch(mark, obs, hopContext(deps));
  if ('need' in d) {
    obs.cluster = await armRead(deps, () => deps.arm.getCluster(msg.clusterId));
    d = decideConnectWatch(mark, obs, hopContext(deps));
  }
  if ('need' in d) throw new Error('decideConnectWatch: a second read asked for');
  if (d.mark) {
    const seen = mark?.state === 'Watching' ? mark.watch : undefined;
    // Written only while the row's watch is still at the look decided on: of two deliveries one wins.
    const wrote = await updateOnboardingMark(deps, msg.clusterId, (m) =>
      m?.state === 'Watching' && m.watch.id === seen?.id && m.watch.attempt === seen.attempt ? d.mark : false,
    );
    if (!wrote) return ignored('ConcurrentWatch');
    if (d.mark.state === 'WatchEnded')
      deps.log.info('connect-watch ended', { clusterId: msg.clusterId, watchId: msg.rolloutId, ...d.result });
  }
  for (const s of d.sends) await deps.queue.send(s.queue, s.message, { delayMs: s.delayMs ?? 0 });
  if (!d.onboard) return d.result;
  const onboarded = await onboardCluster(
    deps,
    d.onboard,
    `event:${mark?.state === 'Watching' ? mark.watch.eventId : ''}`,
  );
  deps.log.info('connect-watch ended: cluster connected', {
    clusterId: d.onboard.id,
    watchId: msg.rolloutId,
    attempts: msg.hop + 1,
    ...onboarded,
  });
  return { outcome: 'done', reason: onboarded.reason };
}

/** Ends a poisoned watch (the sweep takes over). */
export async function endPoisonedWatch(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  const reason = 'PoisonMessage';
  const at = deps.clock.now().toISOString();
  await updateOnboardingMark(deps, msg.clusterId, (m) =>
    m?.state === 'Watching' && m.watch.id === msg.rolloutId ? { state: 'WatchEnded', reason, at } : false,
  );
  deps.log.info('connect-watch ended', { clusterId: msg.clusterId, watchId: msg.rolloutId, reason });
  return { outcome: 'stalled', reason };
}
