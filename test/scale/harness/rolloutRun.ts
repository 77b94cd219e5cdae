/**
 * One full rollout of a seeded fleet on N host processes: policy and rollout created through host 0, the
 * rollout watched through another host at a high rate (per-wave InProgress counts), the emulator observed
 * in-process, and the end state collected in a comparable form.
 */
import type { Emulator } from '../../../emulator/createEmulator.js';
import type { RolloutClusterRecord } from '../../../shared/domain/records.js';
import { EmulatorObserver, peakOperationsByGroup } from './emulatorObserver.js';
import { startScaleEnv, sleep, waitUntil, type ScaleEnvOptions } from './scaleEnv.js';
import type { SeededCluster } from './scaleFleet.js';

export interface EndState {
  version: string | null;
  extensions: string[];
  runningSettings: Record<string, string>;
  puts: number;
  row: Pick<RolloutClusterRecord, 'state' | 'reason' | 'hop' | 'path' | 'wave' | 'plannedAction'> | null;
}

export interface RolloutRunResult {
  rollout: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  makespanMs: number;
  end: Map<string, EndState>;
  /** Highest InProgress count per wave index seen through the API, and the number of API samples. */
  apiPeakInProgress: number[];
  apiSamples: number;
  /** Peak concurrent emulator operations per wave index. */
  opPeak: Map<string, number>;
  observer: EmulatorObserver;
  logs: string;
}

export async function runRollout(
  options: ScaleEnvOptions,
  emulator: Emulator,
  clusters: SeededCluster[],
  policy: unknown,
  hostCount: number,
  timeoutMs: number,
): Promise<RolloutRunResult> {
  const env = await startScaleEnv(options, hostCount, emulator);
  try {
    const observer = new EmulatorObserver(emulator).start(100);
    await sleep(Math.max(300, (options.emulator?.graphLagMs ?? 0) + 200));
    const put = await env.api(0, 'PUT', '/api/policies/scale', policy);
    if (put.status >= 300) throw new Error(`policy: ${JSON.stringify(put.body)}`);
    const started = Date.now();
    const created = await env.api(0, 'POST', '/api/rollouts', { policy: 'scale' });
    if (created.status !== 201) throw new Error(`rollout: ${JSON.stringify(created.body)}`);
    const id = String(created.body.id);
    const watcher = hostCount > 1 ? 1 : 0;
    const apiPeakInProgress: number[] = [];
    let apiSamples = 0;
    const rollout = await waitUntil(
      async () => {
        const r = await env.api(watcher, 'GET', `/api/rollouts/${id}`);
        apiSamples++;
        (r.body.waves as { counts: { inProgress: number } }[]).forEach((w, i) => {
          apiPeakInProgress[i] = Math.max(apiPeakInProgress[i] ?? 0, w.counts.inProgress);
        });
        return ['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(r.body.state) && r.body;
      },
      timeoutMs,
      () => env.hosts.logs(),
      50,
    );
    const makespanMs = Date.now() - started;
    observer.stop();
    const rows = new Map((await env.rows(id)).map((r) => [r.clusterId, r]));
    const end = new Map<string, EndState>();
    for (const c of clusters) {
      const key = c.id.toLowerCase();
      const cluster = emulator.state.clusters.get(key);
      const osm = [...(cluster?.extensions.values() ?? [])].filter(
        (e) => e.extensionType === 'microsoft.openservicemesh',
      );
      const row = rows.get(key);
      end.set(key, {
        version: osm[0]?.currentVersion ?? null,
        extensions: osm.map((e) => e.name),
        runningSettings: { ...(osm[0]?.runningSettings ?? {}) },
        puts: osm.reduce((n, e) => n + e.puts, 0),
        row: row
          ? {
              state: row.state,
              reason: row.reason,
              hop: row.hop,
              path: row.path,
              wave: row.wave,
              plannedAction: row.plannedAction,
            }
          : null,
      });
    }
    const opPeak = peakOperationsByGroup(emulator, (k) => {
      const w = rows.get(k)?.wave;
      return w === undefined ? undefined : String(w);
    });
    return {
      rollout,
      makespanMs,
      end,
      apiPeakInProgress,
      apiSamples,
      opPeak,
      observer,
      logs: env.hosts.logs(),
    };
  } finally {
    await env.stop();
  }
}
