// Event Grid delivery of Azure Resource Manager events (Event Grid schema) to loopback webhooks:
// validation handshake on subscribe, `aeg-event-type` headers, bounded retries with backoff, optional
// duplicate delivery and reordering (Event Grid is at-least-once and unordered).
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
}

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
      if (attempt < s.maxAttempts) await sleep(Math.min(2000, 50 * 2 ** attempt));
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

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
