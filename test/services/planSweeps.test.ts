/**
 * Issue 14 item 6 (docs/security.md): plans reuse a recent sweep, share one in flight, take the engine's
 * sweeps, ask Resource Graph as an interactive caller, and are bounded in number.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { TransientError } from '../../shared/domain/errors.js';
import type { FleetInventory } from '../../shared/domain/ports.js';
import { PlanSweeps } from '../../shared/services/planSweeps.js';
import { ManualClock } from '../fakes/fakeDeps.js';

/** A FleetInventory that records each sweep's filter and answers when released. */
class GatedFleet implements FleetInventory {
  readonly calls: ({ clusterIds?: readonly string[]; interactive?: boolean } | undefined)[] = [];
  private readonly pending: (() => void)[] = [];
  gated = false;
  async sweep(filter?: { clusterIds?: readonly string[]; interactive?: boolean }): Promise<ClusterInfo[]> {
    this.calls.push(filter);
    if (this.gated) await new Promise<void>((r) => this.pending.push(r));
    return [];
  }
  release(): void {
    this.pending.splice(0).forEach((r) => r());
  }
  async waitForCalls(n: number): Promise<void> {
    while (this.calls.length < n) await new Promise((r) => setImmediate(r));
  }
}

const limits = { maxAgeMs: 60_000, maxConcurrent: 2, maxWaiting: 1 };

describe('PlanSweeps', () => {
  it('reuses a sweep up to its maximum age, then sweeps again, always as an interactive caller', async () => {
    const fleet = new GatedFleet();
    const clock = new ManualClock();
    const sweeps = new PlanSweeps(fleet, clock, limits);
    const first = await sweeps.run((_, s) => s);
    expect(first).toMatchObject({ reused: false, ageSeconds: 0, at: clock.now().toISOString() });
    clock.advance(60_000);
    expect(await sweeps.run((_, s) => s)).toMatchObject({ reused: true, ageSeconds: 60, at: first.at });
    clock.advance(1);
    expect(await sweeps.run((_, s) => s)).toMatchObject({ reused: false, ageSeconds: 0 });
    expect(fleet.calls).toEqual([{ interactive: true }, { interactive: true }]);
  });

  it('plans arriving together share one sweep in flight', async () => {
    const fleet = new GatedFleet();
    fleet.gated = true;
    const sweeps = new PlanSweeps(fleet, new ManualClock(), { ...limits, maxConcurrent: 5 });
    const plans = Array.from({ length: 5 }, () => sweeps.run((_, s) => s.reused));
    await fleet.waitForCalls(1);
    fleet.release();
    expect((await Promise.all(plans)).sort()).toEqual([false, true, true, true, true]);
    expect(fleet.calls).toHaveLength(1);
  });

  it("the engine's full sweeps feed the plans; filtered ones do not", async () => {
    const fleet = new GatedFleet();
    const clock = new ManualClock();
    const sweeps = new PlanSweeps(fleet, clock, limits);
    const engine = sweeps.observe(fleet);
    await engine.sweep({ clusterIds: ['/subscriptions/x/c'] });
    await engine.sweep();
    clock.advance(5_000);
    expect(await sweeps.run((_, s) => s)).toMatchObject({ reused: true, ageSeconds: 5 });
    expect(fleet.calls).toEqual([{ clusterIds: ['/subscriptions/x/c'] }, undefined]);
  });

  it('bounds plans: two compute, one waits its turn, the next is refused with TooManyPlans', async () => {
    const fleet = new GatedFleet();
    fleet.gated = true;
    const sweeps = new PlanSweeps(fleet, new ManualClock(), limits);
    const plan = () => sweeps.run(() => undefined);
    const admitted = [plan(), plan(), plan()];
    await fleet.waitForCalls(1);
    const refused = await plan().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransientError);
    expect(refused).toMatchObject({ code: 'TooManyPlans', retryAfterMs: 1000 });
    fleet.release();
    await expect(Promise.all(admitted)).resolves.toHaveLength(3); // the waiting one ran once a slot was free
    await expect(plan()).resolves.toBeUndefined(); // the slots are free again
  });
});
