/**
 * decideStep (queue `cluster-steps`), table-driven: row state × what the worker observed. Each case gives the
 * exact outcome (`need`, or result, the row's new state, its event, the sends, the PUT) and every case is
 * held to the invariants: a state change carries one event and is a row of HOP_TRANSITIONS; no PUT while the
 * row records an operation id; no PUT to a version below the extension's; every policy key in the PUT.
 */
import { describe, expect, it } from 'vitest';
import type { ArmFailure } from '../../../shared/domain/armFailure.js';
import { decideStep, type StepObservation } from '../../../shared/domain/clusterHop/decideStep.js';
import type { HopContext } from '../../../shared/domain/clusterHop/hopDecision.js';
import { isHopTransition } from '../../../shared/domain/clusterHop/hopTransitions.js';
import { defaultOsmCatalog } from '../../../shared/domain/osmCatalog.js';
import { parsePolicy } from '../../../shared/domain/policy.js';
import type { OperationRecord, RolloutClusterRecord } from '../../../shared/domain/records.js';
import { clusterRow } from '../../fakes/clusterRows.js';
import { cluster, osm } from '../fixtures.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const ctx: HopContext = {
  now,
  settings: { checkDelayMs: 15_000, operationDeadlineMs: 30 * 60_000, leaseMs: 60 * 60_000 },
  catalog: defaultOsmCatalog,
};
const SETTINGS = { 'osm.osm.enablePermissiveTrafficPolicy': 'false' };
const policy = parsePolicy('p', { osm: { version: '1.2.6', configurationSettings: SETTINGS } });
const running = { state: 'Running' as const, policy };
const c = cluster('s-1');
const upgrade = { from: '1.1.1-1', to: '1.2.6', path: ['1.2.6'], plannedAction: 'upgrade' as const };
const row = (over: Partial<RolloutClusterRecord> = {}) => clusterRow(c, { ...upgrade, ...over });
const intent = (over: Partial<OperationRecord> = {}): OperationRecord => ({
  kind: 'put',
  extensionName: 'osm',
  targetVersion: '1.2.6',
  startedAt: ago(5),
  deadline: new Date(now.getTime() + 25 * 60_000).toISOString(),
  ...over,
});
const at = (version: string | null, state = 'Succeeded', settings: Record<string, string> = {}) => ({
  ok: {
    ...c,
    extensions: version === undefined ? [] : [osm(version, settings, { provisioningState: state })],
  },
});
const none = { ok: { ...c, extensions: [] } };
const fail = (f: ArmFailure) => ({ failure: f });
const throttled: ArmFailure = { kind: 'retry', reason: 'ArmThrottled', message: '429', delayMs: 17_000 };
const terminal: ArmFailure = { kind: 'terminal', reason: 'ExtensionCreationFailed', message: 'bad settings' };
const gone: ArmFailure = { kind: 'clusterGone', reason: 'ClusterNotFound', message: '404' };
const nsWait: ArmFailure = {
  kind: 'waitNamespace',
  reason: 'NamespaceTerminating',
  message: 'ns',
  delayMs: 120_000,
};
const msg = { rolloutId: 'r1', clusterId: c.id.toLowerCase(), hop: 0 };
const obs = (o: Partial<StepObservation> = {}): StepObservation => ({ msg, ...o });
const ready = (o: Partial<StepObservation> = {}) =>
  obs({ rollout: running, cluster: at('1.1.1-1'), lease: { taken: true }, ...o });

