/** What the fault campaign (campaign.ts) takes and what it reports. */
import type { CampaignVerdict } from './campaignChecks.js';
import type { ScaleEnv } from './scaleEnv.js';

export interface CampaignOptions {
  storage: string;
  clusters: number;
  subscriptions: number;
  hosts: number;
  kills: number;
  maxFailurePercent: number;
  installMs: number;
  timeoutMs: number;
  /**
   * Event Grid's retry schedule times this factor between delivery attempts (the emulator's `retryScale`);
   * 0 (the default): a quick backoff capped at 2 s. Either way 30 attempts, as deployed.
   */
  eventRetryScale?: number;
  /** How long to wait after the rollout for the clusters created during it to be onboarded (default 60 s). */
  onboardWaitMs?: number;
  /** Extra subscriptions the hosts watch (the halt case seeds there). */
  extraSubscriptions?: string[];
  log?: (line: string) => void;
}

export interface CampaignReport {
  rolloutState: string;
  /** The rollout had not finished at `timeoutMs`: the verdicts are of the state it had reached. */
  timedOut: boolean;
  haltedReason?: string;
  makespanMs: number;
  injected: { installFailures: number; offline: number; newClusters: number; kills: number };
  emulator: {
    faultsInjected: number;
    throttled429: number;
    graphThrottled: number;
    /** Event Grid deliveries given up after every attempt failed (the cluster's event is lost). */
    eventsLost: number;
    puts: number;
    ops: number;
  };
  verdict: CampaignVerdict;
  /** Recovery phrases logged by the hosts (lost messages re-sent, leases taken over, ...). */
  recovery: Record<string, number>;
  /** The running environment, for a follow-up case on the same hosts; the caller stops it. */
  env: ScaleEnv;
}
