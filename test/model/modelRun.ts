/**
 * One model run: a rollout over the model fleet, then the actions one by one (each followed by the
 * invariant checks), then the faults stop and the system runs to quiescence (every message delivered, ARM's
 * operations end well, the timer every simulated minute), then the end checks. Returns the violations found
 * (empty = every invariant held) with a trace of what happened, for a counterexample.
 */
import { unsureEvents } from '../../shared/domain/clusterHop/rowEvents.js';
import { ConflictError, FleetError, TerminalError, TransientError } from '../../shared/domain/errors.js';
import { TERMINAL_ROLLOUT_STATES } from '../../shared/domain/rolloutState.js';
import { isHopTransition } from '../../shared/domain/clusterHop/hopTransitions.js';
import type { Action } from './actions.js';
import type { FaultLedger } from './invariants.js';
import { eventRule, judgeHopDone } from './invariants.js';
import { endChecks } from './endChecks.js';
import { modelFleet, modelPolicy, POLICY_SETTINGS } from './fleet.js';
import { MessageQueue, type Queued } from './messageQueue.js';
import type { DeliveryInfo, ModelSystem } from './system.js';
import {
  buildSystem,
  currentActor,
  currentDelivery,
  deliver,
  poison,
  startRollout,
  timer,
  HOST_MAX_DEQUEUE_COUNT,
  HOST_RETRY_DELAY_MS,
} from './system.js';

/** A crashed host's message comes back after the Functions host's visibility timeout (10 min). */
export const CRASH_VISIBILITY_MS = 10 * 60_000;
const QUIET_STEPS = 3_000;
const TIMER_MS = 60_000;

export interface ModelReport {
  violations: string[];
  trace: string[];
  deliveries: number;
  puts: number;
  transitions: string[];
}

export class ModelRun {
  readonly violations: string[] = [];
  readonly trace: string[] = [];
  readonly ledgers = new Map<string, FaultLedger>();
  /** Row events a write replaced, to be found in history once the action is over (`resolveOverwrites`). */
  readonly overwritten: {
    clusterId: string;
    rolloutId: string;
    seq: number;
    action: string;
    by?: DeliveryInfo;
  }[] = [];
  /** Row state changes seen: `<from> -> <to> by <queue or timer>` (checked against HOP_TRANSITIONS). */
  readonly transitions = new Set<string>();
  /** `clusterId|seq` of events already judged (a violation reported with its cause). */
  readonly judged = new Set<string>();
  readonly sys: ModelSystem;
  readonly queue: MessageQueue;
  rolloutId = '';
  /** A `concurrent` action is running (two deliveries at once). */
  concurrent = false;
  deliveries = 0;

  constructor(maxParallel: number) {
    this.sys = buildSystem({
      policy: modelPolicy(maxParallel),
      fleet: modelFleet(),
      onViolation: (v) => this.violate(v),
      onRowWrite: (before, after) => {
        if (!before) return;
        const ledger = this.ledger(after.clusterId);
        if (after.attempts > before.attempts) {
          ledger.intents.set(after.hop, (ledger.intents.get(after.hop) ?? 0) + 1);
          if (!ledger.firstIntentAt.has(after.hop)) ledger.firstIntentAt.set(after.hop, this.now());
        }
        const finished =
          after.hop > before.hop || (after.state === 'Succeeded' && before.state !== 'Succeeded');
        if (finished) {
          const wrong = judgeHopDone(this.sys.truth.arm, this.sys.truth.catalog, POLICY_SETTINGS, before);
          if (wrong) this.violate(wrong);
        }
        if (before.state !== after.state || before.hop !== after.hop) {
          const by = currentActor();
          const nextHop = after.state === before.state && after.hop !== before.hop;
          const t = `${before.state} -> ${after.state}${nextHop ? ' (next hop)' : ''} by ${by ?? '?'}`;
          this.transitions.add(t);
          if (!by || !isHopTransition(before.state, after.state, by, nextHop))
            this.violate(`${after.clusterId.split('/').pop()}: ${t}, not in HOP_TRANSITIONS`);
        }
        // An outbox event (held or last) the write no longer carries must be in history by now.
        const kept = new Set(unsureEvents(after).map((e) => e.seq));
        for (const was of unsureEvents(before).filter((e) => !kept.has(e.seq))) {
          const by = currentDelivery();
          this.overwritten.push({
            clusterId: after.clusterId,
            rolloutId: after.rolloutId,
            seq: was.seq,
            action: was.action,
            ...(by ? { by } : {}),
          });
        }
        const rule = eventRule(before, after);
        if (rule.violation) this.violate(rule.violation);
      },
    });
    this.queue = new MessageQueue(this.sys.truth.queue, this.sys.truth.clock);
  }

