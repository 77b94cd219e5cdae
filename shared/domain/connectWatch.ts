/**
 * Onboarding a new cluster without a connect event. `az connectedk8s connect` creates the connectedClusters
 * resource while it is still `Connecting` (its one ARM write, hence its one Event Grid event); the agents'
 * heartbeat that later makes it `Connected` is no ARM write and raises no event (vendor/reference/azure.md,
 * docs/operations.md). So a write for a cluster not yet Connected starts a bounded connect-watch (a chain of
 * delayed queue messages, each an ARM GET of the cluster), and the timer's sweep onboards what an event or
 * a watch missed: a cluster targeted by an `autoOnboard` policy, created in ARM (`systemData.createdAt`)
 * after the policy took effect, Connected and without OSM, that the fleet manager never acted on.
 * Pure decisions only: the services read, write and send.
 */

/** A running connect-watch (kept on the cluster's inventory row, ETag-guarded: one watch per cluster). */
export interface ConnectWatch {
  /** `watch-<time>-<random>`: the messages of this watch carry it; a message of an older watch is ignored. */
  id: string;
  /** The Event Grid event that started it (the onboarding's actor is `event:<id>`). */
  eventId: string;
  since: string;
  /** The watch gives up then (FLEET_CONNECT_WATCH_MINUTES after `since`). */
  until: string;
  /** Looks taken so far; the message in flight carries `hop` = attempt. */
  attempt: number;
  /** When the message in flight is due (a duplicate event finding it long overdue sends it again). */
  nextAt: string;
}

export type OnboardingMark =
  | { state: 'Watching'; watch: ConnectWatch; at: string }
  /** The onboarding was decided (a rollout created, or why not): the sweep leaves the cluster alone. */
  | { state: 'Decided'; reason: string; rolloutId?: string; at: string }
  /** The watch ended without a decision (limit reached, cluster gone, poisoned): the sweep may still onboard. */
  | { state: 'WatchEnded'; reason: string; at: string };

/** Connections usually come within minutes of the resource's creation: look every check delay meanwhile. */
export const FAST_WATCH_MS = 15 * 60_000;
/** After the fast window the looks back off (a tenth of the time waited so far), up to this. */
export const MAX_WATCH_DELAY_MS = 15 * 60_000;

/** Delay before the next look at a cluster watched for `elapsedMs` so far. */
export function connectWatchDelayMs(elapsedMs: number, checkDelayMs: number): number {
  if (elapsedMs < FAST_WATCH_MS) return checkDelayMs;
  return Math.min(MAX_WATCH_DELAY_MS, Math.max(checkDelayMs, Math.round(elapsedMs / 10)));
}

export type WatchStep =
  | { kind: 'onboard' }
  | { kind: 'wait'; delayMs: number }
  | { kind: 'end'; reason: 'ClusterExpired' | 'ConnectWatchExpired' };

/** What a look at a watched cluster leads to, given its connectivity as ARM reports it now. */
export function nextConnectWatchStep(input: {
  connectivity: string;
  watch: Pick<ConnectWatch, 'since' | 'until'>;
  now: Date;
  checkDelayMs: number;
}): WatchStep {
  const { connectivity, watch, now, checkDelayMs } = input;
  if (connectivity === 'Connected') return { kind: 'onboard' };
  // Expired agents must be reconnected (`az connectedk8s connect`), which is a new ARM write and event.
  if (connectivity === 'Expired') return { kind: 'end', reason: 'ClusterExpired' };
  const t = now.getTime();
  const until = Date.parse(watch.until);
  if (t >= until) return { kind: 'end', reason: 'ConnectWatchExpired' };
  const delay = connectWatchDelayMs(t - Date.parse(watch.since), checkDelayMs);
  return { kind: 'wait', delayMs: Math.max(1, Math.min(delay, until - t)) };
}

/** Whether a watch's in-flight message is so late that it must have been lost (a crash between write and send). */
export function watchMessageLost(
  watch: Pick<ConnectWatch, 'nextAt'>,
  now: Date,
  checkDelayMs: number,
): boolean {
  return now.getTime() > Date.parse(watch.nextAt) + 2 * checkDelayMs + 60_000;
}

export type SweepVerdict = { kind: 'onboard' } | { kind: 'decline'; reason: string };

/**
 * The sweep's safety net for one Connected cluster without OSM that an `autoOnboard` policy targets and
 * whose onboarding was never decided: onboard it only if ARM created it after the policy took effect and
 * the fleet manager has no record of acting on it since (its newest history event predates its creation).
 * Without a creation time nothing proves it new: declined, never guessed.
 */
export function sweepOnboardVerdict(input: {
  createdAt: string | undefined;
  policySince: string;
  newestHistoryAt: string | undefined;
}): SweepVerdict {
  const created = input.createdAt ? Date.parse(input.createdAt) : NaN;
  if (Number.isNaN(created)) return { kind: 'decline', reason: 'CreationTimeUnknown' };
  if (created < Date.parse(input.policySince)) return { kind: 'decline', reason: 'CreatedBeforePolicy' };
  if (input.newestHistoryAt && Date.parse(input.newestHistoryAt) >= created)
    return { kind: 'decline', reason: 'AlreadyManaged' };
  return { kind: 'onboard' };
}
