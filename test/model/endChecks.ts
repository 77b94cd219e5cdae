/**
 * The checks after every action (`quiet` false) and at the end of a run (`quiet` true): history exactly
 * once per row event; at the end also every rollout and row terminal, nothing running at ARM, and each row's
 * outcome matching ARM's truth (Succeeded: at the target with the policy's settings and every setting the
 * cluster had; Failed: explained by the faults, the extension within the failed hop, never past it).
 */
import { MONITOR_EXTENSION_NAME } from '../../shared/domain/cluster.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import { TERMINAL_ROLLOUT_STATES } from '../../shared/domain/rolloutState.js';
import { translateKey } from '../../shared/domain/settingsMerge.js';
import { carriesPolicy, failureExplained, historyFaults, osmOf, same } from './invariants.js';
import { modelFleet, POLICY_SETTINGS } from './fleet.js';
import type { ModelRun } from './modelRun.js';
import { MAX_HOP_ATTEMPTS } from './system.js';

const UNSETTLED = new Set(['Pending', 'InProgress', 'Deferred', 'AwaitingApproval']);

export async function endChecks(run: ModelRun, quiet: boolean): Promise<void> {
  const { truth } = run.sys;
  const rows = (await truth.rollouts.listClusters(run.rolloutId, undefined, { top: 1000 })).items.map(
    (r) => r.value,
  );
  const events = truth.history.events;
  run.resolveOverwrites();
  for (const r of rows)
    for (const v of historyFaults(events, r, quiet, run.judged))
      if (!run.violations.includes(v)) run.violate(v);
  if (!quiet) return;

  const rollout = (await truth.rollouts.get(run.rolloutId))?.value.rollout;
  if (!rollout || !TERMINAL_ROLLOUT_STATES.includes(rollout.state))
    run.violate(`rollout ends ${rollout?.state ?? 'missing'}, not terminal`);
  for (const op of truth.arm.operations.values())
    if (op.status.status === 'InProgress') run.violate(`operation ${op.id} still running at the end`);
  for (const r of rows) judgeOutcome(run, r);
}

function judgeOutcome(run: ModelRun, r: RolloutClusterRecord): void {
  const { arm, catalog, settings } = run.sys.truth;
  const ext = osmOf(arm, r.clusterId);
  const name = r.clusterName;
  if (UNSETTLED.has(r.state)) return run.violate(`${name} ends ${r.state} (${r.reason})`);
  if (r.state === 'Succeeded') {
    if (!ext || ext.provisioningState !== 'Succeeded' || !same(catalog, ext.version, r.to))
      return run.violate(
        `${name} Succeeded, ARM has ${ext?.version ?? 'nothing'} ${ext?.provisioningState ?? ''}`,
      );
    if (!carriesPolicy(catalog, ext.configurationSettings, POLICY_SETTINGS, r.to))
      run.violate(`${name} Succeeded without the policy's settings`);
    const original = modelFleet().find((c) => c.name === name)?.extensions[0]?.configurationSettings ?? {};
    if (r.monitor === 'Pending' || r.monitor === 'InProgress')
      run.violate(`${name}: Azure Monitor onboarding ends ${r.monitor}`);
    const mon = arm.clusters
      .get(r.clusterId.toLowerCase())
      ?.extensions.find((e) => e.name === MONITOR_EXTENSION_NAME);
    if (r.monitor === 'Succeeded' && mon?.provisioningState !== 'Succeeded')
      run.violate(
        `${name}: monitor Succeeded, ARM has ${mon ? mon.provisioningState : 'no monitor extension'}`,
      );
    for (const [k, v] of Object.entries(original)) {
      const key = translateKey(catalog, k, r.to);
      const policy = Object.keys(POLICY_SETTINGS).some((p) => translateKey(catalog, p, r.to) === key);
      if (!policy && ext.configurationSettings[key] !== v) run.violate(`${name}: setting ${k}=${v} lost`);
    }
    return;
  }
  if (r.state === 'Failed') {
    if (!failureExplained(r, run.ledger(r.clusterId), MAX_HOP_ATTEMPTS, settings.operationDeadlineMs))
      run.violate(
        `${name} Failed ${r.reason} at hop ${r.hop}, which no injected fault explains: ${r.message ?? ''}`,
      );
    const from = r.hop > 0 ? (r.path[r.hop - 1] ?? null) : r.from;
    const to = r.path[r.hop];
    const v = ext?.version ?? null;
    if (!(v === null ? from === null : same(catalog, v, from) || same(catalog, v, to)))
      run.violate(`${name} Failed at hop ${r.hop} (${from} -> ${to}), ARM has ${v}`);
    return;
  }
  if (r.state === 'Skipped' && r.reason === 'Compliant') return;
  if (r.state === 'Skipped' && name === 'compliant') return;
  run.violate(`${name} ends ${r.state} (${r.reason}), which the model never causes`);
}
