/**
 * One scale run: the emulator in this process (optionally with a low Resource Graph quota), the store on the
 * given Azurite under a fresh prefix, and N host processes sharing it. Rows and history are read straight
 * from the store (cheap at hundreds of clusters); the API is called over HTTP on a chosen host.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '../../../emulator/createEmulator.js';
import type { DeepPartial, EmulatorConfig } from '../../../emulator/emulatorConfig.js';
import { EmulatorControl } from '../../../emulator/emulatorControl.js';
import { ResourceGraphService } from '../../../emulator/graph/resourceGraphHandler.js';
import type { HistoryEvent, RolloutClusterRecord } from '../../../shared/domain/records.js';
import { createStoreAdapters, type StoreAdapters } from '../../../shared/store/createStoreAdapters.js';
import { HostFleet } from './hostFleet.js';

export interface ScaleEnvOptions {
  storage: string;
  subscriptions: string[];
  emulator?: DeepPartial<EmulatorConfig>;
  /** Resource Graph queries per 5 s per principal (ARG's default is 15). */
  graphQuota?: number;
  reconcileMs: number;
  hostEnv?: Record<string, string>;
  quiet?: boolean;
  maxPollingMs?: number;
  messageLeaseSec?: number;
}

export interface ScaleEnv {
  emulator: Emulator;
  control: EmulatorControl;
  store: StoreAdapters;
  hosts: HostFleet;
  prefix: string;
  api(host: number, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  rows(rolloutId: string): Promise<RolloutClusterRecord[]>;
  history(clusterId: string): Promise<HistoryEvent[]>;
  /** Stops the hosts, then the emulator (idempotent). */
  stop(): Promise<void>;
}

const graphs = new WeakMap<Emulator, () => ResourceGraphService | undefined>();

/** Resource Graph 429s of an emulator started with a `graphQuota`. */
export function graphThrottled(emulator: Emulator): number {
  return graphs.get(emulator)?.()?.stats().throttled ?? 0;
}

/**
 * Waits until the emulator's Resource Graph index shows these clusters (it lags ARM by `graphLagMs`), read
 * from the index itself so that no query spends the engine's Resource Graph quota.
 */
export async function untilGraphShows(emulator: Emulator, clusterIds: readonly string[]): Promise<void> {
  const want = clusterIds.map((id) => id.toLowerCase());
  await waitUntil(
    async () => {
      const ctx = emulator.context;
      const seen = new Set(
        [...ctx.graph.rows('resources', ctx.now())].map((r) => String(r.id).toLowerCase()),
      );
      return want.every((id) => seen.has(id));
    },
    30_000,
    () => `Resource Graph never showed ${want.length} seeded clusters`,
    100,
  );
}

export async function startEmulator(o: Pick<ScaleEnvOptions, 'emulator' | 'graphQuota'>): Promise<Emulator> {
  let graph: ResourceGraphService | undefined;
  const emulator = await createEmulator({
    port: 0,
    caDir: mkdtempSync(join(tmpdir(), 'fleet-scale-ca-')),
    config: o.emulator ?? {},
    ...(o.graphQuota
      ? {
          graphHandler: (index, body, ctx) =>
            (graph ??= new ResourceGraphService(index, {
              quota: { queries: o.graphQuota ?? 15, windowMs: 5000 },
            })).handle(body, ctx),
        }
      : {}),
  });
  graphs.set(emulator, () => graph);
  return emulator;
}

/** Hosts for a fresh store prefix on an emulator that is already running. */
export async function startScaleEnv(
  o: ScaleEnvOptions,
  hostCount: number,
  emulator?: Emulator,
): Promise<ScaleEnv> {
  const emu = emulator ?? (await startEmulator(o));
  const prefix = 's' + randomBytes(5).toString('hex');
  const store = createStoreAdapters({
    connectionString: o.storage,
    tablePrefix: prefix,
    queuePrefix: `${prefix}-`,
  });
  await store.ensureCreated();
  const hosts = new HostFleet(
    {
      subscriptions: o.subscriptions,
      storage: o.storage,
      armEndpoint: emu.endpoint,
      caFile: emu.caFile,
      ...(o.hostEnv ? { extra: o.hostEnv } : {}),
    },
    {
      prefix,
      reconcileMs: o.reconcileMs,
      quiet: o.quiet ?? false,
      ...(o.maxPollingMs ? { maxPollingMs: o.maxPollingMs } : {}),
      ...(o.messageLeaseSec ? { messageLeaseSec: o.messageLeaseSec } : {}),
    },
  );
  let stopped = false;
  const env: ScaleEnv = {
    emulator: emu,
    control: new EmulatorControl(emu.endpoint, emu.caPem),
    store,
    hosts,
    prefix,
    async api(host, method, path, body) {
      const res = await fetch(`${hosts.url(host)}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async rows(rolloutId) {
      const out: RolloutClusterRecord[] = [];
      let token: string | undefined;
      do {
        const page = await store.rollouts.listClusters(rolloutId, undefined, {
          top: 1000,
          ...(token ? { continuationToken: token } : {}),
        });
        out.push(...page.items.map((r) => r.value));
        token = page.continuationToken;
      } while (token);
      return out;
    },
    async history(clusterId) {
      const out: HistoryEvent[] = [];
      let token: string | undefined;
      do {
        const page = await store.history.list(clusterId, {
          top: 1000,
          ...(token ? { continuationToken: token } : {}),
        });
        out.push(...page.items);
        token = page.continuationToken;
      } while (token);
      return out;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await hosts.stopAll();
      if (!emulator) await emu.close();
    },
  };
  try {
    await hosts.start(0);
    await Promise.all(Array.from({ length: hostCount - 1 }, (_, i) => hosts.start(i + 1)));
  } catch (err) {
    await env.stop();
    throw err;
  }
  return env;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  describe: () => string = () => '',
  everyMs = 250,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms ${describe()}`);
    await sleep(everyMs);
  }
}
