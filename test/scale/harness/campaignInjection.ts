/**
 * What the fault campaign injects, all at once: transient ARM faults (429 with Retry-After, 500, 503,
 * dropped connections, latency spikes) at about 10 % of ARM calls, install failures on 2 % of clusters,
 * 5 % of clusters going offline mid-rollout and back, new clusters connecting through ARM (Event Grid with
 * duplicates and reordering feeds an autoOnboard policy), and kill -9 of host processes at random moments.
 */
import { request } from 'node:https';
import type { Emulator } from '../../../emulator/createEmulator.js';
import type { EmulatorControl } from '../../../emulator/emulatorControl.js';
import type { HostFleet } from './hostFleet.js';
import { sleep } from './scaleEnv.js';
import { OSM_TYPE } from './scaleFleet.js';

/** ARM paths only (clusters and their extensions); Resource Graph is throttled by its own quota. */
const ARM_PATH = '/providers/Microsoft\\.Kubernetes/connectedClusters/';

export const TRANSIENT_FAULTS = [
  { action: { status: 429 as const, retryAfterSeconds: 1 }, rate: 0.03 },
  { action: { status: 500 as const }, rate: 0.02 },
  { action: { status: 503 as const }, rate: 0.02 },
  { action: { timeout: true as const }, rate: 0.01 },
  { action: { latencyMs: 1500 }, rate: 0.02 },
];

export async function addTransientFaults(control: EmulatorControl): Promise<void> {
  for (const f of TRANSIENT_FAULTS) await control.addFault({ pathRegex: ARM_PATH, ...f });
}

export const INSTALL_FAILURE_CODE = 'InjectedInstallFailure';

export async function addInstallFailures(control: EmulatorControl, clusterIds: string[]): Promise<void> {
  if (clusterIds.length === 0) return;
  await control.addInstallOutcome({
    clusterIds,
    extensionType: OSM_TYPE,
    failRate: 1,
    code: INSTALL_FAILURE_CODE,
    message: 'pods of osm-controller never became ready (injected)',
  });
}

/** Offline at `afterMs`, Connected again `forMs` later; resolves when all are back. */
export async function flipOffline(
  control: EmulatorControl,
  clusterIds: string[],
  afterMs: number,
  forMs: number,
): Promise<void> {
  await sleep(afterMs);
  for (const id of clusterIds) await control.setConnectivity(id, 'Offline');
  await sleep(forMs);
  for (const id of clusterIds) await control.setConnectivity(id, 'Connected');
}

/** kill -9 of a random non-zero host every `everyMs` (jittered), restarted `downMs` later. */
export async function killHosts(
  hosts: HostFleet,
  count: number,
  hostCount: number,
  o: { firstMs: number; everyMs: number; downMs: number; random: () => number; stopped: () => boolean },
): Promise<void> {
  await sleep(o.firstMs);
  for (let k = 0; k < count && !o.stopped(); k++) {
    const victim = 1 + Math.floor(o.random() * (hostCount - 1));
    hosts.kill(victim);
    await sleep(o.downMs);
    await hosts.start(victim, 90_000);
    await sleep(o.everyMs * (0.5 + o.random()));
  }
}

/** Connects new clusters through ARM, as `az connectedk8s connect` does (the emulator raises events). */
export async function connectClusters(emulator: Emulator, ids: string[], spacingMs: number): Promise<void> {
  for (const id of ids) {
    const status = await armPut(emulator, `${id}?api-version=2024-01-01`, {
      location: 'eastus',
      identity: { type: 'SystemAssigned' },
      properties: { agentPublicKeyCertificate: 'MIIBCgKCAQEA', distribution: 'aks' },
    });
    if (status >= 300) throw new Error(`connect ${id}: ${status}`);
    await sleep(spacingMs);
  }
}

/** One raw ARM PUT, retried past the injected faults (the caller is a user, not osm-fleet). */
async function armPut(emulator: Emulator, path: string, body: unknown): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const status = await new Promise<number>((resolve) => {
      const req = request(
        new URL(path, emulator.endpoint),
        {
          method: 'PUT',
          ca: emulator.caPem,
          headers: { authorization: 'Bearer campaign-user', 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(JSON.stringify(body));
    });
    if ((status >= 200 && status < 300) || attempt >= 20) return status;
    await sleep(300);
  }
}

/** A deterministic pseudo-random stream (mulberry32) for kill timings. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
