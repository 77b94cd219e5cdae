import { defaultOsmCatalog } from '../../shared/domain/osmCatalog.js';
import type { Logger } from '../../shared/domain/ports.js';
import type { ServiceDeps, ServiceSettings } from '../../shared/services/serviceDeps.js';
import { FakeArm } from './fakeArm.js';
import { FakeMonitorArm } from './fakeMonitorArm.js';
import {
  MemoryHistoryStore,
  MemoryInventoryStore,
  MemoryPolicyStore,
  MemoryRolloutStore,
  MemoryWorkQueue,
} from './memoryStores.js';
import { MemoryPlanStore } from './memoryPlanStore.js';
import { MemorySecretStore } from './memorySecretStore.js';

export class ManualClock {
  constructor(private current = new Date('2026-11-25T10:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(d: Date): void {
    this.current = new Date(d);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; phrase: string; fields?: Record<string, unknown> }[] = [];
  info(phrase: string, fields?: Record<string, unknown>) {
    this.lines.push({ level: 'info', phrase, fields });
  }
  warn(phrase: string, fields?: Record<string, unknown>) {
    this.lines.push({ level: 'warn', phrase, fields });
  }
  error(phrase: string, fields?: Record<string, unknown>) {
    this.lines.push({ level: 'error', phrase, fields });
  }
}

export type FakeDeps = ServiceDeps & {
  policies: MemoryPolicyStore;
  rollouts: MemoryRolloutStore;
  inventory: MemoryInventoryStore;
  history: MemoryHistoryStore;
  plans: MemoryPlanStore;
  queue: MemoryWorkQueue;
  secrets: MemorySecretStore;
  arm: FakeArm;
  monitorArm: FakeMonitorArm;
  fleet: FakeArm;
  clock: ManualClock;
  log: RecordingLogger;
};

/** A complete ServiceDeps made of fakes; `arm` and `fleet` are the same FakeArm. */
export function fakeDeps(settings: Partial<ServiceSettings> = {}): FakeDeps {
  const arm = new FakeArm();
  return {
    policies: new MemoryPolicyStore(),
    rollouts: new MemoryRolloutStore(),
    inventory: new MemoryInventoryStore(),
    history: new MemoryHistoryStore(),
    plans: new MemoryPlanStore(),
    queue: new MemoryWorkQueue(),
    secrets: new MemorySecretStore(),
    arm,
    monitorArm: new FakeMonitorArm(),
    fleet: arm,
    catalog: defaultOsmCatalog,
    clock: new ManualClock(),
    log: new RecordingLogger(),
    settings: {
      subscriptions: [],
      operationDeadlineMs: 30 * 60_000,
      checkDelayMs: 15_000,
      leaseMs: 10 * 60_000,
      connectWatchMs: 24 * 60 * 60_000,
      ...settings,
    },
  };
}
