// Fault campaign (issue 5): a few hundred clusters rolled out by three host processes while transient ARM
// faults, install failures, clusters going offline, Resource Graph 429s and lag, duplicated and reordered
// Event Grid deliveries with new clusters connecting, and kill -9 of hosts all happen at once. Then, on the
// same hosts, failures above the threshold halt a rollout exactly when failed/dispatched passes it.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCampaign, type CampaignReport } from './harness/campaign.js';
import { addInstallFailures } from './harness/campaignInjection.js';
import { untilGraphShows, waitUntil } from './harness/scaleEnv.js';
import { clusterArmId, policyBody, subscriptionIds } from './harness/scaleFleet.js';

const HALT_SUB = subscriptionIds(1, 'd')[0] ?? '';
let report: CampaignReport | undefined;

describe('fault campaign', () => {
  afterAll(async () => {
    await report?.env.stop();
  });

  it('every cluster at the target or explained; no downgrade, lost key, second OSM or unrecorded change', async () => {
    report = await runCampaign({
      storage: inject('azurite').connectionString,
      clusters: 160,
      subscriptions: 3,
      hosts: 3,
      kills: 3,
      maxFailurePercent: 10,
      installMs: 150,
      timeoutMs: 150_000,
      extraSubscriptions: [HALT_SUB],
      ...(process.env.SCALE_VERBOSE ? { log: (l: string) => console.log(l) } : {}),
    });
    const { verdict: v, env: _env, ...counts } = report;
    console.log(JSON.stringify({ ...counts, verdict: summarize(v) }));
    expect(report.rolloutState).toMatch(/^(Succeeded|Failed)$/);
    expect(report.injected.kills).toBeGreaterThanOrEqual(2);
    expect(report.emulator.faultsInjected).toBeGreaterThan(0);
    expect(v.notExplained).toEqual([]);
    expect(v.unexpectedFailures).toEqual([]);
    expect(v.failed).toBe(report.injected.installFailures);
    expect(v.downgrades).toEqual([]);
    expect(v.settingsLost).toEqual([]);
    expect(v.twoOsmExtensions).toEqual([]);
    expect(v.failedWithoutHistory).toEqual([]);
    expect(v.changesWithoutHistory).toEqual([]);
    expect(v.extraPuts).toEqual([]);
    expect(v.newClustersNotOnboarded).toEqual([]);
  }, 200_000);

  it('halts exactly when failed/dispatched passes maxFailurePercent', async () => {
    if (!report) throw new Error('the campaign did not run');
    const env = report.env;
    // 12 installs, one at a time in ID order; the 5th and 9th fail. 1 of 5 (20 %) is not above 20: go on;
    // 2 of 9 (22.2 %) is: halt there, with nothing else dispatched.
    const ids = Array.from({ length: 12 }, (_, i) => clusterArmId(HALT_SUB, 'rg-halt', `halt-${i + 10}`));
    await env.control.seed({
      explicit: ids.map((_, i) => ({
        subscriptionId: HALT_SUB,
        resourceGroup: 'rg-halt',
        name: `halt-${i + 10}`,
        distribution: 'aks',
      })),
    });
    await addInstallFailures(
      env.control,
      [ids[4] ?? '', ids[8] ?? ''].map((x) => x.toLowerCase()),
    );
    await untilGraphShows(env.emulator, ids);
    const policy = policyBody([HALT_SUB], [{ name: 'all', percent: 100, maxParallel: 1 }], {
      maxFailurePercent: 20,
    });
    expect((await env.api(0, 'PUT', '/api/policies/halt', policy)).status).toBeLessThan(300);
    const created = await env.api(0, 'POST', '/api/rollouts', { policy: 'halt' });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const halted = await waitUntil(
      async () => {
        const r = await env.api(1, 'GET', `/api/rollouts/${id}`);
        return ['Halted', 'Succeeded', 'Failed'].includes(r.body.state) && r.body;
      },
      60_000,
      () => env.hosts.logs(),
    );
    const rows = await env.rows(id);
    const byState = (s: string) => rows.filter((r) => r.state === s).length;
    expect(halted.state).toBe('Halted');
    expect(halted.haltedReason).toBe('2 of 9 dispatched clusters failed (22.2%), above maxFailurePercent 20');
    const [, failed, dispatched] = /^(\d+) of (\d+)/.exec(String(halted.haltedReason)) ?? [];
    expect(byState('Failed')).toBe(Number(failed));
    expect(byState('Failed') + byState('Succeeded') + byState('InProgress')).toBe(Number(dispatched));
    expect(byState('Pending')).toBe(3);
    // Nothing new starts after the halt: two reconcile passes begun after it (the second started after this
    // line) considered the rollout and dispatched nothing.
    await env.hosts.reconcilePassesAfterNow(2);
    expect((await env.rows(id)).filter((r) => r.state === 'Pending').length).toBe(3);
  }, 90_000);
});

function summarize(v: CampaignReport['verdict']): Record<string, number | string[]> {
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, Array.isArray(x) ? (x.length ? x.slice(0, 5) : []) : x]),
  );
}
