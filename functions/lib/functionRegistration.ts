/**
 * One registration table for every function: read by the Azure registration (functions/index.ts, through
 * app.http / app.timer / app.storageQueue / app.eventGrid) and by the local host (local/), so the two can
 * never disagree about names, routes, schedules or queues.
 */
import type { EventGridEvent, HttpHandler, HttpMethod, InvocationContext, Timer } from '@azure/functions';

export interface HttpRegistration {
  name: string;
  kind: 'http';
  methods: HttpMethod[];
  /** Route under /api, with `{param}` segments as the Functions host writes them. */
  route: string;
  /** `anonymous` only for health; everything else needs a function key in Azure (and FLEET_API_KEY locally). */
  authLevel: 'function' | 'anonymous';
  handler: HttpHandler;
}

export interface TimerRegistration {
  name: string;
  kind: 'timer';
  /** Six-field NCRONTAB. */
  schedule: string;
  handler: (timer: Timer, context: InvocationContext) => Promise<void>;
}

export interface QueueRegistration {
  name: string;
  kind: 'queue';
  queueName: string;
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
}

export interface EventGridRegistration {
  name: string;
  kind: 'eventGrid';
  /** One event (how the Functions host invokes an Event Grid trigger in Azure). */
  handler: (event: EventGridEvent, context: InvocationContext) => Promise<void>;
  /** A whole delivery at once (the local host), so duplicates within it are coalesced. */
  batchHandler: (events: readonly unknown[], context: InvocationContext) => Promise<void>;
}

export type FunctionRegistration =
  HttpRegistration | TimerRegistration | QueueRegistration | EventGridRegistration;

/** The app setting holding the storage connection the queue triggers use (the host's own storage). */
export const QUEUE_CONNECTION = 'AzureWebJobsStorage';
