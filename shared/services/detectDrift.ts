/**
 * After each sweep (the timer): every policy setting changed out of band raises one `DriftDetected` history
 * event per change. The drift's fingerprint (keys and values found) is kept on the cluster's inventory row
 * (`driftSeen`, per policy): the same drift seen by the next sweep raises nothing, a different one raises a
 * new event, and a drift that goes away clears it (so the same change made again is reported again).
 * The row is claimed with its ETag before the event is appended, so two instances never both report one
 * drift; a crash between the two writes loses that one event (the compliance view still shows the drift).
 */
import type { ClusterInfo } from '../domain/cluster.js';
import type { ClusterCompliance } from '../domain/compliance.js';
import { classifyCompliance, driftFingerprint } from '../domain/compliance.js';
import { ConcurrencyError } from '../domain/errors.js';
import { memoPathFor } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { HistoryEvent, InventoryRecord } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

type Deps = Pick<ServiceDeps, 'policies' | 'inventory' | 'history' | 'catalog' | 'clock' | 'log'>;

export interface DriftOutcome {
  /** Events appended (one per new drift). */
  reported: number;
  /** Rows whose reported drift went away. */
  cleared: number;
  /** Policies with a drift reported by this pass (what `correctDrift` acts on). */
  policies: string[];
}

export async function detectDrift(deps: Deps, fleet: readonly ClusterInfo[]): Promise<DriftOutcome> {
  const policies = await allPolicies(deps);
  const now = deps.clock.now().toISOString();
  // Per cluster (lower-cased id): policy -> [fingerprint, the drift].
  const found = new Map<string, Map<string, { fp: string; c: ClusterCompliance }>>();
  for (const policy of policies) {
    const pathFor = memoPathFor(policy, deps.catalog);
    for (const cluster of fleet) {
      const c = classifyCompliance(policy, cluster, deps.catalog, pathFor);
      if (c?.status !== 'drifted') continue;
      const key = cluster.id.toLowerCase();
      const map = found.get(key) ?? new Map<string, { fp: string; c: ClusterCompliance }>();
      map.set(policy.name, { fp: driftFingerprint(policy.name, c.drift), c });
      found.set(key, map);
    }
  }
  const seen = await rowsWithDriftSeen(deps);
  const outcome: DriftOutcome = { reported: 0, cleared: 0, policies: [] };
  const reportedFor = new Set<string>();
  const swept = new Set(fleet.map((c) => c.id.toLowerCase()));
  for (const id of new Set([...found.keys(), ...seen])) {
    if (!swept.has(id)) continue;
    try {
      const r = await settle(deps, id, found.get(id) ?? new Map(), now);
      outcome.reported += r.reported;
      outcome.cleared += r.cleared;
      for (const p of r.policies) reportedFor.add(p);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      // Another writer changed the row: the next sweep looks again.
    }
  }
  outcome.policies = [...reportedFor].sort();
  if (outcome.reported || outcome.cleared)
    deps.log.info('drift detected', { reported: outcome.reported, cleared: outcome.cleared });
  return outcome;
}

async function settle(
  deps: Deps,
  clusterId: string,
  now: Map<string, { fp: string; c: ClusterCompliance }>,
  at: string,
): Promise<DriftOutcome> {
  const row = await deps.inventory.get(clusterId);
  if (!row) return { reported: 0, cleared: 0, policies: [] };
  const before = row.value.driftSeen ?? {};
  const after: Record<string, string> = {};
  const events: HistoryEvent[] = [];
  for (const [policy, { fp, c }] of now) {
    after[policy] = fp;
    if (before[policy] !== fp) events.push(driftEvent(clusterId, policy, c, at));
  }
  const cleared = Object.keys(before).filter((p) => !(p in after)).length;
  if (!events.length && !cleared) return { reported: 0, cleared: 0, policies: [] };
  const next: InventoryRecord = { ...row.value };
  if (Object.keys(after).length) next.driftSeen = after;
  else delete next.driftSeen;
  await deps.inventory.update(next, row.etag);
  if (events.length) await deps.history.append(events);
  const policies = [...now].filter(([p, { fp }]) => before[p] !== fp).map(([p]) => p);
  return { reported: events.length, cleared, policies };
}

function driftEvent(clusterId: string, policy: string, c: ClusterCompliance, at: string): HistoryEvent {
  const keys = c.drift.map((d) => `${d.key} is ${d.current ?? '(unset)'}, policy says ${d.desired}`);
  return {
    clusterId,
    at,
    actor: 'timer',
    action: 'DriftDetected',
    result: 'Recorded',
    reason: 'DriftDetected',
    message: `policy ${policy}: ${keys.join('; ')}`,
    from: c.version,
    to: c.targetVersion,
  };
}

async function rowsWithDriftSeen(deps: Deps): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await deps.inventory.list(
      { withDriftSeen: true },
      { top: 1000, ...(token ? { continuationToken: token } : {}) },
    );
    out.push(...page.items.map((r) => r.cluster.id.toLowerCase()));
    token = page.continuationToken;
  } while (token);
  return out;
}

async function allPolicies(deps: Deps): Promise<Policy[]> {
  const out: Policy[] = [];
  let token: string | undefined;
  do {
    const page = await deps.policies.list({ top: 1000, ...(token ? { continuationToken: token } : {}) });
    out.push(...page.items.map((p) => p.value.policy));
    token = page.continuationToken;
  } while (token);
  return out;
}
