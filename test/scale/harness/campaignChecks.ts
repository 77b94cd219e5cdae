/**
 * The fault campaign's end-of-run verdicts, as lists of offending clusters (empty = holds) and counts, so
 * the test can assert them and the benchmark can print them.
 */
import type { Emulator } from '../../../emulator/createEmulator.js';
import type { HistoryEvent, RolloutClusterRecord } from '../../../shared/domain/records.js';
import type { EmulatorObserver } from './emulatorObserver.js';
import { INSTALL_FAILURE_CODE } from './campaignInjection.js';
import { expectedSettings, POLICY_SETTINGS, TARGET, type SeededCluster } from './scaleFleet.js';

/** Row reasons that explain a cluster not at the target. */
export const EXPLAINED_FAILURES = new Set([INSTALL_FAILURE_CODE, 'ResourceOperationFailure']);

export interface CampaignVerdict {
  atTarget: number;
  failed: number;
  notExplained: string[];
  unexpectedFailures: string[];
  downgrades: string[];
  settingsLost: string[];
  twoOsmExtensions: string[];
  failedWithoutHistory: string[];
  changesWithoutHistory: string[];
  extraPuts: string[];
  newClustersNotOnboarded: string[];
  versionChanges: number;
}

export async function checkCampaign(input: {
  emulator: Emulator;
  observer: EmulatorObserver;
  clusters: SeededCluster[];
  injectedFailures: Set<string>;
  newClusters: string[];
  rows: Map<string, RolloutClusterRecord>;
  history: (clusterId: string) => Promise<HistoryEvent[]>;
}): Promise<CampaignVerdict> {
  const { emulator, observer, rows } = input;
  const v: CampaignVerdict = {
    atTarget: 0,
    failed: 0,
    notExplained: [],
    unexpectedFailures: [],
    downgrades: observer.downgrades().map((d) => `${d.clusterId}: ${d.versions.join(' -> ')}`),
    settingsLost: [],
    twoOsmExtensions: [...observer.maxOsmExtensions].filter(([, n]) => n > 1).map(([id]) => id),
    failedWithoutHistory: [],
    changesWithoutHistory: [],
    extraPuts: [],
    newClustersNotOnboarded: [],
    versionChanges: 0,
  };
  const osmOf = (key: string) =>
    [...(emulator.state.clusters.get(key)?.extensions.values() ?? [])].filter(
      (e) => e.extensionType === 'microsoft.openservicemesh',
    );
  const histories = new Map<string, HistoryEvent[]>();
  const historyOf = async (key: string) => {
    let h = histories.get(key);
    if (!h) histories.set(key, (h = await input.history(key)));
    return h;
  };
  for (const c of input.clusters) {
    const key = c.id.toLowerCase();
    const row = rows.get(key);
    const osm = osmOf(key)[0];
    const version = osm?.currentVersion ?? null;
    const failed = row?.state === 'Failed';
    if (version === TARGET && !failed) v.atTarget++;
    else if (failed && EXPLAINED_FAILURES.has(row.reason)) v.failed++;
    else v.notExplained.push(`${key}: ${version} row ${row?.state}/${row?.reason} ${row?.message ?? ''}`);
    if (failed && !input.injectedFailures.has(key)) v.unexpectedFailures.push(`${key}: ${row.reason}`);
    if (failed && !(await historyOf(key)).some((e) => e.result === 'Failed'))
      v.failedWithoutHistory.push(key);
    if (version) {
      const written = version !== c.from || row?.state === 'Succeeded';
      const want = expectedSettings(c.settings, version, written);
      const lost = Object.entries(want).filter(([k, val]) => osm?.runningSettings[k] !== val);
      if (lost.length) v.settingsLost.push(`${key}: ${lost.map(([k]) => k).join(', ')}`);
    }
    const puts = osm?.puts ?? 0;
    if (puts > c.hops || (row?.state === 'Succeeded' && puts !== c.hops))
      v.extraPuts.push(`${key}: ${puts} PUTs for ${c.hops} hops`);
  }
  for (const id of input.newClusters) {
    const key = id.toLowerCase();
    const osm = osmOf(key);
    const ok =
      osm.length === 1 &&
      osm[0]?.currentVersion === TARGET &&
      Object.entries(POLICY_SETTINGS).every(([k, val]) => osm[0]?.runningSettings[k] === val);
    if (!ok) v.newClustersNotOnboarded.push(`${key}: ${osm.map((e) => e.currentVersion).join(',')}`);
  }
  for (const change of observer.changes()) {
    v.versionChanges++;
    const events = await historyOf(change.clusterId);
    if (!events.some((e) => e.to === change.to && e.result === 'Succeeded'))
      v.changesWithoutHistory.push(`${change.clusterId} -> ${change.to}`);
  }
  return v;
}
