/**
 * The local stand-in for the Azure Functions host: serves the HTTP functions and the Event Grid webhook,
 * runs the timers and polls the queues, all from the same registration table the Azure registration reads.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  EventGridRegistration,
  FunctionRegistration,
  HttpRegistration,
  QueueRegistration,
  TimerRegistration,
} from '../functions/lib/functionRegistration.js';
import type { StorageQueueConsumer } from '../shared/store/storageQueueConsumer.js';
import type { LogSink } from './httpBridge.js';
import { answerClientError, createRequestListener } from './httpBridge.js';
import { QueuePoller } from './queuePoller.js';
import { TimerRunner } from './timerRunner.js';

export interface LocalHostOptions {
  registrations: readonly FunctionRegistration[];
  consumer: StorageQueueConsumer;
  port: number;
  host?: string;
  log: LogSink;
  /** Timer name -> fixed interval in ms instead of its schedule (demos, tests). */
  timerEveryMs?: Readonly<Record<string, number>>;
  maxDequeueCount?: number;
  retryDelaySec?: number;
  /** How long a received message stays invisible while its handler runs (default 300 s); see QueuePoller. */
  messageLeaseSec?: number;
  batchSize?: number;
  maxPollingIntervalMs?: number;
  /**
   * The Event Grid webhook's key (the stand-in for the Functions host's `eventgrid_extension` system key);
   * default: FLEET_EVENTGRID_KEY, else a random key for this host's lifetime (see `eventGridUrl`).
   */
  eventGridKey?: string;
}

export interface LocalHost {
  url: string;
  port: number;
  /** The webhook URL Event Grid is given for a function: `/runtime/webhooks/eventgrid?functionName=..&code=..`. */
  eventGridUrl(functionName: string): string;
  /** Runs a timer function now (waits for a run in progress). */
  runTimer(name: string): Promise<void>;
  /**
   * How many times the function of that name has finished: timer runs, or queue messages handled. An
   * observation for tests and demos: wait for a run that started after an action, then assert.
   */
  completed(name: string): number;
  stop(): Promise<void>;
}

export async function startLocalHost(o: LocalHostOptions): Promise<LocalHost> {
  const of = <K extends FunctionRegistration['kind']>(kind: K) =>
    o.registrations.filter((r): r is Extract<FunctionRegistration, { kind: K }> => r.kind === kind);
  const http = of('http') as HttpRegistration[];
  const events = of('eventGrid') as EventGridRegistration[];
  const eventGridKey =
    o.eventGridKey ?? process.env.FLEET_EVENTGRID_KEY ?? randomBytes(32).toString('base64url');
  const server = createServer(createRequestListener(http, events, o.log, eventGridKey));
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError(o.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host ?? '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;

  const timers = new Map(
    (of('timer') as TimerRegistration[]).map((t) => [
      t.name,
      new TimerRunner(t, o.log, o.timerEveryMs?.[t.name]),
    ]),
  );
  const pollers = (of('queue') as QueueRegistration[]).map(
    (q) =>
      new QueuePoller(
        q,
        o.consumer,
        {
          batchSize: o.batchSize ?? 16,
          maxDequeueCount: o.maxDequeueCount ?? 5,
          retryDelaySec: o.retryDelaySec ?? 30,
          messageLeaseSec: o.messageLeaseSec ?? 300,
          maxPollingIntervalMs: o.maxPollingIntervalMs ?? 2_000,
        },
        o.log,
      ),
  );
  for (const t of timers.values()) t.start();
  for (const p of pollers) p.start();

  return {
    url: `http://${o.host ?? '127.0.0.1'}:${port}`,
    port,
    eventGridUrl: (functionName) =>
      `http://${o.host ?? '127.0.0.1'}:${port}/runtime/webhooks/eventgrid?functionName=${encodeURIComponent(functionName)}&code=${encodeURIComponent(eventGridKey)}`,
    runTimer: async (name) => {
      const t = timers.get(name);
      if (!t) throw new Error(`no timer function named ${name}`);
      await t.runNow();
    },
    completed: (name) => {
      const t = timers.get(name);
      if (t) return t.completed;
      const p = pollers.find((q) => q.name === name);
      if (!p) throw new Error(`no timer or queue function named ${name}`);
      return p.processed;
    },
    stop: async () => {
      await Promise.all([...[...timers.values()].map((t) => t.stop()), ...pollers.map((p) => p.stop())]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
