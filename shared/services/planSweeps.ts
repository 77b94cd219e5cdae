/**
 * The fleet sweeps that interactive plans (`POST /api/policies/{name}/plan`) are made from, one per app
 * instance (docs/security.md, item 6). A plan was a full Resource Graph sweep each: 60 plans made 83 queries,
 * spent the principal's quota and paused the rollout engine's own sweeps. Now:
 * - **reuse**: a sweep at most `maxAgeMs` old serves every plan (the plan says which sweep and how old);
 *   concurrent plans share one sweep in flight; the engine's full sweeps on this instance (the timer's,
 *   a rollout's) are recorded too (`observe`), so a plan often needs no query at all;
 * - **engine first**: a plan's own sweep is `interactive`: the adapter refuses it (503 `ResourceGraphBusy`,
 *   Retry-After) rather than take the quota window's last queries or wait in line with the engine;
 * - **bounded**: at most `maxConcurrent` plans compute at once, `maxWaiting` more wait their turn, the rest
 *   are refused (429 `TooManyPlans`, Retry-After), so a burst costs neither queries nor unbounded CPU;
 * - **stored once**: `once` shares what is made from one sweep (planService.ts: the stored plan of a policy
 *   version), so a burst of plans of one policy writes one stored plan, not one each.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { TransientError } from '../domain/errors.js';
import type { Clock, FleetInventory } from '../domain/ports.js';

export interface SweepStamp {
  /** When the sweep started (its data is at least this fresh). */
  at: string;
  ageSeconds: number;
  /** Served from an earlier sweep (this request made no Resource Graph query). */
  reused: boolean;
}

export interface PlanSweepLimits {
  maxAgeMs: number;
  maxConcurrent: number;
  maxWaiting: number;
}

export const DEFAULT_PLAN_SWEEP_LIMITS: PlanSweepLimits = {
  maxAgeMs: 60_000,
  maxConcurrent: 4,
  maxWaiting: 16,
};

const MAX_SHARED = 64;

interface Sweep {
  clusters: readonly ClusterInfo[];
  atMs: number;
}

export class PlanSweeps {
  private last: Sweep | undefined;
  private inFlight: Promise<Sweep> | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private sharedSweep: string | undefined;
  private readonly shared = new Map<string, Promise<unknown>>();

  constructor(
    private readonly fleet: FleetInventory,
    private readonly clock: Clock,
    readonly limits: PlanSweepLimits = DEFAULT_PLAN_SWEEP_LIMITS,
  ) {}

  /** Runs `plan` over a recent sweep, within the concurrency bound (held until `plan` has settled). */
  async run<T>(plan: (clusters: readonly ClusterInfo[], sweep: SweepStamp) => T | Promise<T>): Promise<T> {
    await this.enter();
    try {
      const { sweep, reused } = await this.recent();
      const ageMs = Math.max(0, this.clock.now().getTime() - sweep.atMs);
      return await plan(sweep.clusters, {
        at: new Date(sweep.atMs).toISOString(),
        ageSeconds: Math.round(ageMs / 1000),
        reused,
      });
    } finally {
      this.leave();
    }
  }

  /**
   * `make`'s result for `key` within the sweep `sweepAt`: made once and shared by every caller of that sweep
   * (a failure is not kept). Forgotten when a plan of another sweep arrives; at most `MAX_SHARED` keys.
   */
  once<T>(sweepAt: string, key: string, make: () => Promise<T>): Promise<T> {
    if (this.sharedSweep !== sweepAt) {
      this.shared.clear();
      this.sharedSweep = sweepAt;
    }
    const known = this.shared.get(key) as Promise<T> | undefined;
    if (known) return known;
    const made = make();
    if (this.shared.size < MAX_SHARED) {
      this.shared.set(key, made);
      made.catch(() => {
        if (this.shared.get(key) === made) this.shared.delete(key);
      });
    }
    return made;
  }

  /** A FleetInventory that records its full sweeps here (the engine's sweeps feed the plans). */
  observe(inner: FleetInventory): FleetInventory {
    return {
      sweep: async (filter) => {
        const atMs = this.clock.now().getTime();
        const clusters = await inner.sweep(filter);
        if (!filter?.clusterIds && (!this.last || this.last.atMs < atMs)) this.last = { clusters, atMs };
        return clusters;
      },
    };
  }

  private async recent(): Promise<{ sweep: Sweep; reused: boolean }> {
    const last = this.last;
    if (last && this.clock.now().getTime() - last.atMs <= this.limits.maxAgeMs)
      return { sweep: last, reused: true };
    if (this.inFlight) return { sweep: await this.inFlight, reused: true };
    const atMs = this.clock.now().getTime();
    this.inFlight = this.fleet
      .sweep({ interactive: true })
      .then((clusters) => {
        const sweep = { clusters, atMs };
        if (!this.last || this.last.atMs < atMs) this.last = sweep;
        return sweep;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return { sweep: await this.inFlight, reused: false };
  }

  private async enter(): Promise<void> {
    if (this.running < this.limits.maxConcurrent) {
      this.running++;
      return;
    }
    if (this.waiting.length >= this.limits.maxWaiting)
      throw new TransientError(
        `${this.running} plans are being computed and ${this.waiting.length} wait: try again shortly`,
        1000,
        'TooManyPlans',
      );
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot to the next waiting plan, or frees it. */
  private leave(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
