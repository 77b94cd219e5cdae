/**
 * What the model test does to the system, one action at a time: the host's deliveries (in any order, twice,
 * lost, crashed between two effects, two at once), ARM's answers (errors, lost PUTs, operations ending well
 * or badly), connectivity changes, time passing and the timer. `pick` numbers choose among what is there at
 * that moment (modulo the count), so any action list is valid and shrinks well.
 */
import fc from 'fast-check';
import type { QueueName } from '../../shared/domain/records.js';
import type { PutFault } from './modelArm.js';

/** Scripted scenarios only (never generated): choose among the messages of that cluster (and queue). */
export interface Only {
  cluster?: string;
  queue?: QueueName;
}

export type ArmMethod = 'getCluster' | 'getExtension' | 'getOperation' | 'beginPutExtension';
export type ArmErrorKind = 'throttle429' | 'server500' | 'timeout' | 'conflict409' | 'terminal400';
export type SettleOutcome = 'ok' | 'fail' | 'conflict' | 'namespace';

export type Action =
  /** The host delivers a visible message (the earliest if `pick` is 0). */
  | ({ t: 'deliver'; pick: number } & Only)
  /** The host delivers a message while a copy stays queued (at-least-once: it comes again, dequeueCount + 1). */
  | ({ t: 'duplicate'; pick: number } & Only)
  /** A message is lost (never delivered). */
  | ({ t: 'drop'; pick: number } & Only)
  /** The worker's process dies just before the `at`-th effect of this delivery. */
  | ({ t: 'crash'; pick: number; at: number } & Only)
  /** Two deliveries run at once (two hosts); the same message twice when `a` and `b` pick the same. */
  | { t: 'concurrent'; a: number; b: number }
  /** The next call of `method` (whichever cluster makes it) gets this error. */
  | { t: 'armError'; method: ArmMethod; error: ArmErrorKind }
  /** The next PUT is accepted but its answer lost, or answered and then dropped by ARM. */
  | { t: 'putFault'; fault: PutFault }
  /** ARM ends an operation in flight. */
  | ({ t: 'settle'; pick: number; outcome: SettleOutcome } & Only)
  | { t: 'connectivity'; cluster: number; status: 'Offline' | 'Connected' }
  | { t: 'tick'; ms: number }
  /** The timer's pass (reconcileFleet: dispatch, deferral, lost-message repair). */
  | { t: 'timer' };

const pick = fc.nat({ max: 7 });

export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.constantFrom(0, 0, 1, 2) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('duplicate' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop' as const), pick }) },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('crash' as const), pick, at: fc.integer({ min: 1, max: 7 }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('concurrent' as const), a: pick, b: pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('armError' as const),
      method: fc.constantFrom<ArmMethod>('getCluster', 'getExtension', 'getOperation', 'beginPutExtension'),
      error: fc.constantFrom<ArmErrorKind>(
        'throttle429',
        'server500',
        'timeout',
        'conflict409',
        'terminal400',
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('putFault' as const),
      fault: fc.constantFrom<PutFault>('lostResponse', 'neverApplied'),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('settle' as const),
      pick,
      outcome: fc.constantFrom<SettleOutcome>('ok', 'ok', 'ok', 'fail', 'conflict', 'namespace'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('connectivity' as const),
      cluster: pick,
      status: fc.constantFrom('Offline' as const, 'Connected' as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('tick' as const),
      ms: fc.constantFrom(1_000, 15_000, 30_000, 120_000, 600_000),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ t: 'timer' as const }) },
);

export interface ModelParams {
  /** The wave's `maxParallel`. */
  maxParallel: number;
}

export const paramsArb: fc.Arbitrary<ModelParams> = fc.record({
  maxParallel: fc.integer({ min: 1, max: 4 }),
});
