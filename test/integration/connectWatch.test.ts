/**
 * Issue 12 D: onboarding that does not depend on a connect event. The emulator raises one write event for
 * `az connectedk8s connect` (the cluster is Connecting then) and none when the agents connect, as Azure
 * does. The sweep timer runs only when a test says so (`runTimer`), so the first tests prove the event
 * path alone (the connect-watch); the last ones lose the event and prove the sweep's safety net.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import {
  clusterEvent,
  connectCluster,
  extensionOf,
  historyOf,
  type Json,
  postEvents,
  putPolicy,
  seedAndSettle,
  seedCluster,
  sleep,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const RG = 'rg-new';
const CHECK_MS = 200;
const old = seedCluster(S, RG, 'n-before-policy');

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({
    reconcileEveryMs: 3_600_000,
    checkDelayMs: CHECK_MS,
    emulator: { connectMs: 3_600_000 }, // clusters stay Connecting until a test connects them
  });
  await seedAndSettle(stack, [old]);
  await sleep(20); // the policy takes effect strictly after the seeded cluster's creation
  await putPolicy(stack, 'fresh', {
    target: { resourceGroups: [RG] },
    osm: { version: '1.2.6' },
    autoOnboard: true,
  });
}, 30_000);
afterAll(async () => stack?.stop());

const rollouts = async (): Promise<Json[]> => (await stack.api('GET', '/api/rollouts?top=100')).body.items;
const inventoryMark = async (id: string) =>
  (await stack.app.deps.inventory.get(id.toLowerCase()))?.value.onboarding;
const osmPutAt = async (id: string) => (await extensionOf(stack, id))?.puts ?? 0;

describe('the event path: a cluster written while Connecting', () => {
  it('is watched and installed once it connects, though its connection raises no event', async () => {
    const id = clusterIdOf(S, RG, 'n-held');
    const before = (await stack.control.stats()).eventsDelivered;
    expect((await connectCluster(stack, id)).status).toBe(201);
    const watching = await waitFor(async () => {
      const m = await inventoryMark(id);
      return m?.state === 'Watching' && m;
    });
    // the watch looks again and again while the cluster is held Connecting, and installs nothing
    await waitFor(async () => {
      const m = await inventoryMark(id);
      return m?.state === 'Watching' && m.watch.attempt >= 5;
    });
    expect(await extensionOf(stack, id)).toBeUndefined();
    // duplicate deliveries of the write event start no second watch
    await postEvents(stack, [clusterEvent(id, 'write'), clusterEvent(id, 'write')]);
    const still = await inventoryMark(id);
    expect(still?.state === 'Watching' && still.watch.id).toBe(
      watching.state === 'Watching' && watching.watch.id,
    );

    const connectedAt = Date.now();
    await stack.control.setConnectivity(id, 'Connected');
    await waitFor(
      async () => (await osmPutAt(id)) > 0,
      15_000,
      () => stack.logs.slice(-20).join('\n'),
    );
    // installed within T + the check delay + 10 s of the connection (T: held Connecting)
    expect(Date.now() - connectedAt).toBeLessThan(CHECK_MS + 10_000);
    // Event Grid delivered the connect PUT's write event only; the connection raised none
    expect((await stack.control.stats()).eventsDelivered - before).toBe(1);
    const ext = await waitFor(async () => {
      const e = await extensionOf(stack, id);
      return e?.resource.properties.provisioningState === 'Succeeded' && e;
    });
    expect(ext.resource.properties.currentVersion).toBe('1.2.6');
    expect(ext.puts).toBe(1);
    const mine = (await rollouts()).filter((r) => r.policy === 'fresh');
    expect(mine.map((r) => r.trigger)).toEqual(['event']);
    expect(await inventoryMark(id)).toMatchObject({ state: 'Decided', rolloutId: mine[0].id });
    // The hop's events reach history together when its row settles (after the check that follows ARM's success).
    const planned = await waitFor(async () =>
      (await historyOf(stack, S, RG, 'n-held')).find((e: Json) => e.action === 'RolloutPlanned'),
    );
    expect(planned.actor).toMatch(/^event:/);
  });
});

describe('the sweep: a lost event', () => {
  it('onboards a new cluster whose event was lost, within one sweep pass of its connection', async () => {
    await stack.control.clearSubscribers(); // Event Grid loses the write event
    const id = clusterIdOf(S, RG, 'n-lost');
    expect((await connectCluster(stack, id)).status).toBe(201);
    await stack.control.setConnectivity(id, 'Connected');
    await sleep(400); // Resource Graph catches up with ARM
    expect(await inventoryMark(id)).toBeUndefined(); // no event, no watch
    await stack.host.runTimer('reconcile');
    expect(await inventoryMark(id)).toMatchObject({ state: 'Decided', rolloutId: expect.any(String) });
    const ext = await waitFor(async () => {
      const e = await extensionOf(stack, id);
      return e?.resource.properties.provisioningState === 'Succeeded' && e;
    });
    expect(ext.resource.properties.currentVersion).toBe('1.2.6');
    // The hop's events reach history together when its row settles (after the check that follows ARM's success).
    const planned = await waitFor(async () =>
      (await historyOf(stack, S, RG, 'n-lost')).find((e: Json) => e.action === 'RolloutPlanned'),
    );
    expect(planned.actor).toBe('timer');
  });

  it('leaves alone a cluster created before the policy took effect, and decides it once', async () => {
    await stack.host.runTimer('reconcile');
    expect(await inventoryMark(old.id)).toMatchObject({ state: 'Decided', reason: 'CreatedBeforePolicy' });
    expect(await extensionOf(stack, old.id)).toBeUndefined();
    const decided = await inventoryMark(old.id);
    await stack.host.runTimer('reconcile');
    expect(await inventoryMark(old.id)).toEqual(decided); // not read nor decided again
    expect(await extensionOf(stack, old.id)).toBeUndefined();
  });
});
