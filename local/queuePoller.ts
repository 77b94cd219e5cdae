/**
 * Runs a queue-triggered function the way the Functions host does: poll (faster when busy), hand each message
 * to the handler, delete it on success, make it visible again after a failure, and move it to
 * `<queue>-poison` once it has been tried `maxDequeueCount` times.
 */
import type { QueueRegistration } from '../functions/lib/functionRegistration.js';
import type { QueueName } from '../shared/domain/records.js';
import type { ReceivedWorkMessage, StorageQueueConsumer } from '../shared/store/storageQueueConsumer.js';
import type { LogSink } from './httpBridge.js';
import { invocationContext } from './httpBridge.js';

export interface QueuePollerOptions {
  batchSize: number;
  maxDequeueCount: number;
  /** Delay before a failed message is tried again (host.json `visibilityTimeout`). */
  retryDelaySec: number;
  /**
   * How long a received message stays invisible while its handler runs: after a crash (kill -9) it is
   * delivered again this long after it was received. The Functions host keeps a message it processes hidden
   * for 10 minutes, renewing it while the function runs; locally 300 s, shorter in crash tests.
   */
  messageLeaseSec: number;
  /** Longest wait between polls of an empty queue (host.json `maxPollingInterval`). */
  maxPollingIntervalMs: number;
}

export class QueuePoller {
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Messages handled (deleted, released for a retry or poisoned): tests wait for the one they caused. */
  processed = 0;

  constructor(
    private readonly registration: QueueRegistration,
    private readonly consumer: StorageQueueConsumer,
    private readonly options: QueuePollerOptions,
    private readonly log: LogSink,
  ) {}

  get name(): string {
    return this.registration.name;
  }

  start(): void {
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.allSettled([...this.inFlight]);
  }

  private async loop(): Promise<void> {
    let idleMs = 100;
    while (!this.stopped) {
      let received: ReceivedWorkMessage[] = [];
      try {
        const free = this.options.batchSize - this.inFlight.size;
        if (free > 0)
          received = await this.consumer.receive(this.registration.queueName as QueueName, {
            max: Math.min(32, free),
            visibilityTimeoutSec: this.options.messageLeaseSec,
          });
      } catch (err) {
        this.log(`[warn] ${this.registration.name}: receive failed: ${(err as Error).message}`);
      }
      for (const msg of received) {
        const task = this.process(msg).finally(() => {
          this.inFlight.delete(task);
          this.processed++;
        });
        this.inFlight.add(task);
      }
      idleMs = received.length ? 20 : Math.min(idleMs * 2, this.options.maxPollingIntervalMs);
      await new Promise((r) => setTimeout(r, idleMs));
    }
  }

  private async process(msg: ReceivedWorkMessage): Promise<void> {
    try {
      // As the Functions host does: the decoded body, validated by the worker itself (a malformed one throws
      // with the reason and is retried, then poisoned, like any failure).
      await this.registration.handler(
        msg.body,
        invocationContext(this.registration.name, this.log, {
          dequeueCount: msg.dequeueCount,
          id: msg.messageId,
        }),
      );
      await this.consumer.delete(msg);
    } catch (err) {
      const poisoned = msg.dequeueCount >= this.options.maxDequeueCount;
      this.log(
        `[error] ${this.registration.name}: ${(err as Error).message} (attempt ${msg.dequeueCount}${poisoned ? ', moved to poison queue' : ''})`,
      );
      try {
        if (poisoned) await this.consumer.moveToPoison(msg);
        else await this.consumer.release(msg, this.options.retryDelaySec);
      } catch (e) {
        this.log(`[warn] ${this.registration.name}: could not settle message: ${(e as Error).message}`);
      }
    }
  }
}
