/**
 * Scenarios 6 and 7, and deletions: an offline cluster is deferred and completes when it comes back; a
 * cluster connected after an autoOnboard policy exists is onboarded through Event Grid alone, and duplicate
 * (and reordered) events cause no second PUT; a deleted cluster is marked removed and its open work ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import {
  STACK_WORKSPACE,
  SUBS,
  afterWorkConsidered,
  clusterIdOf,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
  clusterEvent,
  connectCluster,
  deleteCluster,
  extensionOf,
  historyOf,
  type Json,
  osmVersionOf,
  postEvents,
  putPolicy,
  rolloutOf,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const WS = STACK_WORKSPACE;
const online = ['on-1', 'on-2', 'on-3'].map((n) => seedCluster(S, 'rg-off', n));
const away = seedCluster(S, 'rg-off', 'away', { connectivityStatus: 'Offline', distribution: 'eks' });
const doomed = seedCluster(S, 'rg-off', 'doomed', { connectivityStatus: 'Offline' });

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [...online, away, doomed]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('offline and deleted clusters', () => {
  it('defers an offline cluster and completes it when it is back; a deleted one ends Skipped', async () => {
    await putPolicy(stack, 'off', {
      target: { resourceGroups: ['rg-off'] },
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }] },
    });
    const id = await startRollout(stack, 'off');
    const partial = await waitFor(async () => {
      const r = await rolloutOf(stack, id);
      return r.counts.succeeded === 3 && r;
    });
    await afterWorkConsidered(stack); // two reconcile passes: the rollout must not finish while clusters are deferred
    const held = await rolloutOf(stack, id);
    expect(held.state).toBe('Running');
    expect(held.counts).toMatchObject({ succeeded: 3, deferred: 2, failed: 0 });
    expect(partial.counts.deferred).toBe(2);
    const rows = await rowsOf(stack, id);
    expect(rows.get(away.id.toLowerCase())).toMatchObject({ state: 'Deferred', reason: 'ClusterOffline' });
    expect((await stack.control.stats()).putsPerCluster[away.id.toLowerCase()] ?? 0).toBe(0);

    // deleted while deferred: marked removed, its row ends Skipped ClusterDeleted
    expect((await deleteCluster(stack, doomed.id)).status).toBeLessThan(300);
    await waitFor(async () => (await rowsOf(stack, id)).get(doomed.id.toLowerCase())?.state === 'Skipped');
    expect((await rowsOf(stack, id)).get(doomed.id.toLowerCase())).toMatchObject({
      state: 'Skipped',
      reason: 'ClusterDeleted',
    });
    const removed = await stack.api('GET', '/api/clusters?state=removed');
    expect(removed.status).toBe(200);
    expect(removed.body.items.map((c: Json) => String(c.id).toLowerCase())).toEqual([
      doomed.id.toLowerCase(),
    ]);
    expect(removed.body.items[0].removedAt).toEqual(expect.any(String));

    // back online: picked up and completed
    await stack.control.setConnectivity(away.id, 'Connected');
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    expect(done.counts).toMatchObject({ succeeded: 4, skipped: 1, deferred: 0 });
    expect(await osmVersionOf(stack, away.id)).toBe('1.2.6');
    expect((await extensionOf(stack, away.id))?.puts).toBe(1);
  });
});

describe('a deleted cluster connected again', () => {
  it('is no longer reported removed once Event Grid reports it back', async () => {
    // `doomed` was deleted in the test above; reconnecting it recreates the same ARM id
    const before = await stack.api('GET', '/api/clusters?state=removed');
    expect(before.body.items.map((c: Json) => String(c.id).toLowerCase())).toContain(doomed.id.toLowerCase());
    expect((await connectCluster(stack, doomed.id)).status).toBe(201);
    const view = await waitFor(async () => {
      const r = await stack.api('GET', `/api/clusters/${S}/rg-off/doomed`);
      return r.body?.connectivity === 'Connected' && !r.body.removedAt && r.body;
    }, 10_000);
    expect(view.removedAt).toBeUndefined();
    const removed = await stack.api('GET', '/api/clusters?state=removed');
    expect(removed.body.items.map((c: Json) => String(c.id).toLowerCase())).not.toContain(
      doomed.id.toLowerCase(),
    );
    const connected = await stack.api('GET', '/api/clusters?state=connected&top=100');
    expect(connected.body.items.map((c: Json) => String(c.id).toLowerCase())).toContain(
      doomed.id.toLowerCase(),
    );
  });
});

describe('onboarding through Event Grid', () => {
  it('installs on a newly connected cluster without any API call, once despite duplicate events', async () => {
    await putPolicy(stack, 'auto', {
      target: { resourceGroups: ['rg-auto'] },
      osm: { version: '1.2.6', configurationSettings: { 'osm.osm.envoyLogLevel': 'warn' } },
      monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WS },
      autoOnboard: true,
    });
    // a second subscription to the same webhook that delivers every event twice, with random delays
    const url = stack.host.eventGridUrl(EVENT_FUNCTION);
    await stack.control.addSubscriber({ url, name: 'dupes', duplicateRate: 1, maxDelayMs: 300 });
    const before = await stack.api('GET', '/api/rollouts?top=100');
    const fresh = clusterIdOf(S, 'rg-auto', 'late-joiner');
    expect((await connectCluster(stack, fresh, 'openshift')).status).toBe(201);

    const ext = await waitFor(
      async () => {
        const e = await extensionOf(stack, fresh);
        return e?.resource.properties.currentVersion === '1.2.6' && e;
      },
      20_000,
      () => stack.logs.slice(-20).join('\n'),
    );
    expect(ext.resource.name).toBe('osm');
    expect(ext.runningSettings).toMatchObject({
      'osm.osm.envoyLogLevel': 'warn',
      'osm.osm.enablePrivilegedInitContainer': 'true',
    });

    // replay the write event twice more by hand, then let every delayed duplicate land
    const event = clusterEvent(fresh, 'write');
    await postEvents(stack, [event, event]);
    await stack.emulator.context.events.drain(); // every delayed duplicate delivered (and answered)
    await afterWorkConsidered(stack);

    // Container insights is refused on OpenShift (docs/operations.md), with its reason in history
    await waitFor(async () => {
      const h = await historyOf(stack, S, 'rg-auto', 'late-joiner');
      return h.some((e) => e.action === 'MonitorFailed' && e.reason === 'MonitorUnsupportedDistribution');
    });
    const state = await stack.control.getCluster(fresh);
    const names = state.extensions.map((e) => e.resource.name).sort();
    expect(names).toEqual(['osm']);
    for (const e of state.extensions)
      expect({ name: e.resource.name, puts: e.puts }).toMatchObject({ puts: 1 });
    const stats = await stack.control.stats();
    expect(stats.eventsDelivered).toBeGreaterThan(0);

    // one event-triggered rollout, finished; nobody called POST /api/rollouts
    const after = await stack.api('GET', '/api/rollouts?top=100');
    const known = new Set(before.body.items.map((r: Json) => r.id));
    const created = after.body.items.filter((r: Json) => !known.has(r.id));
    expect(created.map((r: Json) => [r.trigger, r.policy, r.state])).toEqual([
      ['event', 'auto', 'Succeeded'],
    ]);
    const history = await stack.api('GET', `/api/clusters/${S}/rg-auto/late-joiner/history`);
    expect(history.body.items.map((e: Json) => e.action)).toContain('InstallSucceeded');
  });
});

describe('a cluster deleted while its operation runs', () => {
  const keep = seedCluster(S, 'rg-del', 'keep');
  const gone = seedCluster(S, 'rg-del', 'gone-mid-install');

  it('ends Skipped ClusterDeleted, not Failed, and the rollout completes', async () => {
    await seedAndSettle(stack, [keep, gone]);
    await stack.control.config({ installMs: 1_500, installJitterMs: 0 });
    try {
      await putPolicy(stack, 'del', {
        target: { resourceGroups: ['rg-del'] },
        osm: { version: '1.2.6' },
        rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }] },
      });
      const id = await startRollout(stack, 'del');
      await waitFor(async () => (await extensionOf(stack, gone.id))?.puts === 1);
      // Event Grid is late: the worker's check sees the cancelled operation before the delete event
      await stack.control.clearSubscribers();
      expect((await deleteCluster(stack, gone.id)).status).toBeLessThan(300);
      await waitFor(async () => (await rowsOf(stack, id)).get(gone.id.toLowerCase())?.state !== 'InProgress');
      await postEvents(stack, [clusterEvent(gone.id, 'delete')]);
      const done = await waitRollout(stack, id);
      const rows = await rowsOf(stack, id);
      expect(rows.get(gone.id.toLowerCase())).toMatchObject({ state: 'Skipped', reason: 'ClusterDeleted' });
      expect(done.state).toBe('Succeeded');
      expect(done.counts).toMatchObject({ succeeded: 1, skipped: 1, failed: 0 });
      const removed = await stack.api('GET', '/api/clusters?state=removed');
      expect(removed.body.items.map((c: Json) => String(c.id).toLowerCase())).toContain(
        gone.id.toLowerCase(),
      );
    } finally {
      await stack.control.config({ installMs: 150, installJitterMs: 50 });
    }
  });
});
