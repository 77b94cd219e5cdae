/**
 * A policy's later life, end to end: changed settings reconfigure clusters already at the target (one PUT
 * each, hand-set keys kept, the rest untouched), and a `schedule` makes the timer start a rollout by itself
 * when the plan has work (and only then).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SUBS,
  afterWorkConsidered,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
  extensionOf,
  type Json,
  osmExt,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  sleep,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const HAND = { 'osm.osm.envoyLogLevel': 'debug' };
const atTarget = ['r-1', 'r-2'].map((n) =>
  seedCluster(S, 'rg-reconf', n, { extensions: [osmExt('1.2.6', HAND)] }),
);
const scheduled = ['s-1', 's-2'].map((n) => seedCluster(S, 'rg-sched', n));

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 400 });
  await seedAndSettle(stack, [...atTarget, ...scheduled]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('policy changes', () => {
  it('reconfigures clusters at the target when the policy settings change', async () => {
    const policy = (settings: Record<string, string>) => ({
      target: { resourceGroups: ['rg-reconf'] },
      osm: { version: '1.2.6', configurationSettings: settings },
    });
    await putPolicy(stack, 'reconf', policy({}));
    const plan = await stack.api('POST', '/api/policies/reconf/plan');
    expect(plan.body.summary).toMatchObject({ noChange: 2, reconfigure: 0 });

    await putPolicy(stack, 'reconf', policy({ 'osm.osm.enableEgress': 'true' }));
    const id = await startRollout(stack, 'reconf');
    expect((await waitRollout(stack, id)).state).toBe('Succeeded');
    const rows = await rowsOf(stack, id);
    for (const c of atTarget) {
      expect(rows.get(c.id.toLowerCase())).toMatchObject({ state: 'Succeeded', action: 'reconfigure' });
      const ext = await extensionOf(stack, c.id);
      expect(ext?.puts).toBe(1);
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
      expect(ext?.runningSettings).toMatchObject({ ...HAND, 'osm.osm.enableEgress': 'true' });
    }
    await sleep(500); // Resource Graph catches up with the writes
    const again = await stack.api('POST', '/api/policies/reconf/plan');
    expect(again.body.summary).toMatchObject({ noChange: 2, reconfigure: 0 });
  });

  it('a schedule starts a rollout from the timer when the plan has work, and not otherwise', async () => {
    await putPolicy(stack, 'sched', {
      target: { resourceGroups: ['rg-sched'] },
      osm: { version: '1.2.6' },
      schedule: '*/2 * * * * *',
    });
    const started = await waitFor(async () => {
      const list = await stack.api('GET', '/api/rollouts?top=100');
      return list.body.items.find((r: Json) => r.policy === 'sched');
    });
    expect(started.trigger).toBe('schedule');
    expect((await waitRollout(stack, started.id)).state).toBe('Succeeded');
    for (const c of scheduled) {
      expect((await extensionOf(stack, c.id))?.resource.properties.currentVersion).toBe('1.2.6');
    }
    // two more occurrences are claimed by the timer after the rollout ended: nothing left to do, no rollout
    const claimedAt = async () =>
      (await stack.app.store.policies.get('sched'))?.value.lastScheduledRunAt ?? '';
    const ended = new Date().toISOString();
    const first = await waitFor(async () => {
      const at = await claimedAt();
      return at > ended && at;
    });
    await waitFor(async () => (await claimedAt()) > first);
    await afterWorkConsidered(stack, 1);
    const list = await stack.api('GET', '/api/rollouts?top=100');
    expect(list.body.items.filter((r: Json) => r.policy === 'sched')).toHaveLength(1);
    for (const c of scheduled) expect((await extensionOf(stack, c.id))?.puts).toBe(1);
  });
});
