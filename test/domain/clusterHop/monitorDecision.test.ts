/**
 * decideMonitor (queue `monitor-steps`), table-driven: the row's monitor state × what the worker observed (the
 * policy snapshot, the Container insights prerequisites, the operation, the extension, the PUT's answer). The
 * OSM state is never touched, and a PUT is never made while the row records a monitor operation id.
 */
import { describe, expect, it } from 'vitest';
import type { ArmFailure } from '../../../shared/domain/armFailure.js';
import type { ExtensionInfo } from '../../../shared/domain/cluster.js';
import { decideMonitor, type MonitorObservation } from '../../../shared/domain/clusterHop/decideMonitor.js';
import type { HopContext } from '../../../shared/domain/clusterHop/hopDecision.js';
import { desiredMonitorExtension } from '../../../shared/domain/monitorExtension.js';
import { defaultOsmCatalog } from '../../../shared/domain/osmCatalog.js';
import { parsePolicy } from '../../../shared/domain/policy.js';
import type { MonitorProgress, RolloutClusterRecord } from '../../../shared/domain/records.js';
import { clusterRow, WORKSPACE } from '../../fakes/clusterRows.js';
import { cluster } from '../fixtures.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const ctx: HopContext = {
  now,
  settings: { checkDelayMs: 15_000, operationDeadlineMs: 30 * 60_000, leaseMs: 60 * 60_000 },
  catalog: defaultOsmCatalog,
};
const monitored = {
  policy: parsePolicy('p', {
    osm: { version: '1.2.6' },
    monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WORKSPACE },
  }),
};
const unmonitored = { policy: parsePolicy('p', { osm: { version: '1.2.6' } }) };
const c = cluster('m-1');
const workspace = { id: WORKSPACE, location: 'eastus', customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01' };
const dcOk = (associationWritten = false) => ({ ok: { workspace, ruleId: 'dcr-1', associationWritten } });
const want = desiredMonitorExtension(workspace);
const monExt = (state = 'Succeeded'): { ok: ExtensionInfo } => ({
  ok: {
    name: 'azuremonitor-containers',
    extensionType: want.extensionType ?? '',
    version: '3.1.0',
    provisioningState: state,
    releaseTrain: 'Stable',
    autoUpgradeMinorVersion: true,
    configurationSettings: { ...want.configurationSettings },
  },
});
const operation = (over: Record<string, unknown> = {}) => ({
  kind: 'put' as const,
  extensionName: 'azuremonitor-containers',
  startedAt: ago(60),
  deadline: new Date(now.getTime() + 25 * 60_000).toISOString(),
  ...over,
});
const row = (
  monitor: RolloutClusterRecord['monitor'],
  p?: MonitorProgress,
  over: Partial<RolloutClusterRecord> = {},
) =>
  clusterRow(c, {
    state: 'Succeeded',
    hop: 1,
    monitor,
    updatedAt: ago(5),
    ...(p ? { monitorProgress: p } : {}),
    ...over,
  });
const msg = (operationId?: string) => ({
  rolloutId: 'r1',
  clusterId: c.id.toLowerCase(),
  hop: 1,
  ...(operationId ? { operationId } : {}),
});
const obs = (o: Partial<MonitorObservation> = {}): MonitorObservation => ({ msg: msg(), ...o });
const fail = (f: ArmFailure) => ({ failure: f });
const throttled: ArmFailure = { kind: 'retry', reason: 'ArmThrottled', message: '429', delayMs: 17_000 };
const terminal: ArmFailure = { kind: 'terminal', reason: 'AuthorizationFailed', message: 'no' };
const gone: ArmFailure = { kind: 'clusterGone', reason: 'ClusterNotFound', message: '404' };
const ready = (o: Partial<MonitorObservation> = {}) =>
  obs({ rollout: monitored, dataCollection: dcOk(), ...o });
const inFlight = { attempts: 1, operation: operation({ operationId: 'mop-1' }) };

type Case = [string, RolloutClusterRecord | undefined, MonitorObservation, string];
const cases: Case[] = [
  ['no row', undefined, obs(), 'ignored RowNotFound'],
  ['monitor not requested', row('NotRequested'), obs(), 'ignored MonitorNotPending'],
  ['monitor done', row('Succeeded'), obs(), 'ignored MonitorNotPending'],
  ['a message of another hop', row('Pending'), obs({ msg: { ...msg(), hop: 0 } }), 'ignored StaleHop'],
  ['first the policy snapshot', row('Pending'), obs(), 'need:rollout'],
  ['rollout gone', row('Pending'), obs({ rollout: null }), 'ignored RolloutNotFound'],
  [
    'no workspace anywhere',
    row('Pending'),
    obs({ rollout: unmonitored }),
    'stalled MonitorWorkspaceMissing -> Failed/MonitorFailed',
  ],
  [
    'OpenShift',
    row('Pending', undefined, { distribution: 'openshift' }),
    obs({ rollout: monitored }),
    'stalled MonitorUnsupportedDistribution -> Failed/MonitorFailed',
  ],
  ['then the prerequisites', row('Pending'), obs({ rollout: monitored }), 'need:dataCollection'],
  [
    'prerequisites refused (workspace unreadable)',
    row('Pending'),
    obs({ rollout: monitored, dataCollection: { refused: { reason: 'WorkspaceNotFound', message: 'x' } } }),
    'stalled WorkspaceNotFound -> Failed/MonitorFailed',
  ],
  [
    'prerequisites throttled',
    row('Pending'),
    obs({ rollout: monitored, dataCollection: fail(throttled) }),
    'requeued ArmThrottled -> - -> monitor-steps',
  ],
  ['then the extension', row('Pending'), ready(), 'need:extension'],
  [
    'extension read throttled',
    row('Pending'),
    ready({ extension: fail(throttled) }),
    'requeued ArmThrottled -> - -> monitor-steps',
  ],
  [
    'extension read refused',
    row('Pending'),
    ready({ extension: fail(terminal) }),
    'stalled AuthorizationFailed -> Failed/MonitorFailed',
  ],
  [
    'already installed, association in place',
    row('Pending'),
    ready({ extension: monExt() }),
    'done MonitorInstalled -> Succeeded/MonitorInstalled',
  ],
  [
    'installed but the association was just written: sent again',
    row('Pending'),
    ready({ dataCollection: dcOk(true), extension: monExt() }),
    'done MonitorStarting -> InProgress/MonitorStarted -> - -> PUT',
  ],
  [
    'busy with someone else',
    row('Pending'),
    ready({ extension: monExt('Updating') }),
    'requeued OperationInProgress -> - -> monitor-steps',
  ],
  [
    'busy with our intent',
    row('InProgress', { attempts: 1, operation: operation() }),
    ready({ extension: monExt('Updating') }),
    'requeued MonitorInProgress -> - -> monitor-steps',
  ],
  [
    'busy past the deadline',
    row('InProgress', { attempts: 1, operation: operation({ startedAt: ago(3600), deadline: ago(1) }) }),
    ready({ extension: monExt('Updating') }),
    'requeued MonitorOperationStuck -> InProgress/MonitorAttemptFailed -> monitor-steps',
  ],
  [
    'not there: intent, then the PUT',
    row('Pending'),
    ready({ extension: { ok: undefined } }),
    'done MonitorStarting -> InProgress/MonitorStarted -> - -> PUT',
  ],
  [
    'PUT answered with an id: recorded, check later',
    row('InProgress', { attempts: 1, operation: operation() }),
    ready({ put: { ok: { operationId: 'mop-2' } } }),
    'done MonitorStarted -> opid -> monitor-steps',
  ],
  [
    'PUT answered without an id',
    row('InProgress', { attempts: 1, operation: operation() }),
    ready({ put: { ok: {} } }),
    'requeued MonitorStarted -> - -> monitor-steps',
  ],
  [
    'PUT throttled: a counted attempt, retried',
    row('InProgress', { attempts: 1, operation: operation() }),
    ready({ put: fail(throttled) }),
    'requeued ArmThrottled -> InProgress/MonitorAttemptFailed -> monitor-steps',
  ],
  [
    'PUT refused for good',
    row('InProgress', { attempts: 1, operation: operation() }),
    ready({ put: fail(terminal) }),
    'stalled AuthorizationFailed -> Failed/MonitorFailed',
  ],
  [
    'PUT throttled at the last attempt',
    row('InProgress', { attempts: 4, operation: operation() }),
    ready({ put: fail(throttled) }),
    'stalled ArmThrottled -> Failed/MonitorFailed',
  ],
  [
    'an operation recorded, a message without it: its check again',
    row('InProgress', inFlight),
    ready(),
    'requeued CheckResent -> - -> monitor-steps',
  ],
  [
    'a check of another operation',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-0'), rollout: monitored }),
    'ignored StaleOperation',
  ],
  [
    'a check: the policy, then the operation',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-1'), rollout: monitored }),
    'need:operation',
  ],
  [
    'operation running',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-1'), rollout: monitored, operation: { ok: { status: 'InProgress' } } }),
    'requeued MonitorInProgress -> - -> monitor-steps',
  ],
  [
    'operation running, no heartbeat for long: the row is bumped',
    row('InProgress', inFlight, { updatedAt: ago(120) }),
    obs({ msg: msg('mop-1'), rollout: monitored, operation: { ok: { status: 'InProgress' } } }),
    'requeued MonitorInProgress -> note -> monitor-steps',
  ],
  [
    'operation Succeeded: the prerequisites again',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-1'), rollout: monitored, operation: { ok: { status: 'Succeeded' } } }),
    'need:dataCollection',
  ],
  [
    'operation Succeeded, prerequisites in place',
    row('InProgress', inFlight),
    obs({
      msg: msg('mop-1'),
      rollout: monitored,
      operation: { ok: { status: 'Succeeded' } },
      dataCollection: dcOk(),
    }),
    'done MonitorInstalled -> Succeeded/MonitorInstalled',
  ],
  [
    'operation Failed: a counted attempt',
    row('InProgress', inFlight),
    obs({
      msg: msg('mop-1'),
      rollout: monitored,
      operation: { ok: { status: 'Failed', error: { code: 'HelmFailed', message: 'x' } } },
    }),
    'requeued HelmFailed -> InProgress/MonitorAttemptFailed -> monitor-steps',
  ],
  [
    'operation forgotten: ensure again',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-1'), rollout: monitored, operation: fail(gone) }),
    'requeued OperationForgotten -> id dropped -> monitor-steps',
  ],
  [
    'operation read throttled',
    row('InProgress', inFlight),
    obs({ msg: msg('mop-1'), rollout: monitored, operation: fail(throttled) }),
    'requeued ArmThrottled -> - -> monitor-steps',
  ],
];

function describeDecision(r: RolloutClusterRecord | undefined, o: MonitorObservation): string {
  const d = decideMonitor(r, o, ctx);
  if ('need' in d) return `need:${d.need}`;
  const parts = [`${d.result.outcome} ${d.result.reason}`];
  const ch = d.change;
  if (ch) {
    if (ch.set.monitor !== undefined) parts.push(`${ch.set.monitor}/${ch.event?.action ?? 'NO EVENT'}`);
    else if (ch.note) parts.push('note');
    else if (ch.set.monitorProgress?.operation?.operationId) parts.push('opid');
    else if (ch.set.monitorProgress?.operation) parts.push('id dropped');
    else parts.push('change');
  } else if (d.sends.length > 0 || d.arm) parts.push('-');
  if (d.sends.length > 0) parts.push(d.sends.map((s) => s.queue).join(','));
  else if (d.arm) parts.push('-');
  if (d.arm) parts.push('PUT');
  return parts.join(' -> ');
}

describe('decideMonitor', () => {
  it.each(cases)('%s', (_name, r, o, expected) => {
    expect(describeDecision(r, o)).toBe(expected);
  });

  it.each(cases)('invariants: %s', (_name, r, o) => {
    const d = decideMonitor(r, o, ctx);
    if ('need' in d || !r) return;
    expect(d.change?.set.state, 'the OSM state is never touched').toBeUndefined();
    expect(d.change?.set.operation, 'nor the OSM operation').toBeUndefined();
    if (d.change?.set.monitor !== undefined && d.change.set.monitor !== r.monitor)
      expect(d.change.event, 'a monitor state change carries its event').toBeDefined();
    if (d.arm) {
      expect(r.monitorProgress?.operation?.operationId).toBeUndefined();
      expect(d.change?.set.monitorProgress?.operation, 'the intent is written before the PUT').toBeDefined();
    }
  });
});
