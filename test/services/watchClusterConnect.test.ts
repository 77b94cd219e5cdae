/**
 * The connect-watch and the sweep's safety net over fakes of the ports: one watch per cluster under
 * duplicate events, a redelivered look that was recorded but never sent, the limit, the onboarding once
 * Connected; and the sweep onboarding only clusters new since the policy, deciding each once.
 */
import { describe, expect, it } from 'vitest';
import type { OnboardingMark } from '../../shared/domain/connectWatch.js';
import { handleClusterEvent } from '../../shared/services/handleClusterEvent.js';
import { onboardMissedClusters } from '../../shared/services/onboardMissedClusters.js';
import { watchClusterConnect } from '../../shared/services/watchClusterConnect.js';
import { cluster } from '../domain/fixtures.js';
import { testPolicy } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive } from './driveWorkers.js';

const POLICY_AT = '2026-11-25T09:00:00.000Z';
const c1 = cluster('c1', { connectivity: 'Connecting', createdAt: '2026-11-25T09:59:00.000Z' });
const ID = c1.id.toLowerCase();

async function setup(c = c1) {
  const deps = fakeDeps({ subscriptions: [c.subscriptionId.toLowerCase()] });
  deps.arm.addCluster(c);
  const policy = { ...testPolicy(), autoOnboard: true };
  await deps.policies.put({
    policy,
    createdAt: POLICY_AT,
    updatedAt: POLICY_AT,
    autoOnboardSince: POLICY_AT,
  });
  return deps;
}

const writeEvent = (id: string, c = c1) => ({
  id,
  topic: `/subscriptions/${c.subscriptionId}`,
  subject: c.id,
  eventType: 'Microsoft.Resources.ResourceWriteSuccess',
  eventTime: '2026-11-25T10:00:00Z',
  data: { operationName: 'Microsoft.Kubernetes/connectedClusters/write', resourceUri: c.id },
  dataVersion: '2',
  metadataVersion: '1',
});
type Deps = Awaited<ReturnType<typeof setup>>;
const mark = async (deps: Deps, id = ID): Promise<OnboardingMark | undefined> =>
  (await deps.inventory.get(id))?.value.onboarding;
const puts = (deps: Deps) => deps.arm.calls.filter((c) => c.method === 'beginPutExtension');
const looks = (deps: Deps) => deps.arm.calls.filter((c) => c.method === 'getCluster');

