/**
 * decideCheck (queue `cluster-checks`), table-driven: row state × what the check read (the extension, the
 * operation, the cluster, the confirmation, the policy snapshot). Each case gives the exact outcome, and every
 * case is held to the invariants: a state change carries one event and is a row of HOP_TRANSITIONS; a hop is
 * judged done only on an extension at the target, provisioned (and with the hop's settings when the version
 * does not move); a check writes no operation id but the one it checks (the row's, or its message's for the
 * row's intent).
 */
import { describe, expect, it } from 'vitest';
import type { ArmFailure } from '../../../shared/domain/armFailure.js';
import type { ExtensionInfo } from '../../../shared/domain/cluster.js';
import {
  checkedOperation,
  decideCheck,
  type CheckObservation,
} from '../../../shared/domain/clusterHop/decideCheck.js';
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
const rollout = { policy: parsePolicy('p', { osm: { version: '1.2.6', configurationSettings: SETTINGS } }) };
const c = cluster('k-1');
const op = (over: Partial<OperationRecord> = {}): OperationRecord => ({
  kind: 'put',
  extensionName: 'osm',
  targetVersion: '1.2.6',
  operationId: 'op-1',
  startedAt: ago(60),
  deadline: new Date(now.getTime() + 25 * 60_000).toISOString(),
  ...over,
});
const base = { from: '1.1.1-1', to: '1.2.6', path: ['1.2.6'], plannedAction: 'upgrade' as const };
const row = (over: Partial<RolloutClusterRecord> = {}) =>
  clusterRow(c, { ...base, operation: op(), hopAttempts: 1, updatedAt: ago(5), ...over });
const twoHops = { from: '1.0.0', to: '1.2.6', path: ['1.1.1-1', '1.2.6'] };
const settingsOnly = { from: '1.2.6', to: '1.2.6', path: ['1.2.6'], plannedAction: 'reconfigure' as const };
const ext = (
  v: string | null,
  state = 'Succeeded',
  settings: Record<string, string> = {},
  over: Partial<ExtensionInfo> = {},
) => ({
  ok: osm(v, settings, { provisioningState: state, ...over }),
});
const opIs = (status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled', code?: string, message = 'm') => ({
  ok: { status, ...(code ? { error: { code, message } } : {}) },
});
const fail = (f: ArmFailure) => ({ failure: f });
const throttled: ArmFailure = { kind: 'retry', reason: 'ArmThrottled', message: '429', delayMs: 17_000 };
const terminal: ArmFailure = { kind: 'terminal', reason: 'AuthorizationFailed', message: 'no' };
const gone: ArmFailure = { kind: 'clusterGone', reason: 'ClusterNotFound', message: '404' };
const msg = (o: Partial<{ hop: number; operationId: string; intentAt: string }> = {}) => ({
  rolloutId: 'r1',
  clusterId: c.id.toLowerCase(),
  hop: 0,
  operationId: 'op-1',
  ...o,
});
const obs = (o: Partial<CheckObservation> = {}): CheckObservation => ({ msg: msg(), ...o });
const connected = { ok: c };

