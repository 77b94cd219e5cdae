// Event Grid delivery of Azure Resource Manager events (Event Grid schema) to loopback webhooks:
// validation handshake on subscribe, `aeg-event-type` headers, bounded retries (a quick backoff, or Event
// Grid's own schedule scaled down), optional duplicate delivery and reordering (Event Grid is at-least-once
// and unordered).
import { randomUUID } from 'node:crypto';
import type { EmulatorStats } from './emulatorStats.js';
import type { Random } from './random.js';

export interface SubscriberInput {
  url: string;
  name?: string;
  eventTypes?: string[];
  /** Probability (0..1) that an event is delivered twice. */
  duplicateRate?: number;
  /** Each delivery is delayed by a random 0..maxDelayMs, which reorders events. */
  maxDelayMs?: number;
  /** 'webhook' runs the validation handshake; 'azurefunction' (an Event Grid trigger) needs none. */
  endpointType?: 'webhook' | 'azurefunction';
  maxAttempts?: number;
  /**
   * Waits between attempts: Event Grid's own schedule (EVENT_GRID_RETRY_SCHEDULE_MS) times this factor, e.g.
   * 0.1 for 1 s, 3 s, 6 s, 30 s, …; 0 (the default) for a quick backoff of 100 ms doubling up to 2 s.
   */
  retryScale?: number;
}

/**
 * Event Grid's retry schedule, best effort and randomised a little in Azure: 10 s, 30 s, 1 min, 5 min,
 * 10 min, 30 min, 1 h, 3 h, 6 h, then every 12 h up to the event's time to live (24 h by default).
 * Source: learn.microsoft.com/azure/event-grid/delivery-and-retry.
 */
export const EVENT_GRID_RETRY_SCHEDULE_MS: readonly number[] = [
  10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000,
];

export interface Subscriber extends Required<Omit<SubscriberInput, 'eventTypes'>> {
  eventTypes: string[] | null;
  provisioningState: 'Succeeded' | 'Failed';
}

export interface GridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: string;
}

export class EventGridPublisher {
  private subscribers: Subscriber[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly stats: EmulatorStats,
    private readonly random: Random,
  ) {}

  list(): Subscriber[] {
    return this.subscribers.map((s) => ({ ...s }));
  }

  async add(input: SubscriberInput): Promise<Subscriber> {
    const url = new URL(input.url);
    if (
      !['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname) ||
      !/^https?:$/.test(url.protocol)
    ) {
      throw new Error(`subscriber url must be http(s) on loopback, got ${input.url}`);
    }
    const subscriber: Subscriber = {
      url: input.url,
      name: input.name ?? `sub-${this.subscribers.length + 1}`,
      eventTypes: input.eventTypes ?? null,
      duplicateRate: input.duplicateRate ?? 0,
      maxDelayMs: input.maxDelayMs ?? 0,
      endpointType: input.endpointType ?? 'webhook',
      maxAttempts: input.maxAttempts ?? 5,
      retryScale: input.retryScale ?? 0,
      provisioningState: 'Succeeded',
    };
    if (subscriber.endpointType === 'webhook') {
      subscriber.provisioningState = (await this.validate(subscriber)) ? 'Succeeded' : 'Failed';
    }
    if (subscriber.provisioningState === 'Succeeded') this.subscribers.push(subscriber);
    return subscriber;
  }

  clear(): void {
    this.subscribers = [];
  }

  publish(event: GridEvent): void {
    for (const s of this.subscribers) {
      if (s.eventTypes && !s.eventTypes.includes(event.eventType)) continue;
      const copies = this.random.next() < s.duplicateRate ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        const delay = s.maxDelayMs > 0 ? this.random.int(s.maxDelayMs + 1) : 0;
        this.track(sleep(delay).then(() => this.deliver(s, event)));
      }
    }
  }

  /** Resolves when every delivery started so far has finished (for tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async validate(s: Subscriber): Promise<boolean> {
    const validationCode = randomUUID();
    const event = {
      id: randomUUID(),
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000',
      subject: '',
      data: {
        validationCode,
        validationUrl: `https://rp-eastus.eventgrid.azure.net:553/eventsubscriptions/${s.name}/validate?id=${validationCode}`,
      },
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: new Date().toISOString(),
      metadataVersion: '1',
      dataVersion: '1',
    };
    try {
      const res = await post(s, [event], 'SubscriptionValidation', 1);
      if (res.status !== 200) return false;
      const body = JSON.parse(res.text) as { validationResponse?: string };
      return body.validationResponse === validationCode;
    } catch {
      return false;
    }
  }

  private async deliver(s: Subscriber, event: GridEvent): Promise<void> {
    for (let attempt = 1; attempt <= s.maxAttempts; attempt++) {
      try {
        const res = await post(s, [event], 'Notification', attempt);
        if (res.status >= 200 && res.status < 300) {
          this.stats.count('eventsDelivered');
          return;
        }
      } catch {
        // network error: retry below
      }
      // A removed subscriber (control reset) gets no more attempts.
      if (attempt >= s.maxAttempts || !this.subscribers.includes(s)) break;
      await sleep(retryDelayMs(s, attempt), true);
    }
    this.stats.count('eventDeliveryFailures');
  }
}

async function post(
  s: Subscriber,
  body: unknown,
  eventType: string,
  attempt: number,
): Promise<{ status: number; text: string }> {
  const res = await fetch(s.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'aeg-event-type': eventType,
      'aeg-subscription-name': s.name.toUpperCase(),
      'aeg-delivery-count': String(attempt - 1),
      'aeg-data-version': '2',
      'aeg-metadata-version': '1',
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** `unref`: the wait does not keep the process alive (a retry minutes away must not hold up an exit). */
function sleep(ms: number, unref = false): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((r) => {
    const timer = setTimeout(r, ms);
    if (unref) timer.unref();
  });
}

function retryDelayMs(s: Subscriber, attempt: number): number {
  if (s.retryScale <= 0) return Math.min(2000, 50 * 2 ** attempt);
  const schedule = EVENT_GRID_RETRY_SCHEDULE_MS;
  return Math.round((schedule[Math.min(attempt, schedule.length) - 1] ?? 0) * s.retryScale);
}