/** [name, row, observation, expected: `need:x` or `outcome reason -> state/event -> queues -> put`]. */
type Case = [string, RolloutClusterRecord | undefined, StepObservation, string];
const cases: Case[] = [
  ['no row', undefined, obs(), 'ignored RowNotFound'],
  ['row Succeeded', row({ state: 'Succeeded' }), obs(), 'ignored NotInProgress'],
  ['row Pending (not dispatched)', row({ state: 'Pending' }), obs(), 'ignored NotInProgress'],
  ['row Deferred', row({ state: 'Deferred' }), obs(), 'ignored NotInProgress'],
  ['row at another hop', row({ hop: 1, path: ['1.2.6', '1.3.0'] }), obs(), 'ignored StaleHop'],
  ['first: the rollout', row(), obs(), 'need:rollout'],
  ['rollout gone', row(), obs({ rollout: null }), 'ignored RolloutNotFound'],
  [
    'rollout cancelled, no PUT yet',
    row(),
    obs({ rollout: { ...running, state: 'Cancelled' } }),
    'stalled RolloutCancelled -> Cancelled/RolloutCancelled',
  ],
  [
    'CRD hop not approved',
    row({ crdStepHops: [0] }),
    obs({ rollout: running }),
    'stalled AwaitingCrdApproval -> AwaitingApproval/CrdApprovalRequired',
  ],
  ['then the cluster', row(), obs({ rollout: running }), 'need:cluster'],
  [
    'cluster read throttled',
    row(),
    obs({ rollout: running, cluster: fail(throttled) }),
    'requeued ArmThrottled -> note -> cluster-steps',
  ],
  [
    'cluster read refused',
    row(),
    obs({ rollout: running, cluster: fail(terminal) }),
    'stalled ExtensionCreationFailed -> Failed/UpgradeFailed',
  ],
  [
    'cluster 404',
    row(),
    obs({ rollout: running, cluster: fail(gone) }),
    'stalled ClusterDeleted -> Skipped/ClusterRemoved',
  ],
  [
    'cluster gone',
    row(),
    obs({ rollout: running, cluster: { ok: undefined } }),
    'stalled ClusterDeleted -> Skipped/ClusterRemoved',
  ],
  [
    'cluster Offline',
    row(),
    obs({ rollout: running, cluster: { ok: { ...c, connectivity: 'Offline' } } }),
    'stalled ClusterOffline -> Deferred/UpgradeDeferred',
  ],
  [
    'cluster Expired',
    row(),
    obs({ rollout: running, cluster: { ok: { ...c, connectivity: 'Expired' } } }),
    'stalled ClusterExpired -> Skipped/UpgradeSkipped',
  ],
  ['then the lease', row(), obs({ rollout: running, cluster: at('1.1.1-1') }), 'need:lease'],
  [
    'lease held by another rollout',
    row(),
    ready({ lease: { taken: false, holder: 'r0', until: ago(-600) } }),
    'requeued ClusterBusy -> note -> cluster-steps',
  ],
  [
    'the start: intent, then the PUT',
    row(),
    ready(),
    'done OperationStarting -> intent/UpgradeStarted -> - -> PUT 1.2.6',
  ],
  [
    'install on a cluster without OSM',
    row({ from: null, plannedAction: 'install' }),
    ready({ cluster: none }),
    'done OperationStarting -> intent/InstallStarted -> - -> PUT 1.2.6',
  ],
  [
    'extension busy with someone else',
    row(),
    ready({ cluster: at('1.1.1-1', 'Updating') }),
    'requeued OperationInProgress -> note -> cluster-steps',
  ],
  [
    'extension busy with our intent (died after the PUT)',
    row({ operation: intent({ startedAt: ago(120) }) }),
    ready({ cluster: at('1.1.1-1', 'Updating') }),
    'done OperationResumed -> - -> cluster-checks',
  ],
  [
    'already what the hop would PUT',
    row(),
    ready({ cluster: at('1.2.6', 'Succeeded', SETTINGS) }),
    'done AlreadyApplied -> intent/UpgradeStarted -> cluster-checks',
  ],
  [
    'changed out of band',
    row(),
    ready({ cluster: at('1.0.0') }),
    'stalled UnexpectedVersion -> Failed/UpgradeFailed',
  ],
  [
    'extension removed out of band',
    row(),
    ready({ cluster: none }),
    'stalled ExtensionNotFound -> Failed/UpgradeFailed',
  ],
  [
    'a young intent (another delivery may PUT now)',
    row({ operation: intent() }),
    ready(),
    'requeued StepInFlight -> note -> cluster-steps',
  ],
  [
    'an old intent: claimed, then PUT',
    row({ operation: intent({ startedAt: ago(120) }) }),
    ready(),
    'done OperationStarting -> claim -> - -> PUT 1.2.6',
  ],
  [
    'an intent past its deadline',
    row({ operation: intent({ startedAt: ago(3600), deadline: ago(1) }) }),
    ready(),
    'stalled DeadlineExceeded -> Failed/UpgradeFailed',
  ],
  [
    'an operation already recorded: its check again, never a PUT',
    row({ reason: 'OperationStarted', operation: intent({ operationId: 'op-1' }) }),
    obs(),
    'done CheckResent -> - -> cluster-checks',
  ],
  [
    'recorded, re-dispatched after Deferred: deadline restarts',
    row({ reason: 'Dispatched', operation: intent({ operationId: 'op-1' }) }),
    obs(),
    'done CheckResent -> OperationResumed -> cluster-checks',
  ],
  [
    'PUT answered with an id',
    row({ operation: intent() }),
    obs({ put: { ok: { operationId: 'op-2' } } }),
    'done OperationStarted -> - -> cluster-checks',
  ],
  [
    'PUT answered without an id',
    row({ operation: intent() }),
    obs({ put: { ok: {} } }),
    'done OperationStarted -> - -> cluster-checks',
  ],
  [
    'PUT throttled',
    row({ operation: intent() }),
    obs({ put: fail(throttled) }),
    'requeued ArmThrottled -> note -> cluster-steps',
  ],
  [
    'PUT refused',
    row({ operation: intent() }),
    obs({ put: fail(terminal) }),
    'stalled ExtensionCreationFailed -> Failed/UpgradeFailed',
  ],
  [
    'PUT: namespace terminating, within the deadline',
    row({ operation: intent() }),
    obs({ put: fail(nsWait) }),
    'requeued NamespaceTerminating -> note -> cluster-steps',
  ],
  [
    'PUT: namespace terminating past the deadline',
    row({ operation: intent({ deadline: ago(-60) }) }),
    obs({ put: fail(nsWait) }),
    'stalled NamespaceTerminating -> Failed/UpgradeFailed',
  ],
  [
    'PUT: cluster gone',
    row({ operation: intent() }),
    obs({ put: fail(gone) }),
    'stalled ClusterDeleted -> Skipped/ClusterRemoved',
  ],
  [
    'PUT: vault unavailable',
    row({ operation: intent() }),
    obs({ put: { secret: 'unavailable', message: 'down', retryAfterMs: 5_000 } }),
    'requeued SecretStoreUnavailable -> note -> cluster-steps',
  ],
  [
    'PUT: secret gone',
    row({ operation: intent() }),
    obs({ put: { secret: 'notFound', message: 'gone' } }),
    'stalled ProtectedSettingsNotFound -> Failed/UpgradeFailed',
  ],
];

