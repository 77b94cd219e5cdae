/**
 * The registration table: unique names, every HTTP route reachable through the local host, valid timer
 * schedules, the queues of QUEUES, the Event Grid handshake, and functions/index.ts registering every entry
 * with @azure/functions' `app` (spied: outside the Functions host `app.*` registers nothing).
 */
import type * as AzureFunctions from '@azure/functions';
import { Cron } from 'croner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { QUEUE_CONNECTION } from '../../functions/lib/functionRegistration.js';
import { registrations } from '../../functions/registrations.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import { parseNcrontab } from '../../shared/domain/ncrontab.js';
import { QUEUES } from '../../shared/domain/records.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import { allQueueNames } from '../../shared/store/queueNames.js';
import type { StorageQueueConsumer } from '../../shared/store/storageQueueConsumer.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { sampleCalls } from '../support/routeSamples.js';

const app = vi.hoisted(() => ({ http: vi.fn(), timer: vi.fn(), storageQueue: vi.fn(), eventGrid: vi.fn() }));
vi.mock('@azure/functions', async (importOriginal) => {
  const real = await importOriginal<typeof AzureFunctions & { default?: object }>();
  return { ...real, default: { ...real.default, app }, app }; // the real classes, a spied `app`
});

const of = <K extends (typeof registrations)[number]['kind']>(kind: K) =>
  registrations.filter((r): r is Extract<(typeof registrations)[number], { kind: K }> => r.kind === kind);
const http = of('http') as HttpRegistration[];
let host: LocalHost;

beforeAll(async () => {
  setAppContextFactory(async () => ({
    deps: fakeDeps(),
    version: 'test',
    checkHealth: async () => ({ storage: 'ok', arm: 'ok' }),
  }));
  host = await startLocalHost({
    registrations: [...http, ...of('eventGrid')], // no pollers or timers: nothing here needs storage
    consumer: {} as StorageQueueConsumer,
    port: 0,
    log: () => {},
  });
});
afterAll(async () => host?.stop());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${host.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json'); // the dashboard answers HTML, JS, CSS
  return { status: res.status, body: (text && json ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('the registration table', () => {
  it('has unique names', () => {
    const names = registrations.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has unique (method, route) pairs', () => {
    const pairs = http.flatMap((r) => r.methods.map((m) => `${m} ${r.route.toLowerCase()}`));
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it.each(sampleCalls(http))('$method $path ($name) is reachable through the local host', async (c) => {
    const r = await call(c.method, c.path, c.body);
    // Not the bridge's own answers (no route / wrong method), and no 5xx for plausible input.
    expect(['NotFound', 'MethodNotAllowed']).not.toContain(r.body?.error?.code);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
  });

  it('timers have valid six-field NCRONTAB schedules', () => {
    const timers = of('timer');
    expect(timers.map((t) => t.name)).toContain('reconcile');
    for (const t of timers) {
      expect(t.schedule.trim().split(/\s+/)).toHaveLength(6);
      expect(parseNcrontab(t.schedule), t.schedule).not.toEqual(expect.any(String)); // Azure's grammar
      const job = new Cron(t.schedule, { mode: '6-part', timezone: 'UTC', paused: true });
      expect(job.nextRun()).toBeInstanceOf(Date);
      job.stop();
    }
    expect(() => new Cron('0 */1 * * *', { mode: '6-part', paused: true })).toThrow(); // the check can fail
  });

  it('queue triggers use exactly the queues of QUEUES and their poison queues', () => {
    // allQueueNames(): every queue of QUEUES and the host's `<queue>-poison`, each with one trigger.
    expect(
      of('queue')
        .map((q) => q.queueName)
        .sort(),
    ).toEqual(allQueueNames().sort());
    for (const q of Object.values(QUEUES)) expect(of('queue').map((r) => r.queueName)).toContain(q);
  });

  it('the Event Grid function answers the validation handshake', async () => {
    const path =
      new URL(host.eventGridUrl(EVENT_FUNCTION)).pathname + new URL(host.eventGridUrl(EVENT_FUNCTION)).search;
    expect(of('eventGrid').map((e) => e.name)).toEqual([EVENT_FUNCTION]);
    const event = {
      id: 'v-1',
      topic: '/subscriptions/11111111-1111-4111-8111-111111111111',
      subject: '',
      eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: new Date().toISOString(),
      dataVersion: '1',
      data: { validationCode: 'code-123', validationUrl: 'https://example.invalid/validate' },
    };
    const r = await call('POST', path, [event], { 'aeg-event-type': 'SubscriptionValidation' });
    expect(r).toEqual({ status: 200, body: { validationResponse: 'code-123' } });
    const unknown = await call(
      'POST',
      path.replace(`functionName=${EVENT_FUNCTION}`, 'functionName=nope'),
      [event],
      {
        'aeg-event-type': 'SubscriptionValidation',
      },
    );
    expect(unknown.status).toBe(404);
  });
});

describe('functions/index.ts', () => {
  it('registers every entry of the table with @azure/functions app', async () => {
    await import('../../functions/index.js');
    for (const r of http)
      expect(app.http).toHaveBeenCalledWith(r.name, {
        methods: r.methods,
        route: r.route,
        authLevel: r.authLevel,
        handler: r.handler,
      });
    for (const t of of('timer'))
      expect(app.timer).toHaveBeenCalledWith(t.name, { schedule: t.schedule, handler: t.handler });
    for (const q of of('queue'))
      expect(app.storageQueue).toHaveBeenCalledWith(q.name, {
        queueName: q.queueName,
        connection: QUEUE_CONNECTION,
        handler: q.handler,
      });
    for (const e of of('eventGrid'))
      expect(app.eventGrid).toHaveBeenCalledWith(e.name, { handler: e.handler });
    expect(app.http).toHaveBeenCalledTimes(http.length);
    expect(app.timer).toHaveBeenCalledTimes(of('timer').length);
    expect(app.storageQueue).toHaveBeenCalledTimes(of('queue').length);
    expect(app.eventGrid).toHaveBeenCalledTimes(of('eventGrid').length);
    const total = [app.http, app.timer, app.storageQueue, app.eventGrid].reduce(
      (n, f) => n + f.mock.calls.length,
      0,
    );
    expect(total).toBe(registrations.length);
  });
});
