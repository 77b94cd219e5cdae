/**
 * The model test's one door into the system under test: the real services (the four queue workers, the
 * poison worker, createRollout and the timer's reconcileFleet) over the in-memory doubles of fakeDeps, with
 * a ModelArm for ARM. Everything the model test knows about the services' entry points is in this file, so
 * a change of those entry points is adapted here only.
 *
 * Crashes: every write a worker makes (a row, the rollout, history, the inventory, a queue message, a PUT)
 * is an "effect". A delivery run with `crashAt: k` dies just before its k-th effect: that effect and every
 * later one throw CrashError (a dead process does nothing more, even where the code catches errors), so the
 * delivery leaves exactly its first k-1 effects behind. The delivery context follows the async calls
 * (AsyncLocalStorage), so two deliveries may run interleaved, each with its own crash point.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { parsePolicy, type PolicyInput, type Policy } from '../../shared/domain/policy.js';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import type { HistoryStore, InventoryStore, RolloutStore, WorkQueue } from '../../shared/domain/ports.js';
import type { ClusterWorkMessage, QueueName, RolloutClusterRecord } from '../../shared/domain/records.js';
import { applyClusterStep } from '../../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../../shared/services/checkClusterStep.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { onboardMonitor } from '../../shared/services/onboardMonitor.js';
import { reconcileFleet } from '../../shared/services/reconcileFleet.js';
import { reconcileRollout } from '../../shared/services/reconcileRollout.js';
import { recordPoisonedWork } from '../../shared/services/recordPoisonedWork.js';
import type { ServiceDeps } from '../../shared/services/serviceDeps.js';
import type { StepResult } from '../../shared/services/stepResult.js';
import { watchClusterConnect } from '../../shared/services/watchClusterConnect.js';
import { fakeDeps, type FakeDeps } from '../fakes/fakeDeps.js';
import { WORKSPACE } from '../fakes/clusterRows.js';
import type { RowActor } from '../../shared/domain/clusterHop/hopTransitions.js';
import { ModelArm } from './modelArm.js';

export { MAX_HOP_ATTEMPTS } from '../../shared/domain/clusterHop/hopRows.js';
export { HOST_MAX_DEQUEUE_COUNT, HOST_RETRY_DELAY_MS } from '../services/driveWorkers.js';

export class CrashError extends Error {
  override name = 'CrashError';
}

/** Who sent a message: a worker's delivery, the timer (reconcile, lost-message repair) or createRollout. */
export type MessageSource = 'worker' | 'timer' | 'create';

export interface DeliveryInfo {
  queue: QueueName;
  dequeueCount: number;
  source: MessageSource;
}

interface DeliveryContext {
  crashAt?: number;
  effects: number;
  dead: boolean;
  info: DeliveryInfo;
}

const context = new AsyncLocalStorage<DeliveryContext>();
/** Who is moving rows when it is not the delivery's own worker (the transition table's actor). */
const acting = new AsyncLocalStorage<RowActor>();

/** The actor of a row write made now: the dispatcher, the poison worker, or the delivery's queue. */
export function currentActor(): RowActor | undefined {
  return acting.getStore() ?? (currentDelivery()?.queue as RowActor | undefined);
}

/** The delivery whose code is running now (undefined outside deliveries: the timer, createRollout). */
export function currentDelivery(): DeliveryInfo | undefined {
  return context.getStore()?.info;
}

function effect(label: string): void {
  const ctx = context.getStore();
  if (!ctx) return;
  if (ctx.dead) throw new CrashError(`dead before ${label}`);
  ctx.effects++;
  if (ctx.crashAt !== undefined && ctx.effects >= ctx.crashAt) {
    ctx.dead = true;
    throw new CrashError(`crashed before effect ${ctx.effects} (${label})`);
  }
}

/** Each listed method of `target` passes the crash gate first. */
function gated<T extends object>(target: T, methods: readonly string[]): T {
  return new Proxy(target, {
    get(t, prop) {
      const v: unknown = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      const fn = v as (...a: unknown[]) => unknown;
      if (!methods.includes(String(prop))) return fn.bind(t);
      return async (...a: unknown[]) => {
        effect(String(prop));
        return fn.apply(t, a);
      };
    },
  });
}

export type RowWrite = (before: RolloutClusterRecord | undefined, after: RolloutClusterRecord) => void;