type Case = [string, RolloutClusterRecord | undefined, CheckObservation, string];
const cases: Case[] = [
  ['no row', undefined, obs(), 'ignored RowNotFound'],
  ['row Failed', row({ state: 'Failed' }), obs(), 'ignored NotInProgress'],
  [
    'row at the next hop, its step lost: sent again',
    row({ ...twoHops, hop: 1, operation: undefined }),
    obs(),
    'done StepResent -> - -> cluster-steps',
  ],
  [
    'row Succeeded, its monitor message lost: sent again',
    row({ state: 'Succeeded', hop: 1, monitor: 'Pending' }),
    obs(),
    'done MonitorResent -> - -> monitor-steps',
  ],
  ['row without an operation', row({ operation: undefined }), obs(), 'ignored NoOperation'],
  [
    'a message of an older operation',
    row(),
    obs({ msg: msg({ operationId: 'op-0' }) }),
    'ignored StaleOperation',
  ],
  [
    'the first check: the row names no id yet, the message names it under the same intent',
    row({ operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ intentAt: ago(60) }), extension: ext('1.1.1-1', 'Updating') }),
    'requeued OperationInProgress -> - -> cluster-checks',
  ],
  [
    'the first check under an intent claimed again since (another attempt): stale',
    row({ operation: op({ operationId: undefined, startedAt: ago(10) }) }),
    obs({ msg: msg({ intentAt: ago(60) }) }),
    'ignored StaleOperation',
  ],
  [
    'a message naming an id without its intent, the row naming none: stale',
    row({ operation: op({ operationId: undefined }) }),
    obs(),
    'ignored StaleOperation',
  ],
  ['a version hop: the extension first', row(), obs(), 'need:extension'],
  [
    'busy: check again',
    row(),
    obs({ extension: ext('1.1.1-1', 'Updating') }),
    'requeued OperationInProgress -> - -> cluster-checks',
  ],
  [
    'busy, no heartbeat for long: the row is bumped',
    row({ updatedAt: ago(120) }),
    obs({ extension: ext('1.1.1-1', 'Updating') }),
    'requeued OperationInProgress -> note -> cluster-checks',
  ],
  [
    'busy past the offline probe: the cluster read',
    row({ operation: op({ startedAt: ago(400) }) }),
    obs({ extension: ext('1.1.1-1', 'Updating') }),
    'need:cluster',
  ],
  [
    'busy and Offline: Deferred, operation kept',
    row({ operation: op({ startedAt: ago(400) }) }),
    obs({ extension: ext('1.1.1-1', 'Updating'), cluster: { ok: { ...c, connectivity: 'Offline' } } }),
    'stalled ClusterOffline -> Deferred/UpgradeDeferred',
  ],
  [
    'busy past the deadline: stuck',
    row({ operation: op({ startedAt: ago(3600), deadline: ago(1) }) }),
    obs({ extension: ext('1.1.1-1', 'Updating'), cluster: connected }),
    'stalled OperationStuck -> Failed/UpgradeFailed',
  ],
  ['at the target: the policy snapshot, then done', row(), obs({ extension: ext('1.2.6') }), 'need:rollout'],
  [
    'at the target: the last hop done',
    row(),
    obs({ extension: ext('1.2.6'), rollout }),
    'done UpgradeSucceeded -> Succeeded/UpgradeSucceeded',
  ],
  [
    'at the hop target of two: the next hop',
    row({ ...twoHops, operation: op({ targetVersion: '1.1.1-1' }) }),
    obs({ extension: ext('1.1.1-1'), rollout }),
    'done HopSucceeded -> HopSucceeded/UpgradeHopSucceeded -> cluster-steps',
  ],
  ['extension not ours yet: the operation', row(), obs({ extension: ext('1.1.1-1') }), 'need:operation'],
  [
    'operation running',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: opIs('InProgress') }),
    'requeued OperationInProgress -> - -> cluster-checks',
  ],
  [
    'operation Succeeded: confirmed by a read',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: opIs('Succeeded') }),
    'need:confirm',
  ],
  [
    'operation Succeeded, the read lags: wait for the version',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: opIs('Succeeded'), confirm: ext('1.1.1-1') }),
    'requeued AwaitingVersion -> note -> cluster-checks',
  ],
  [
    'operation Failed: the cluster read first',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: opIs('Failed', 'HelmFailed', 'timed out') }),
    'need:cluster',
  ],
  [
    'operation Failed: the hop fails with ARM’s code',
    row(),
    obs({
      extension: ext('1.1.1-1'),
      operation: opIs('Failed', 'HelmFailed', 'timed out'),
      cluster: connected,
    }),
    'stalled HelmFailed -> Failed/UpgradeFailed',
  ],
  [
    'operation Failed, the cluster gone: Skipped',
    row(),
    obs({
      extension: ext('1.1.1-1'),
      operation: opIs('Failed', 'ParentResourceNotFound'),
      cluster: { ok: undefined },
    }),
    'stalled ClusterDeleted -> Skipped/ClusterRemoved',
  ],
  [
    'operation failed on a conflict: back to an intent, step later',
    row(),
    obs({
      extension: ext('1.1.1-1'),
      operation: opIs('Failed', 'Conflict', 'There is a conflicting operation in progress.'),
      cluster: connected,
    }),
    'requeued OperationInProgress -> OperationInProgress/UpgradeWaiting -> cluster-steps',
  ],
  [
    'operation failed: namespace terminating, waited out',
    row(),
    obs({
      extension: ext('1.1.1-1'),
      operation: opIs('Failed', 'InstallationFailed', 'namespace arc-osm-system is terminating'),
      cluster: connected,
    }),
    'requeued NamespaceTerminating -> NamespaceTerminating/UpgradeWaiting -> cluster-steps',
  ],
  [
    'operation read throttled',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: fail(throttled) }),
    'requeued ArmThrottled -> note -> cluster-checks',
  ],
  [
    'operation read refused',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: fail(terminal) }),
    'stalled AuthorizationFailed -> Failed/UpgradeFailed',
  ],
  [
    'operation forgotten by ARM: the cluster read',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: fail(gone) }),
    'need:cluster',
  ],
  [
    'operation forgotten, extension untouched: not ours, step again',
    row(),
    obs({ extension: ext('1.1.1-1'), operation: fail(gone), cluster: connected }),
    'done StepResent -> OperationNotApplied -> cluster-steps',
  ],
  [
    'no trace of the PUT after the last attempt',
    row({ hopAttempts: 3 }),
    obs({ extension: ext('1.1.1-1'), operation: fail(gone), cluster: connected }),
    'stalled OperationNotApplied -> Failed/UpgradeFailed',
  ],
  [
    'extension read throttled',
    row(),
    obs({ extension: fail(throttled) }),
    'requeued ArmThrottled -> note -> cluster-checks',
  ],
  [
    'extension read: cluster gone',
    row(),
    obs({ extension: fail(gone) }),
    'stalled ClusterDeleted -> Skipped/ClusterRemoved',
  ],
  [
    'no operation id (died before recording it): the extension alone',
    row({ operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ operationId: undefined }) }),
    'need:extension',
  ],
  [
    'no id, at the target',
    row({ operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ operationId: undefined }), extension: ext('1.2.6'), rollout }),
    'done UpgradeSucceeded -> Succeeded/UpgradeSucceeded',
  ],
  [
    'no id, extension absent: the step again',
    row({ operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ operationId: undefined }), extension: { ok: undefined } }),
    'done StepResent -> OperationNotApplied -> cluster-steps',
  ],
  [
    'no id, extension failed with its errorInfo',
    row({ operation: op({ operationId: undefined }) }),
    obs({
      msg: msg({ operationId: undefined }),
      extension: ext('1.1.1-1', 'Failed', {}, { error: { code: 'HelmFailed', message: 'x' } }),
      cluster: connected,
    }),
    'stalled HelmFailed -> Failed/UpgradeFailed',
  ],
  [
    'settings-only, no id: the settings decide (absent: step again)',
    row({ ...settingsOnly, operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ operationId: undefined }), extension: ext('1.2.6'), rollout }),
    'done StepResent -> OperationNotApplied -> cluster-steps',
  ],
  [
    'settings-only, no id, the settings there: done',
    row({ ...settingsOnly, operation: op({ operationId: undefined }) }),
    obs({ msg: msg({ operationId: undefined }), extension: ext('1.2.6', 'Succeeded', SETTINGS), rollout }),
    'done ReconfigureSucceeded -> Succeeded/ReconfigureSucceeded',
  ],
];

