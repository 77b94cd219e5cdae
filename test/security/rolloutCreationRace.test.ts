/**
 * Issue 14 item 12: twenty concurrent `POST /api/rollouts` for one policy gave one 201 and nineteen 409s but
 * left four `Cancelled` duplicate rollout records. Creation is now single-winner through the policy's lock
 * row (a conditional insert in the rollouts table, shared/services/policyLock.ts): exactly one rollout record
 * exists afterwards, in Azurite, and the lock frees itself once that rollout ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyBody } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';

let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000, events: false });
  await stack.control.seed({
    explicit: [1, 2, 3].map((i) => ({
      subscriptionId: SUBS[0]!,
      resourceGroup: 'rg-race',
      name: `race-${i}`,
      distribution: 'aks',
    })),
  });
  const put = await stack.api(
    'PUT',
    '/api/policies/race',
    policyBody({ target: { resourceGroups: ['rg-race'] } }),
  );
  expect(put.status).toBe(201);
});
afterAll(async () => stack?.stop());

describe('concurrent rollout creation', () => {
  it('twenty POSTs at once: one 201, nineteen 409 RolloutAlreadyRunning, one rollout record in the table', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => stack.api('POST', '/api/rollouts', { policy: 'race' })),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.body.error.code).toBe('RolloutAlreadyRunning');

    // Straight from Azurite: no other rollout of any state, and no rows or index entries of one.
    const records = await stack.app.deps.rollouts.list({ top: 100 });
    expect(records.items.map((r) => r.value.rollout.id)).toEqual([created[0]!.body.id]);
    expect(records.continuationToken).toBeUndefined();
    expect((await stack.app.deps.rollouts.getPolicyLock('race'))?.value.rolloutId).toBe(created[0]!.body.id);
  });

  it('once that rollout ends (cancelled), the next POST creates a rollout', async () => {
    const [only] = (await stack.app.deps.rollouts.list()).items;
    const cancel = await stack.api('POST', `/api/rollouts/${only!.value.rollout.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.state).toBe('Cancelled');
    const next = await stack.api('POST', '/api/rollouts', { policy: 'race' });
    expect(next.status).toBe(201);
    expect(next.body.id).not.toBe(only!.value.rollout.id);
  });
});