/** Cluster row writes pass the crash gate and are shown to `onRowWrite` once they landed. */
function observedRollouts(inner: RolloutStore, onRowWrite: RowWrite): RolloutStore {
  const before = async (v: RolloutClusterRecord) => (await inner.getCluster(v.rolloutId, v.clusterId))?.value;
  const store = gated(inner, ['create', 'update']);
  return new Proxy(store, {
    get(t, prop) {
      if (prop === 'updateCluster')
        return async (value: RolloutClusterRecord, etag: string) => {
          effect('row');
          const was = await before(value);
          const next = await inner.updateCluster(value, etag);
          onRowWrite(was, value);
          return next;
        };
      if (prop === 'updateClusters')
        return async (values: readonly { value: RolloutClusterRecord; etag: string }[]) => {
          effect('rows');
          const was = await Promise.all(values.map((v) => before(v.value)));
          const etags = await inner.updateClusters(values);
          values.forEach((v, i) => onRowWrite(was[i], v.value));
          return etags;
        };
      return Reflect.get(t, prop, t) as unknown;
    },
  });
}

export interface ModelSystem {
  /** The doubles themselves (the truth the model reads; no crash gate). */
  truth: FakeDeps & { arm: ModelArm };
  /** What the services get: the same doubles behind the crash gate. */
  deps: ServiceDeps;
  policy: Policy;
}

export function buildSystem(opts: {
  policy: PolicyInput;
  fleet: readonly ClusterInfo[];
  onViolation: (what: string, secondPut?: { sameBody: boolean }) => void;
  onRowWrite: RowWrite;
}): ModelSystem {
  const base = fakeDeps();
  const policy = parsePolicy('model', opts.policy);
  const arm = new ModelArm(base.catalog, policy.osm.configurationSettings, opts.onViolation, effect);
  for (const c of opts.fleet) arm.addCluster(c);
  base.monitorArm.addWorkspace({
    id: WORKSPACE,
    location: 'eastus',
    customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01',
  });
  const truth = { ...base, arm, fleet: arm };
  const deps: ServiceDeps = {
    ...truth,
    rollouts: observedRollouts(truth.rollouts, opts.onRowWrite),
    history: gated<HistoryStore>(truth.history, ['append']),
    queue: gated<WorkQueue>(truth.queue, ['send']),
    inventory: gated<InventoryStore>(truth.inventory, ['update', 'upsertMany']),
  };
  // As the composition wires it (createAppContext): a settled cluster frees its slot at once.
  deps.onSlotFreed = async (rolloutId) => {
    await acting.run('dispatcher', () =>
      reconcileRollout(deps, rolloutId, undefined, { repairLostMessages: false }),
    );
  };
  return { truth, deps, policy };
}

/** POST /rollouts: the policy stored, then createRollout (which reconciles once). */
export async function startRollout(sys: ModelSystem): Promise<string> {
  const at = sys.truth.clock.now().toISOString();
  await sys.truth.policies.put({ policy: sys.policy, createdAt: at, updatedAt: at });
  const record = await acting.run('dispatcher', () =>
    createRollout(sys.deps, {
      policyName: sys.policy.name,
      trigger: 'api',
      actor: 'api:model',
    }),
  );
  return record.rollout.id;
}

/** One delivery of a queue message to its worker, as the Functions host makes it. */
export async function deliver(
  sys: ModelSystem,
  queue: QueueName,
  message: ClusterWorkMessage,
  dequeueCount: number,
  opts: { crashAt?: number; source: MessageSource },
): Promise<{ result?: StepResult; error?: unknown; crashed: boolean }> {
  const info = { queue, dequeueCount, source: opts.source };
  const ctx: DeliveryContext = {
    effects: 0,
    dead: false,
    info,
    ...(opts.crashAt ? { crashAt: opts.crashAt } : {}),
  };
  return context.run(ctx, async () => {
    const delivery = { dequeueCount };
    try {
      let result: StepResult;
      if (queue === 'cluster-steps') result = await applyClusterStep(sys.deps, message, delivery);
      else if (queue === 'cluster-checks') result = await checkClusterStep(sys.deps, message, delivery);
      else if (queue === 'connect-watch') result = await watchClusterConnect(sys.deps, message, delivery);
      else result = await onboardMonitor(sys.deps, message, delivery);
      return ctx.dead ? { crashed: true } : { result, crashed: false };
    } catch (error) {
      return { error, crashed: ctx.dead };
    }
  });
}

/** The poison-queue worker, after the host gave up on a message. */
export async function poison(sys: ModelSystem, queue: QueueName, message: ClusterWorkMessage) {
  return acting.run('poison', () => recordPoisonedWork(sys.deps, queue, message));
}

/** The timer (every minute): sweep, reconcile every active rollout, repair lost messages. */
export async function timer(sys: ModelSystem): Promise<void> {
  await acting.run('dispatcher', () => reconcileFleet(sys.deps));
}