function describeDecision(r: RolloutClusterRecord | undefined, o: CheckObservation): string {
  const d = decideCheck(r, o, ctx);
  if ('need' in d) return `need:${d.need}`;
  const parts = [`${d.result.outcome} ${d.result.reason}`];
  const ch = d.change;
  if (ch) {
    if (ch.set.state !== undefined) parts.push(`${ch.set.state}/${ch.event?.action ?? 'NO EVENT'}`);
    else if (ch.note) parts.push('note');
    else if (ch.event) parts.push(`${ch.set.reason}/${ch.event.action}`);
    else parts.push(ch.set.reason ?? 'change');
  } else if (d.sends.length > 0) parts.push('-');
  if (d.sends.length > 0) parts.push(d.sends.map((s) => s.queue).join(','));
  return parts.join(' -> ');
}

describe('decideCheck', () => {
  it.each(cases)('%s', (_name, r, o, want) => {
    expect(describeDecision(r, o)).toBe(want);
  });

  it.each(cases)('invariants: %s', (_name, r, o) => {
    const d = decideCheck(r, o, ctx);
    if ('need' in d || !r) return;
    expect(d.arm, 'a check makes no ARM write').toBeUndefined();
    const next = d.change?.set.state;
    const nextHop = d.change?.set.hop !== undefined && d.change.set.hop !== r.hop;
    if ((next !== undefined && next !== r.state) || nextHop) {
      expect(d.change?.event, 'a state change carries its event').toBeDefined();
      const to = next ?? r.state;
      expect(isHopTransition(r.state, to, 'cluster-checks', to === r.state && nextHop)).toBe(true);
    }
    const done = next === 'Succeeded' || nextHop;
    if (done) {
      const seen = o.confirm ?? o.extension;
      const e = seen && 'ok' in seen ? seen.ok : undefined;
      const target = r.operation?.targetVersion ?? '';
      expect(e?.provisioningState).toBe('Succeeded');
      expect(defaultOsmCatalog.compare(e?.version ?? '', target)).toBe(0);
    }
    const written = d.change && 'operation' in d.change.set ? d.change.set.operation : undefined;
    const checked = r.operation && checkedOperation(r.operation, o.msg);
    if (written)
      expect([undefined, checked?.operationId], 'no operation id but the one it checks').toContain(
        written.operationId,
      );
  });

  it('a running operation asks to renew the lease only once it has run a quarter of it', () => {
    const busy = { extension: ext('1.1.1-1', 'Updating') };
    const early = decideCheck(row({ operation: op({ startedAt: ago(60) }) }), obs(busy), ctx);
    expect(early).toMatchObject({ result: { reason: 'OperationInProgress' }, renewLease: false });
    const late = row({ operation: op({ startedAt: ago(16 * 60) }) });
    const seen = { ...busy, cluster: connected };
    expect(decideCheck(late, obs(seen), ctx)).toMatchObject({
      result: { reason: 'OperationInProgress' },
      renewLease: true,
    });
  });

  it('the id the first check took from its message is recorded with its first row change', () => {
    const intent = op({ operationId: undefined });
    const first = msg({ intentAt: intent.startedAt });
    const cases: [Partial<RolloutClusterRecord>, Partial<CheckObservation>][] = [
      [{ updatedAt: ago(120) }, { extension: ext('1.1.1-1', 'Updating') }], // the heartbeat's note
      [
        { operation: { ...intent, startedAt: ago(400) } },
        { extension: ext('1.1.1-1', 'Updating'), cluster: { ok: { ...c, connectivity: 'Offline' } } },
      ], // Deferred, operation kept
    ];
    for (const [over, seen] of cases) {
      const r = row({ operation: intent, ...over });
      const d = decideCheck(r, obs({ msg: { ...first, intentAt: r.operation!.startedAt }, ...seen }), ctx);
      if ('need' in d) throw new Error(`needs ${d.need}`);
      expect(d.change?.set.operation).toEqual({ ...r.operation, operationId: 'op-1' });
    }
    const done = decideCheck(
      row({ operation: intent }),
      obs({ msg: first, extension: ext('1.2.6'), rollout }),
      ctx,
    );
    if ('need' in done) throw new Error(`needs ${done.need}`);
    expect(done.change?.set).toMatchObject({ state: 'Succeeded', operation: undefined });
  });
});