  now(): number {
    return this.sys.truth.clock.now().getTime();
  }

  violate(v: string): void {
    this.violations.push(v);
    this.trace.push(`!! ${v}`);
  }

  ledger(clusterId: string): FaultLedger {
    const id = clusterId.toLowerCase();
    let l = this.ledgers.get(id);
    if (!l)
      this.ledgers.set(
        id,
        (l = { codes: new Set(), intents: new Map(), firstIntentAt: new Map(), poisoned: false }),
      );
    return l;
  }

  async start(): Promise<void> {
    this.rolloutId = await startRollout(this.sys);
    this.queue.take('create');
  }

  inHistory(clusterId: string, rolloutId: string, seq: number): boolean {
    return this.sys.truth.history.events.some(
      (e) => e.clusterId === clusterId && e.rolloutId === rolloutId && e.seq === seq,
    );
  }

  /** A replaced row event missing from history is lost for good: a violation, with who replaced it. */
  resolveOverwrites(): void {
    for (const o of this.overwritten.splice(0)) {
      if (this.inHistory(o.clusterId, o.rolloutId, o.seq)) continue;
      this.judged.add(`${o.clusterId}|${o.seq}`);
      const by = o.by ? `${o.by.queue} #${o.by.dequeueCount} sent by ${o.by.source}` : 'the timer';
      this.violate(
        `${o.clusterId.split('/').pop()}: event ${o.seq} (${o.action}) replaced before it reached history, by ${by}`,
      );
    }
  }

  /** One delivery (crashing before effect `crashAt`, if given); the host's retry and poison rules after it. */
  async deliverOne(m: Queued, crashAt?: number, dequeueCount = m.dequeueCount + 1): Promise<void> {
    this.deliveries++;
    const { queue, message } = m.sent;
    const out = await deliver(this.sys, queue, message, dequeueCount, {
      ...(crashAt ? { crashAt } : {}),
      source: m.source,
    });
    const name = message.clusterId.split('/').pop();
    const what = out.crashed
      ? 'CRASHED'
      : out.error
        ? `threw ${String(out.error)}`
        : `${out.result?.outcome} ${out.result?.reason}`;
    this.trace.push(`${queue} ${name} hop ${message.hop} #${dequeueCount}: ${what}`);
    if (out.error && !out.crashed && !(out.error instanceof FleetError))
      this.violate(`worker threw ${String(out.error)} on ${queue} ${name}`);
    if (out.crashed || out.error) {
      if (dequeueCount >= HOST_MAX_DEQUEUE_COUNT) {
        this.ledger(message.clusterId).poisoned = true;
        await poison(this.sys, queue, message);
        this.queue.take('worker');
        this.trace.push(`${queue} ${name} poisoned`);
      } else this.queue.requeue(m, dequeueCount, out.crashed ? CRASH_VISIBILITY_MS : HOST_RETRY_DELAY_MS);
    }
    this.queue.take('worker');
  }

  async apply(a: Action): Promise<void> {
    const arm = this.sys.truth.arm;
    switch (a.t) {
      case 'deliver':
      case 'crash': {
        const m = this.queue.next(a.pick, a);
        if (m) await this.deliverOne(this.queue.remove(m), a.t === 'crash' ? a.at : undefined);
        break;
      }
      case 'duplicate': {
        const m = this.queue.next(a.pick, a);
        if (!m) break;
        this.queue.requeue(this.queue.remove(m), m.dequeueCount + 1, 0);
        await this.deliverOne(m, undefined, m.dequeueCount + 1);
        break;
      }
      case 'drop': {
        const m = this.queue.next(a.pick, a);
        if (m) this.queue.remove(m);
        break;
      }
      case 'concurrent': {
        const x = this.queue.next(a.a);
        const y = this.queue.next(a.b);
        if (!x || !y) break;
        this.queue.remove(x);
        if (y !== x) this.queue.remove(y);
        this.concurrent = true;
        await Promise.all([
          this.deliverOne(x),
          this.deliverOne(y, undefined, y.dequeueCount + (y === x ? 2 : 1)),
        ]);
        this.concurrent = false;
        break;
      }
      case 'armError':
        (arm.failNext[a.method] ??= []).push(armError(a.error));
        break;
      case 'putFault':
        arm.putFaults.push(a.fault);
        break;
      case 'settle': {
        const ops = [...arm.operations.values()].filter(
          (o) => o.status.status === 'InProgress' && (!a.cluster || o.clusterId.endsWith(`/${a.cluster}`)),
        );
        const op = ops[a.pick % Math.max(ops.length, 1)];
        if (!op) break;
        const error = SETTLE_ERRORS[a.outcome];
        if (error) this.ledger(op.clusterId).codes.add(error.code);
        arm.settle(op.id, error ? 'Failed' : 'Succeeded', error);
        this.trace.push(`ARM settled ${op.id} on ${op.clusterId.split('/').pop()}: ${a.outcome}`);
        break;
      }
      case 'connectivity': {
        const clusters = [...arm.clusters.values()];
        const c = clusters[a.cluster % clusters.length]!;
        c.connectivity = a.status;
        this.trace.push(`${c.name} ${a.status}`);
        break;
      }
      case 'tick':
        this.sys.truth.clock.advance(a.ms);
        break;
      case 'timer':
        await this.timer();
        break;
    }
    for (const inj of arm.injected.splice(0)) {
      if (inj.error instanceof TerminalError) this.ledger(inj.clusterId).codes.add(inj.error.code);
      this.trace.push(
        `ARM ${inj.method} on ${inj.clusterId.split('/').pop()}: ${inj.error.name} ${(inj.error as FleetError).code}`,
      );
    }
  }

