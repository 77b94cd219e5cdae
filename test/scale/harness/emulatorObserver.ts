/**
 * Watches the emulator's in-memory ARM state (it runs in this process) at a high rate: each cluster's OSM
 * version over time (for downgrades and for "every change has a history event"), the most OSM extensions a
 * cluster ever had, and, from the operation records' start and end times, the peak number of operations
 * running at once within a group of clusters (a wave).
 */
import type { Emulator } from '../../../emulator/createEmulator.js';
import { rank } from './scaleFleet.js';

const OSM = 'microsoft.openservicemesh';

export class EmulatorObserver {
  /** Lower-cased cluster id -> the distinct OSM versions seen, in order (null = none installed). */
  readonly versions = new Map<string, (string | null)[]>();
  readonly maxOsmExtensions = new Map<string, number>();
  samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly emulator: Emulator) {}

  start(everyMs = 100): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  sample(): void {
    this.samples++;
    for (const [key, cluster] of this.emulator.state.clusters) {
      const osm = [...cluster.extensions.values()].filter((e) => e.extensionType === OSM);
      this.maxOsmExtensions.set(key, Math.max(this.maxOsmExtensions.get(key) ?? 0, osm.length));
      const version = osm[0]?.currentVersion ?? null;
      const seen = this.versions.get(key);
      if (!seen) this.versions.set(key, [version]);
      else if (seen[seen.length - 1] !== version) seen.push(version);
    }
  }

  /** Clusters whose OSM version ever went down in release order (or disappeared). */
  downgrades(): { clusterId: string; versions: (string | null)[] }[] {
    const out: { clusterId: string; versions: (string | null)[] }[] = [];
    for (const [clusterId, versions] of this.versions) {
      for (let i = 1; i < versions.length; i++) {
        const a = versions[i - 1];
        const b = versions[i];
        if (a && (!b || rank(b) < rank(a))) {
          out.push({ clusterId, versions });
          break;
        }
      }
    }
    return out;
  }

  /** Version changes seen: one entry per cluster and version it moved to. */
  changes(): { clusterId: string; to: string }[] {
    const out: { clusterId: string; to: string }[] = [];
    for (const [clusterId, versions] of this.versions)
      for (const v of versions.slice(1)) if (v) out.push({ clusterId, to: v });
    return out;
  }
}

/** Peak concurrent OSM operations per group, from the emulator's operation records. */
export function peakOperationsByGroup(
  emulator: Emulator,
  groupOf: (clusterKey: string) => string | undefined,
): Map<string, number> {
  const events = new Map<string, [number, number][]>();
  for (const op of emulator.state.operations.values()) {
    if (op.extensionKey.includes('azuremonitor')) continue;
    const group = groupOf(op.clusterKey);
    if (group === undefined) continue;
    const list = events.get(group) ?? [];
    list.push([op.startedMs, 1], [op.endedMs ?? Number.POSITIVE_INFINITY, -1]);
    events.set(group, list);
  }
  const peaks = new Map<string, number>();
  for (const [group, list] of events) {
    list.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let peak = 0;
    for (const [, d] of list) peak = Math.max(peak, (now += d));
    peaks.set(group, peak);
  }
  return peaks;
}
