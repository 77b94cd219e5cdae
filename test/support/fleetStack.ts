/**
 * The whole product on this machine, for integration tests: the Arc fleet emulator (in-process, HTTPS, fast
 * timings), the run's Azurite (unique table/queue prefix), the real composition (real SDK clients) and the
 * local Functions stand-in serving the registration table, with the emulator's Event Grid feeding the
 * local webhook. One stack per test file (the app context is process-wide; vitest runs files in forks).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/createEmulator.js';
import type { DeepPartial, EmulatorConfig } from '../../emulator/emulatorConfig.js';
import { EmulatorControl } from '../../emulator/emulatorControl.js';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import { registrations } from '../../functions/registrations.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import { loadConfig } from '../../shared/config.js';
import { createAppContext, type RunningApp } from '../../shared/createAppContext.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import type { StorageWorkQueue } from '../../shared/store/storageWorkQueue.js';
import { uniquePrefix } from './storeFixture.js';

export const SUBS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
/**
 * The stack's default Log Analytics workspace. Its region and customer ID are configuration, as infra/ sets
 * them in Azure, so Container insights onboarding needs no workspace read for it. The emulator holds it too
 * (seeded with the same region and customer ID); a policy naming another workspace needs it created first.
 */
export const STACK_WORKSPACE = `/subscriptions/${SUBS[1]}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/fleet-ws`;
export const STACK_WORKSPACE_LOCATION = 'westeurope';
export const STACK_WORKSPACE_CUSTOMER_ID = '5b8e3f1a-2c4d-4e6f-8a9b-0c1d2e3f4a5b';

export interface FleetStack {
  emulator: Emulator;
  control: EmulatorControl;
  app: RunningApp;
  host: LocalHost;
  logs: string[];
  /** This stack's table (and queue) name prefix in the run's Azurite. */
  tablePrefix: string;
  /** Calls the API like a user: JSON in, `{ status, body, headers }` out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  stop(): Promise<void>;
}

export interface ApiResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export interface StackOptions {
  emulator?: DeepPartial<EmulatorConfig>;
  /** Extra environment (FLEET_API_KEY, ...). */
  env?: Record<string, string>;
  /** Reconcile timer interval (ms). */
  reconcileEveryMs?: number;
  checkDelayMs?: number;
  events?: boolean;
}

export async function startFleetStack(options: StackOptions = {}): Promise<FleetStack> {
  const logs: string[] = [];
  const emulator = await createEmulator({
    port: 0,
    caDir: mkdtempSync(join(tmpdir(), 'fleet-ca-')),
    config: {
      installMs: 150,
      installJitterMs: 50,
      connectMs: 50,
      graphLagMs: 200,
      retryAfterSeconds: 0,
      failureModes: { namespaceLingerMs: 500, offlineTimeoutMs: 20_000 },
      ...options.emulator,
    },
  });
  const control = new EmulatorControl(emulator.endpoint, emulator.caPem);
  await control.seedWorkspace({
    subscriptionId: SUBS[1]!,
    resourceGroup: 'rg-logs',
    name: 'fleet-ws',
    location: STACK_WORKSPACE_LOCATION,
    customerId: STACK_WORKSPACE_CUSTOMER_ID,
  });
  const config = loadConfig({
    FLEET_SUBSCRIPTIONS: SUBS.join(','),
    AzureWebJobsStorage: inject('azurite').connectionString,
    ARM_ENDPOINT: emulator.endpoint,
    ARM_CA_FILE: emulator.caFile,
    ARM_STATIC_TOKEN: 'integration-test-token',
    FLEET_LOG_ANALYTICS_WORKSPACE_ID: STACK_WORKSPACE,
    FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: STACK_WORKSPACE_LOCATION,
    FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID: STACK_WORKSPACE_CUSTOMER_ID,
    KEY_VAULT_URL: emulator.endpoint,
    ...options.env,
  });
  const prefix = uniquePrefix();
  const app = await createAppContext(config, {
    tablePrefix: prefix,
    queuePrefix: `${prefix}-`,
    logger: {
      info: (p, f) => logs.push(JSON.stringify({ p, ...f })),
      warn: (p, f) => logs.push(JSON.stringify({ p, ...f })),
      error: (p, f) => logs.push(JSON.stringify({ p, ...f })),
    },
  });
  app.deps.settings.checkDelayMs = options.checkDelayMs ?? 200;
  setAppContextFactory(async () => app);
  const host = await startLocalHost({
    registrations,
    consumer: app.store.queueConsumer,
    port: 0,
    log: (line) => logs.push(line),
    timerEveryMs: { reconcile: options.reconcileEveryMs ?? 1_000 },
    retryDelaySec: 1,
    maxPollingIntervalMs: 100,
  });
  if (options.events ?? true)
    await control.addSubscriber({
      url: host.eventGridUrl(EVENT_FUNCTION),
    });

  return {
    emulator,
    control,
    app,
    host,
    logs,
    tablePrefix: prefix,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${host.url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await host.stop();
      await emulator.close();
    },
  };
}

/** Polls `check` until it returns a truthy value (returned) or the time runs out (throws, with `describe()`). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  describe = () => '',
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function clusterIdOf(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/**
 * Waits until a whole run of the function `name` (default the reconcile timer) has both started and finished
 * after this call: the work an action caused has then been considered at least once. Use it instead of
 * sleeping before asserting that nothing happened. `runs` = 2 waits for two full runs after the call (a run in
 * progress at the call counts for nothing).
 */
export async function afterRuns(stack: FleetStack, runs = 1, name = 'reconcile'): Promise<void> {
  const target = stack.host.completed(name) + runs + 1;
  await waitFor(
    async () => stack.host.completed(name) >= target,
    20_000,
    () => `waiting for ${runs} full run(s) of ${name}`,
  );
}

/** Waits until every work queue (poison queues aside) holds no message: none waiting, delayed or in flight. */
export async function workQueuesEmpty(stack: FleetStack): Promise<void> {
  const store = stack.app.store;
  const queue = store.queue as StorageWorkQueue;
  const names = store.queueNames.filter((n) => !n.endsWith('-poison'));
  const counts = async () =>
    Promise.all(
      names.map(async (n) => (await queue.client(n).getProperties()).approximateMessagesCount ?? 0),
    );
  let last: number[] = [];
  await waitFor(
    async () => (last = await counts()).every((c) => c === 0),
    20_000,
    () => `work queues never emptied: ${names.map((n, i) => `${n} ${last[i]}`).join(', ')}`,
  );
}

/**
 * The state after which "nothing happened" means something: `runs` full reconcile passes that started after
 * this call, and then no work message left anywhere (every message those passes or earlier steps sent was
 * handled).
 */
export async function afterWorkConsidered(stack: FleetStack, runs = 2): Promise<void> {
  await afterRuns(stack, runs);
  await workQueuesEmpty(stack);
}
