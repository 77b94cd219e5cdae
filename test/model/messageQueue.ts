/**
 * The queues as the model's host sees them: every message the services sent (MemoryWorkQueue), each with
 * the instant it becomes visible and how often it was dequeued. Choosing a message never looks at its
 * content: the earliest visible ones first, `pick` among them; when none is visible yet, the clock moves
 * to the earliest (as an idle host would wait for it).
 */
import type { SentMessage, MemoryWorkQueue } from '../fakes/memoryStores.js';
import type { ManualClock } from '../fakes/fakeDeps.js';
import type { MessageSource } from './system.js';
import type { Only } from './actions.js';

export interface Queued {
  sent: SentMessage;
  visibleAt: number;
  dequeueCount: number;
  order: number;
  /** Who sent it. */
  source: MessageSource;
}

export class MessageQueue {
  private readonly pending: Queued[] = [];
  private order = 0;

  constructor(
    private readonly sent: MemoryWorkQueue,
    private readonly clock: ManualClock,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  /** Moves what the services sent since the last call (all sent by `source`) into the queue. */
  take(source: MessageSource): void {
    for (const sent of this.sent.drain())
      this.pending.push({
        sent,
        visibleAt: this.now() + sent.delayMs,
        dequeueCount: 0,
        order: this.order++,
        source,
      });
  }

  size(): number {
    return this.pending.length;
  }

  private sorted(): Queued[] {
    return [...this.pending].sort((a, b) => a.visibleAt - b.visibleAt || a.order - b.order);
  }

  earliest(): Queued | undefined {
    return this.sorted()[0];
  }

  /** A visible message (the clock moves to the earliest if none is), chosen by `pick` (among `only`'s). */
  next(pick: number, only: Only = {}): Queued | undefined {
    const mine = this.sorted().filter(
      (m) =>
        (!only.queue || m.sent.queue === only.queue) &&
        (!only.cluster || m.sent.message.clusterId.endsWith(`/${only.cluster}`)),
    );
    const first = mine[0];
    if (!first) return undefined;
    if (first.visibleAt > this.now()) this.clock.set(new Date(first.visibleAt));
    const visible = mine.filter((m) => m.visibleAt <= this.now());
    return visible[pick % visible.length];
  }

  remove(m: Queued): Queued {
    const i = this.pending.indexOf(m);
    if (i >= 0) this.pending.splice(i, 1);
    return m;
  }

  /** The message comes back after `delayMs` (a worker that threw or died, or a copy of a duplicate). */
  requeue(m: Queued, dequeueCount: number, delayMs: number): void {
    this.pending.push({ ...m, dequeueCount, visibleAt: this.now() + delayMs, order: this.order++ });
  }
}
