/**
 * The fault campaign (issue 5): a seeded fleet rolled out by several host processes while every fault of
 * campaignInjection.ts runs at once; returns the counts and the verdicts of campaignChecks.ts. Shared by
 * test/scale/faultCampaign.test.ts (a few hundred clusters) and bench/chaos.ts (thousands).
 */
import { EVENT_FUNCTION } from '../../../shared/functionNames.js';
import { EmulatorObserver } from './emulatorObserver.js';
import { SCALE_EVENTGRID_KEY } from './hostFleet.js';
import { checkCampaign } from './campaignChecks.js';
import type { CampaignOptions, CampaignReport } from './campaignReport.js';
import * as inject from './campaignInjection.js';
import { graphThrottled, startEmulator, startScaleEnv, untilGraphShows, waitUntil } from './scaleEnv.js';
import { clusterArmId, fleet, policyBody, subscriptionIds } from './scaleFleet.js';

export type { CampaignOptions, CampaignReport } from './campaignReport.js';

export async function runCampaign(o: CampaignOptions): Promise<CampaignReport> {
  const log = o.log ?? (() => undefined);
  const subs = subscriptionIds(o.subscriptions, 'c');
  const clusters = fleet(o.clusters, subs, 'fc');
  const emulator = await startEmulator({
    graphQuota: 6,
    emulator: {
      installMs: o.installMs,
      installJitterMs: Math.round(o.installMs / 2),
      connectMs: 200,
      graphLagMs: 1500,
      retryAfterSeconds: 0,
      failureModes: { namespaceLingerMs: 500, offlineTimeoutMs: 120_000 },
    },
  });
  const env = await startScaleEnv(
    {
      storage: o.storage,
      subscriptions: [...subs, ...(o.extraSubscriptions ?? [])],
      reconcileMs: 2_000,
      maxPollingMs: 250,
      quiet: false,
      hostEnv: { FLEET_OPERATION_DEADLINE_MINUTES: '1' },
    },
    o.hosts,
    emulator,
  ).catch(async (err: unknown) => {
    await emulator.close();
    throw err;
  });
  const close = env.stop.bind(env);
  env.stop = async () => {
    await close();
    await emulator.close();
  };
  try {
    const { control } = env;
    await control.seed({ explicit: clusters.map((c) => c.seed) });
    const observer = new EmulatorObserver(emulator).start(100);
    // 2 % install failures, on clusters with work to do; 5 % going offline mid-rollout.
    const withWork = clusters.filter((c) => c.hops > 0);
    const failing = withWork.filter((_, i) => i % 50 === 17).map((c) => c.id.toLowerCase());
    const offline = clusters.filter((_, i) => i % 20 === 3).map((c) => c.id);
    const fresh = Array.from({ length: Math.max(5, Math.round(o.clusters / 50)) }, (_, i) =>
      clusterArmId(subs[i % subs.length] ?? '', 'rg-new', `new-${String(i).padStart(4, '0')}`),
    );
    await inject.addInstallFailures(control, failing);
    await control.addSubscriber({
      url: `${env.hosts.url(0)}/runtime/webhooks/eventgrid?functionName=${EVENT_FUNCTION}&code=${SCALE_EVENTGRID_KEY}`,
      duplicateRate: 0.3,
      maxDelayMs: 1500,
      // As deployed (infra/modules/eventSubscription.bicep: 30 attempts), by default at most 2 s apart (about a
      // minute in all, where Event Grid's own schedule spans 24 h: docs/reliability.md).
      maxAttempts: 30,
      retryScale: o.eventRetryScale ?? 0,
    });
    await untilGraphShows(
      emulator,
      clusters.map((c) => c.id),
    ); // Resource Graph lags ARM
    const waves = [
      { name: 'canary', count: Math.max(5, Math.round(o.clusters / 30)), maxParallel: 5 },
      // The schema's ceiling is 1,000 in flight per wave.
      { name: 'rest', percent: 100, maxParallel: Math.min(1000, Math.max(20, Math.round(o.clusters / 6))) },
    ];
    const policy = policyBody(subs, waves, { maxFailurePercent: o.maxFailurePercent, autoOnboard: true });
    const put = await env.api(0, 'PUT', '/api/policies/fleet', policy);
    if (put.status >= 300) throw new Error(`policy: ${JSON.stringify(put.body)}`);
    await inject.addTransientFaults(control);
    const started = Date.now();
    const created = await env.api(0, 'POST', '/api/rollouts', { policy: 'fleet' });
    if (created.status !== 201) throw new Error(`rollout: ${JSON.stringify(created.body)}`);
    const id = String(created.body.id);
    log(`rollout ${id} of ${clusters.length} clusters started`);
    let finished = false;
    const random = inject.seededRandom(o.clusters);
    let chaosError: unknown;
    const chaos = Promise.all([
      inject.flipOffline(control, offline, 2_000, 6_000),
      inject.connectClusters(emulator, fresh, 400),
      inject.killHosts(env.hosts, o.kills, o.hosts, {
        firstMs: 1_500,
        everyMs: 6_000,
        downMs: 2_000,
        random,
        stopped: () => finished,
      }),
    ]).catch((err: unknown) => (chaosError = err));
    let lastLog = 0;
    const view = async () => (await env.api(0, 'GET', `/api/rollouts/${id}`)).body;
    let timedOut = false;
    const rollout = await waitUntil(
      async () => {
        const r = await view();
        if (Date.now() - lastLog > 5_000) {
          lastLog = Date.now();
          log(`${Math.round((lastLog - started) / 1000)} s ${r.state} ${JSON.stringify(r.counts)}`);
        }
        return ['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(r.state) && r;
      },
      o.timeoutMs,
      () => env.hosts.logs(),
      500,
    ).catch(async (err: unknown) => {
      // Past the timeout the verdicts are still printed, on the state reached (the rollout keeps running).
      timedOut = true;
      log(`rollout not finished after ${o.timeoutMs} ms: ${(err as Error).message.slice(0, 200)}`);
      return view();
    });
    const makespanMs = Date.now() - started;
    finished = true;
    await chaos;
    if (chaosError) throw chaosError;
    if (!timedOut && rollout.state !== 'Succeeded') {
      // A halted or failed rollout dispatches nothing more, but hops in flight finish: judge after them.
      log(`rollout ${rollout.state}; waiting for the hops in flight`);
      await waitUntil(async () => (await view()).counts?.inProgress === 0, 180_000).catch(() =>
        log('hops still in flight after 180 s; judging now'),
      );
    }
    log(`rollout ${rollout.state} after ${makespanMs} ms; waiting for onboarding of new clusters`);
    await waitUntil(
      async () => fresh.every((c) => emulator.state.clusters.get(c.toLowerCase())?.extensions.size),
      o.onboardWaitMs ?? 60_000,
      () => 'new clusters not onboarded',
      500,
    ).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2_000));
    await control.clearFaults();
    observer.stop();
    const stats = await control.stats();
    const rows = new Map((await env.rows(id)).map((r) => [r.clusterId, r]));
    const verdict = await checkCampaign({
      emulator,
      observer,
      clusters,
      injectedFailures: new Set(failing),
      newClusters: fresh,
      rows,
      history: (c) => env.history(c),
    });
    return {
      rolloutState: rollout.state,
      timedOut,
      ...(rollout.haltedReason ? { haltedReason: rollout.haltedReason } : {}),
      makespanMs,
      injected: {
        installFailures: failing.length,
        offline: offline.length,
        newClusters: fresh.length,
        kills: env.hosts.kills,
      },
      emulator: {
        faultsInjected: stats.faultsInjected,
        throttled429: stats.throttled429,
        graphThrottled: graphThrottled(emulator),
        eventsLost: stats.eventDeliveryFailures,
        puts: Object.values(stats.putsPerExtension).reduce((a, b) => a + b, 0),
        ops: stats.operationsStarted,
      },
      verdict,
      recovery: Object.fromEntries(env.hosts.phrases),
      env,
    };
  } catch (err) {
    await env.stop();
    throw err;
  }
}
