/**
 * The pieces a fleet benchmark runs against: Azurite (child process), the Arc fleet emulator (in this
 * process) and ONE local Functions host (`local/hostProcess.ts`) in its own child process, so that its
 * resident memory is its own. The host is preloaded with `countRequests.ts` (Table, Queue and ARM request
 * counts written to a file). `stop()` ends every child; children also die with this process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '../../emulator/createEmulator.js';
import type { DeepPartial, EmulatorConfig } from '../../emulator/emulatorConfig.js';
import { EmulatorControl } from '../../emulator/emulatorControl.js';
import { startAzurite, type Azurite } from '../../local/startAzurite.js';

/** The bench hosts' Event Grid webhook key (FLEET_EVENTGRID_KEY): deliveries carry it as `code`. */
export const BENCH_EVENTGRID_KEY = 'bench-eventgrid-key';

export interface BenchHost {
  url: string;
  pid: number;
  /** Peak and current resident memory of the host process (MiB), from /proc. */
  memory(): { hwmMiB: number; rssMiB: number };
  counts(): Record<string, number>;
  /** CPU seconds (user + system) the host process has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  } catch {
    return 0;
  }
}

export interface BenchStack {
  azurite: Azurite;
  emulator: Emulator;
  control: EmulatorControl;
  dir: string;
  startHost(subscriptions: string[], env?: Record<string, string>): Promise<BenchHost>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
// Interrupted: exit through the handler above (Azurite exits by itself when our end of its stdin closes).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

export async function startBenchStack(config: DeepPartial<EmulatorConfig>): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'osm-bench-'));
  // The queue service on disk: in memory, Azurite's minute GC stalls it for 30-60 s (startAzurite.ts).
  const azurite = await startAzurite({ queueLocation: join(dir, 'queue') });
  let emulator: Emulator;
  try {
    emulator = await createEmulator({ port: 0, caDir: dir, config });
  } catch (e) {
    await azurite.stop();
    throw e;
  }
  const hosts: BenchHost[] = [];
  return {
    azurite,
    emulator,
    control: new EmulatorControl(emulator.endpoint, emulator.caPem),
    dir,
    async startHost(subscriptions, env = {}) {
      const host = await spawnHost(dir, azurite, emulator, subscriptions, env);
      hosts.push(host);
      return host;
    },
    async stop() {
      await Promise.allSettled(hosts.map((h) => h.stop()));
      await Promise.allSettled([emulator.close(), azurite.stop()]);
    },
  };
}

async function spawnHost(
  dir: string,
  azurite: Azurite,
  emulator: Emulator,
  subscriptions: string[],
  env: Record<string, string>,
): Promise<BenchHost> {
  const countsFile = join(dir, `host-counts-${Date.now()}.json`);
  const port = (u: string) => new URL(u).port;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      new URL('./countRequests.ts', import.meta.url).href,
      new URL('../../local/hostProcess.ts', import.meta.url).pathname,
      ...(process.env.BENCH_HOST_LOG ? [] : ['--quiet']),
      '--store-prefix',
      `b${Date.now().toString(36)}`,
    ],
    {
      // BENCH_HOST_LOG=<file>: the host's JSON log lines go there (else the host runs --quiet).
      stdio: [
        'ignore',
        'pipe',
        process.env.BENCH_HOST_LOG ? openSync(process.env.BENCH_HOST_LOG, 'a') : 'inherit',
      ],
      env: {
        ...process.env,
        FLEET_SUBSCRIPTIONS: subscriptions.join(','),
        AzureWebJobsStorage: azurite.connectionString,
        ARM_ENDPOINT: emulator.endpoint,
        ARM_CA_FILE: emulator.caFile,
        ARM_STATIC_TOKEN: 'bench-token',
        FLEET_EVENTGRID_KEY: BENCH_EVENTGRID_KEY,
        KEY_VAULT_URL: emulator.endpoint,
        BENCH_COUNTS_FILE: countsFile,
        BENCH_TABLE_PORT: port(azurite.tableUrl),
        BENCH_QUEUE_PORT: port(azurite.queueUrl),
        ...env,
      },
    },
  );
  children.add(child);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`host exited before listening: ${out}`)));
  });
  const pid = child.pid ?? -1;
  return {
    url,
    pid,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { hwmMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
    },
    cpuSeconds: () => cpuSecondsOf(pid),
    counts() {
      try {
        return (JSON.parse(readFileSync(countsFile, 'utf8')) as { counts: Record<string, number> }).counts;
      } catch {
        return {};
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
  };
}

/** Calls the host's API: JSON in and out; throws on a status of 300 or more. node:http, not fetch: no
 * headers timeout (creating a 10,000-cluster rollout on a loaded machine took longer than fetch's 300 s);
 * a fresh connection each call (a kept-alive one may be closed by the host's 5 s keep-alive meanwhile). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      new URL(path, base),
      { method, agent: false, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300)
            reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