  async timer(): Promise<void> {
    await timer(this.sys);
    this.queue.take('timer');
    this.trace.push('timer');
  }

  /** No more faults: ARM answers and finishes everything, every cluster Connected, the timer every minute. */
  async quiesce(): Promise<boolean> {
    const arm = this.sys.truth.arm;
    for (const k of Object.keys(arm.failNext)) delete arm.failNext[k as keyof typeof arm.failNext];
    arm.putFaults.length = 0;
    for (const c of arm.clusters.values()) c.connectivity = 'Connected';
    let lastTimer = -Infinity;
    for (let i = 0; i < QUIET_STEPS; i++) {
      arm.settleAll('Succeeded');
      if (this.now() - lastTimer >= TIMER_MS) {
        await this.timer();
        lastTimer = this.now();
      }
      const rollout = (await this.sys.truth.rollouts.get(this.rolloutId))?.value.rollout;
      // At rest: the rollout ended, nothing queued, and no Azure Monitor onboarding still open (a lost
      // monitor message is found by the timer's repair once enough time has passed).
      const rows = await this.sys.truth.rollouts.listClusters(this.rolloutId, undefined, { top: 1000 });
      const open = rows.items.some((r) => r.value.monitor === 'Pending' || r.value.monitor === 'InProgress');
      if (rollout && TERMINAL_ROLLOUT_STATES.includes(rollout.state) && this.queue.size() === 0 && !open)
        return true;
      const m = this.queue.earliest();
      if (!m || m.visibleAt > lastTimer + TIMER_MS) {
        this.sys.truth.clock.set(new Date(Math.max(this.now(), lastTimer + TIMER_MS)));
        continue;
      }
      if (m.visibleAt > this.now()) this.sys.truth.clock.set(new Date(m.visibleAt));
      await this.deliverOne(this.queue.remove(m));
    }
    return false;
  }

  report(): ModelReport {
    return {
      violations: this.violations,
      trace: this.trace,
      deliveries: this.deliveries,
      transitions: [...this.transitions],
      puts: this.sys.truth.arm.puts.length,
    };
  }
}

const SETTLE_ERRORS: Record<string, { code: string; message: string } | undefined> = {
  ok: undefined,
  fail: {
    code: 'ExtensionOperationFailed',
    message: 'helm upgrade failed: timed out waiting for the condition',
  },
  conflict: {
    code: 'Conflict',
    message: 'There is a conflicting operation in progress. Please try after sometime.',
  },
  namespace: { code: 'InstallationFailed', message: 'namespace arc-osm-system is terminating' },
};

function armError(kind: Action & { t: 'armError' } extends { error: infer E } ? E : never): Error {
  if (kind === 'throttle429') return new TransientError('Too Many Requests', 17_000, 'TooManyRequests');
  if (kind === 'server500') return new TransientError('Internal Server Error', 0, 'InternalServerError');
  if (kind === 'timeout') return new TransientError('the request timed out', 0, 'RequestTimeout');
  if (kind === 'conflict409')
    return new ConflictError('Another operation is in progress on the resource', 'Conflict');
  return new TerminalError('InvalidConfigurationSetting', 'the configuration setting is not valid');
}

/** The whole run: start, actions with checks after each, quiescence, end checks. */
export async function runModel(actions: readonly Action[], maxParallel = 2): Promise<ModelReport> {
  const run = new ModelRun(maxParallel);
  await run.start();
  for (const a of actions) {
    await run.apply(a);
    await endChecks(run, false);
  }
  run.trace.push('-- faults stop');
  const quiet = await run.quiesce();
  if (!quiet) run.violate('the system never came to rest after the faults stopped');
  await endChecks(run, true);
  return run.report();
}
