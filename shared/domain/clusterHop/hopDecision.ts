/**
 * The shape of every per-cluster decision (shared/domain/clusterHop): what the worker read goes in as an
 * observation; what comes out is data the executor (shared/services) carries out, in this order:
 * 1. `renewLease`: extend the cluster lease (a check of an operation that has run a quarter of the lease);
 * 2. `change`: ONE ETag-conditional write of the row, with its history event kept on the row (`lastEvent`)
 *    and appended right after (the outbox, `recordLastEvent`); a `note` is written after the sends and a
 *    lost ETag race on it is ignored (a requeue's reason, a heartbeat);
 * 3. `sends`: the follow-up messages;
 * 4. `arm`: at most one ARM write (the PUT); its answer is observed and decided again.
 * A decision that needs one more read answers `{ need }` instead, and the executor calls again with it.
 */
import type { ArmFailure } from '../armFailure.js';
import type { OsmCatalog } from '../osmCatalog.js';
import type { ClusterWorkMessage, HistoryEvent, QueueName, RolloutClusterRecord } from '../records.js';
import type { StepResult } from '../stepResult.js';

export type HopRow = RolloutClusterRecord;

export interface RowEvent {
  action: string;
  result: HistoryEvent['result'];
  from?: string | null;
  to?: string | null;
  reason?: string;
  message?: string;
}

export interface RowChange {
  /** Fields to set; a key present with `undefined` (e.g. `operation`) clears that field. */
  set: Partial<RolloutClusterRecord>;
  event?: RowEvent;
  /** Written after the sends, best effort: a lost ETag race is fine (the message carries the work). */
  note?: boolean;
}

export interface Send {
  queue: QueueName;
  message: ClusterWorkMessage;
  delayMs?: number;
}

export interface Decision<Arm = never> {
  change?: RowChange;
  sends: Send[];
  arm?: Arm;
  renewLease?: boolean;
  /** Record on the inventory row that the cluster has Azure Monitor (best effort). */
  markMonitorInstalled?: boolean;
  result: StepResult;
}

/** An ARM read as observed: its answer, or its failure as the meaning table typed it. */
export type Read<T> = { ok: T } | { failure: ArmFailure };

export interface HopSettings {
  checkDelayMs: number;
  operationDeadlineMs: number;
  /** How long a cluster lease lasts from its taking (shared/domain/clusterHop/leaseRules.ts). */
  leaseMs: number;
  /** Fallback Log Analytics workspace for monitor onboarding when a policy names none. */
  defaultWorkspaceId?: string;
}

/** What every decision is given besides the row and the observation. */
export interface HopContext {
  now: Date;
  settings: HopSettings;
  catalog: OsmCatalog;
}

export const ignoredDecision = (reason: string): Decision<never> => ({
  sends: [],
  result: { outcome: 'ignored', reason },
});