describe('connect-watch', () => {
  it('a write for a Connecting cluster starts one watch, whatever the duplicates; it installs once Connected', async () => {
    const deps = await setup();
    const outcomes = [];
    for (const id of ['e1', 'e1', 'e2']) outcomes.push(await handleClusterEvent(deps, writeEvent(id)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['watching', 'noAction', 'noAction']);
    expect(outcomes[1]!.reason).toBe('AlreadyWatching');
    const sent = deps.queue.drain();
    expect(sent).toEqual([
      {
        queue: 'connect-watch',
        message: { rolloutId: expect.stringMatching(/^watch-/), clusterId: ID, hop: 0 },
        delayMs: 15_000,
      },
    ]);
    // three looks while Connecting, each recorded on the row, then the agents connect (no event)
    for (let hop = 0; hop < 3; hop++) {
      deps.clock.advance(15_000);
      expect(await watchClusterConnect(deps, { ...sent[0]!.message, hop })).toEqual({
        outcome: 'requeued',
        reason: 'ClusterNotConnected',
        delayMs: 15_000,
      });
      expect(deps.queue.drain().map((m) => m.message.hop)).toEqual([hop + 1]);
    }
    expect(await mark(deps)).toMatchObject({ state: 'Watching', watch: { attempt: 3, eventId: 'e1' } });
    deps.arm.cluster(ID).connectivity = 'Connected';
    deps.clock.advance(15_000);
    const r = await watchClusterConnect(deps, { ...sent[0]!.message, hop: 3 });
    expect(r).toEqual({ outcome: 'done', reason: 'NotInstalled' });
    const rollouts = (await deps.rollouts.list()).items;
    expect(rollouts.map((x) => x.value.trigger)).toEqual(['event']);
    expect(await mark(deps)).toMatchObject({ state: 'Decided', rolloutId: rollouts[0]!.value.rollout.id });
    await drive(deps);
    expect(puts(deps)).toHaveLength(1);
    expect(deps.history.events.find((e) => e.action === 'RolloutPlanned')?.actor).toBe('event:e1');
  });

  it('a look recorded but not sent (crash) is sent again on redelivery; a stale duplicate is ignored', async () => {
    const deps = await setup();
    await handleClusterEvent(deps, writeEvent('e1'));
    const first = deps.queue.drain()[0]!.message;
    deps.clock.advance(15_000);
    await watchClusterConnect(deps, first);
    deps.queue.drain(); // the send "was lost"
    expect(await watchClusterConnect(deps, first, { dequeueCount: 2 })).toEqual({
      outcome: 'done',
      reason: 'WatchResent',
    });
    expect(deps.queue.drain().map((m) => m.message)).toEqual([{ ...first, hop: 1 }]);
    expect(await watchClusterConnect(deps, first)).toEqual({
      outcome: 'ignored',
      reason: 'StaleWatchMessage',
    });
    expect(deps.queue.sent).toEqual([]);
  });

  it("a duplicate event finding the watch's message long overdue sends it again", async () => {
    const deps = await setup();
    await handleClusterEvent(deps, writeEvent('e1'));
    const first = deps.queue.drain()[0]!.message;
    deps.clock.advance(3 * 60_000); // the first look never came (lost with a crashed instance)
    expect(await handleClusterEvent(deps, writeEvent('e1'))).toMatchObject({ outcome: 'watching' });
    expect(deps.queue.drain().map((m) => m.message)).toEqual([first]);
  });

  it('ends at the limit without onboarding, after a bounded number of looks', async () => {
    const deps = await setup();
    deps.settings.connectWatchMs = 60 * 60_000;
    await handleClusterEvent(deps, writeEvent('e1'));
    await drive(deps, { maxDeliveries: 200 });
    expect(await mark(deps)).toMatchObject({ state: 'WatchEnded', reason: 'ConnectWatchExpired' });
    expect(looks(deps).length).toBeLessThan(80); // 60 in the fast 15 min, then backed off
    expect(puts(deps)).toHaveLength(0);
    expect((await deps.rollouts.list()).items).toHaveLength(0);
  });

  it('no watch without an autoOnboard policy, nor for an Expired cluster (it must reconnect: a new event)', async () => {
    const deps = await setup();
    await deps.policies.delete('prod');
    expect(await handleClusterEvent(deps, writeEvent('e1'))).toEqual({
      outcome: 'noAction',
      reason: 'NoAutoOnboardPolicy',
    });
    const expired = cluster('c3', { connectivity: 'Expired' });
    const deps2 = await setup(expired);
    expect(await handleClusterEvent(deps2, writeEvent('e2', expired))).toEqual({
      outcome: 'noAction',
      reason: 'ClusterExpired',
    });
    expect([...deps.queue.sent, ...deps2.queue.sent]).toEqual([]);
  });
});

describe("onboardMissedClusters (the sweep's safety net)", () => {
  const fresh = cluster('fresh', { createdAt: '2026-11-25T09:30:00.000Z' });
  const older = cluster('older', { createdAt: '2026-11-25T08:00:00.000Z' });
  const known = cluster('known', { createdAt: '2026-11-25T09:40:00.000Z' });
  const away = cluster('away', { connectivity: 'Offline', createdAt: '2026-11-25T09:30:00.000Z' });

  it('onboards only the clusters new since the policy that nothing acted on, and decides each once', async () => {
    const deps = await setup(fresh);
    for (const c of [older, known, away]) deps.arm.addCluster(c);
    await deps.history.append([
      {
        clusterId: known.id.toLowerCase(),
        at: '2026-11-25T09:45:00.000Z',
        actor: 'api:op',
        action: 'UninstallStarted',
        result: 'Started',
      },
    ]);
    const fleet = await deps.fleet.sweep();
    await deps.inventory.upsertMany(
      fleet.map((c) => ({ cluster: c, discoveredAt: '', monitorInstalled: false })),
    );
    const out = await onboardMissedClusters(deps, fleet);
    const by = Object.fromEntries(out.map((o) => [o.clusterId.split('/').at(-1), [o.outcome, o.reason]]));
    expect(by).toEqual({
      fresh: ['onboarding', 'NotInstalled'],
      older: ['declined', 'CreatedBeforePolicy'],
      known: ['declined', 'AlreadyManaged'],
    });
    expect(await mark(deps, older.id.toLowerCase())).toMatchObject({
      state: 'Decided',
      reason: 'CreatedBeforePolicy',
    });
    const reads = looks(deps).length;
    expect(await onboardMissedClusters(deps, fleet)).toEqual([]); // decided: not read again
    expect(looks(deps).length).toBe(reads);
    await drive(deps);
    expect(puts(deps).map((p) => p.clusterId.toLowerCase())).toEqual([fresh.id.toLowerCase()]);
  });

  it('does nothing (no reads) without an autoOnboard policy', async () => {
    const deps = fakeDeps();
    deps.arm.addCluster(fresh);
    expect(await onboardMissedClusters(deps, await deps.fleet.sweep())).toEqual([]);
    expect(looks(deps)).toHaveLength(0);
  });
});
