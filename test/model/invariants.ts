/**
 * The model's judgement of the system, independent of how the services reach their decisions:
 * - a hop judged done (the row's hop moves on, or the row becomes Succeeded) only when ARM has the
 *   extension at the hop's target, provisioned, with the policy's settings, and received a PUT carrying
 *   them whose operation succeeded;
 * - a row change of state or hop carries a history event (the outbox `lastEvent` with a new `seq`), except
 *   the dispatch itself (Pending or Deferred -> InProgress at the same hop);
 * - every event of a row is in history exactly once (those the row no longer carries in its outbox,
 *   `lastEvent` and `heldEvents`, at any time; those it carries once the run is quiet);
 * - at the end, every failure is one the faults explain (see `failureExplained`).
 * Never two operations on one extension, never a downgrade, never a lost setting: ModelArm judges each PUT.
 */
import { unsureEvents } from '../../shared/domain/clusterHop/rowEvents.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import type { OsmCatalog } from '../../shared/domain/osmCatalog.js';
import { translateKey } from '../../shared/domain/settingsMerge.js';
import type { HistoryEvent } from '../../shared/domain/records.js';
import type { ExtensionInfo } from '../../shared/domain/cluster.js';
import type { ModelArm } from './modelArm.js';

export const same = (catalog: OsmCatalog, a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && catalog.compare(a, b) === 0;

export function osmOf(arm: ModelArm, clusterId: string): ExtensionInfo | undefined {
  return arm.clusters.get(clusterId.toLowerCase())?.extensions.find((e) => e.name === 'osm');
}

/** The policy's settings under the key scheme of `version`, all present with their values. */
export function carriesPolicy(
  catalog: OsmCatalog,
  settings: Readonly<Record<string, string>>,
  policy: Readonly<Record<string, string>>,
  version: string,
): boolean {
  return Object.entries(policy).every(([k, v]) => settings[translateKey(catalog, k, version)] === v);
}

/** Called on a row write that finishes hop `before.hop`: returns what is wrong, if anything. */
export function judgeHopDone(
  arm: ModelArm,
  catalog: OsmCatalog,
  policy: Readonly<Record<string, string>>,
  before: RolloutClusterRecord,
): string | undefined {
  const target = before.path[before.hop] ?? before.to;
  const id = before.clusterId;
  const ext = osmOf(arm, id);
  const what = `hop ${before.hop} (-> ${target}) of ${id} judged done`;
  if (!ext || ext.provisioningState !== 'Succeeded' || !same(catalog, ext.version, target))
    return `${what}, ARM has ${ext ? `${ext.version} ${ext.provisioningState}` : 'no extension'}`;
  if (!carriesPolicy(catalog, ext.configurationSettings, policy, target))
    return `${what}, the extension lacks the policy's settings`;
  const put = arm.puts.some(
    (p) =>
      p.clusterId === id &&
      same(catalog, p.version, target) &&
      p.operationId !== undefined &&
      arm.operations.get(p.operationId)?.status.status === 'Succeeded' &&
      carriesPolicy(catalog, p.settings, policy, target),
  );
  return put ? undefined : `${what}, ARM never ran a PUT of it to success`;
}

/** The history events of one row (the outbox events: they carry `seq`). */
export function rowEvents(events: readonly HistoryEvent[], r: RolloutClusterRecord): HistoryEvent[] {
  return events.filter(
    (e) => e.seq !== undefined && e.rolloutId === r.rolloutId && e.clusterId === r.clusterId,
  );
}

/** Each seq of the row's events once; the row's last one may still be missing unless `quiet`. */
export function historyFaults(
  events: readonly HistoryEvent[],
  r: RolloutClusterRecord,
  quiet: boolean,
  /** `clusterId|seq` of lost events already reported (or counted as a known defect). */
  judged: ReadonlySet<string> = new Set(),
): string[] {
  const last = r.lastEvent?.seq ?? 0;
  const mine = rowEvents(events, r);
  const out: string[] = [];
  const onRow = new Map(unsureEvents(r).map((e) => [e.seq, e.action]));
  for (let seq = 0; seq <= last; seq++) {
    const n = mine.filter((e) => e.seq === seq).length;
    if (n > 1) out.push(`${r.clusterId}: event ${seq} in history ${n} times`);
    // seq 0 is the RolloutPlanned event, which only a row planned with work has.
    const had = seq > 0 || onRow.has(0) || n > 0;
    if (had && n === 0 && (!onRow.has(seq) || quiet) && !judged.has(`${r.clusterId}|${seq}`))
      out.push(
        `${r.clusterId}: event ${seq}${onRow.has(seq) ? ` (${onRow.get(seq)})` : ''} never reached history`,
      );
  }
  const current = mine.find((e) => e.seq === last);
  if (current && r.lastEvent && (current.action !== r.lastEvent.action || current.at !== r.lastEvent.at))
    out.push(`${r.clusterId}: history's event ${last} is ${current.action}, the row's ${r.lastEvent.action}`);
  if (mine.some((e) => (e.seq ?? 0) > last))
    out.push(`${r.clusterId}: history has an event the row never had`);
  return out;
}

/** A write that changed a row's state or hop: the event rule, or undefined when it holds. */
export function eventRule(before: RolloutClusterRecord, after: RolloutClusterRecord): { violation?: string } {
  const changed = before.state !== after.state || before.hop !== after.hop;
  const newEvent = (after.lastEvent?.seq ?? 0) > (before.lastEvent?.seq ?? 0);
  if ((after.lastEvent?.seq ?? 0) < (before.lastEvent?.seq ?? 0))
    return { violation: `${after.clusterId}: the row's event seq went back` };
  if (after.hop < before.hop)
    return { violation: `${after.clusterId}: hop went back ${before.hop} -> ${after.hop}` };
  if (!changed || newEvent) return {};
  const dispatch = before.state === 'Pending' || before.state === 'Deferred';
  if (dispatch && after.state === 'InProgress' && after.hop === before.hop) return {};
  return {
    violation: `${after.clusterId}: ${before.state}@${before.hop} -> ${after.state}@${after.hop} (${after.reason}) without a history event`,
  };
}

export interface FaultLedger {
  /** Codes of the ARM failures injected on the cluster (refused requests, failed operations). */
  codes: Set<string>;
  /** Intents written per hop (the row's `attempts` going up). */
  intents: Map<number, number>;
  /** When the first intent of each hop was written. */
  firstIntentAt: Map<number, number>;
  /** A message of the cluster went to the poison queue. */
  poisoned: boolean;
}

export const DEADLINE_REASONS = new Set(['OperationStuck', 'DeadlineExceeded', 'NamespaceTerminating']);

/** Whether the faults the model injected explain a Failed row. */
export function failureExplained(
  r: RolloutClusterRecord,
  ledger: FaultLedger,
  maxHopAttempts: number,
  deadlineMs: number,
): boolean {
  if (r.reason === 'OperationNotApplied') return (ledger.intents.get(r.hop) ?? 0) >= maxHopAttempts;
  if (r.reason === 'PoisonMessage') return ledger.poisoned;
  const first = ledger.firstIntentAt.get(r.hop);
  if (DEADLINE_REASONS.has(r.reason) && first !== undefined && Date.parse(r.updatedAt) - first >= deadlineMs)
    return true;
  return ledger.codes.has(r.reason);
}