function describeDecision(r: RolloutClusterRecord | undefined, o: StepObservation): string {
  const d = decideStep(r, o, ctx);
  if ('need' in d) return `need:${d.need}`;
  const parts = [`${d.result.outcome} ${d.result.reason}`];
  const ch = d.change;
  if (ch) {
    if (ch.set.state !== undefined) parts.push(`${ch.set.state}/${ch.event?.action ?? 'NO EVENT'}`);
    else if (ch.note) parts.push('note');
    else if (ch.event) parts.push(`intent/${ch.event.action}`);
    else if (ch.set.reason) parts.push(ch.set.reason);
    else if (ch.set.operation?.operationId) parts.push('opid');
    else if (ch.set.operation) parts.push('claim');
    else parts.push('change');
  } else if (d.sends.length > 0 || d.arm) parts.push('-');
  if (d.sends.length > 0) parts.push(d.sends.map((s) => s.queue).join(','));
  else if (d.arm) parts.push('-');
  if (d.arm) parts.push(`PUT ${d.arm.desired.version}`);
  return parts.join(' -> ');
}

describe('decideStep', () => {
  it.each(cases)('%s', (_name, r, o, want) => {
    expect(describeDecision(r, o)).toBe(want);
  });

  it.each(cases)('invariants: %s', (_name, r, o) => {
    const d = decideStep(r, o, ctx);
    if ('need' in d || !r) return;
    const next = d.change?.set.state;
    if (next !== undefined && next !== r.state) {
      expect(d.change?.event, 'a state change carries its event').toBeDefined();
      expect(isHopTransition(r.state, next, 'cluster-steps')).toBe(true);
    }
    if (!d.arm) return;
    expect(r.operation?.operationId, 'no PUT while an operation is recorded').toBeUndefined();
    const current = o.cluster && 'ok' in o.cluster ? o.cluster.ok?.extensions[0]?.version : undefined;
    if (current)
      expect(defaultOsmCatalog.compare(d.arm.desired.version ?? '', current)).toBeGreaterThanOrEqual(0);
    for (const [k, v] of Object.entries(SETTINGS)) expect(d.arm.desired.configurationSettings[k]).toBe(v);
    expect(d.change, 'the intent (or its claim) is written before the PUT').toBeDefined();
  });
});
