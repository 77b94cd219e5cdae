/**
 * A malformed work message: one validation (shared/domain/workMessage.ts) and one reaction on both hosts.
 * The worker throws with the reason; the host (Azure's, or the local stand-in, which follows it) retries it
 * up to maxDequeueCount and moves it to `<queue>-poison`, where the poison worker logs the reason.
 */
import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueRegistration } from '../../functions/lib/functionRegistration.js';
import { clusterSteps, clusterStepsPoison } from '../../functions/workers.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import { ValidationError } from '../../shared/domain/errors.js';
import type { StorageWorkQueue } from '../../shared/store/storageWorkQueue.js';
import { waitFor } from '../support/fleetStack.js';
import { newStore } from '../support/storeFixture.js';

let store: Awaited<ReturnType<typeof newStore>>;
let host: LocalHost;
const logs: string[] = [];

beforeAll(async () => {
  store = await newStore();
  // prefixed copies of the two registrations, on this test's own queues
  const onQueue = (r: QueueRegistration, queue: string): QueueRegistration => ({ ...r, queueName: queue });
  host = await startLocalHost({
    registrations: [
      onQueue(clusterSteps, 'cluster-steps'),
      onQueue(clusterStepsPoison, 'cluster-steps-poison'),
    ],
    consumer: store.queueConsumer,
    port: 0,
    log: (line) => logs.push(line),
    maxDequeueCount: 2,
    retryDelaySec: 0,
    maxPollingIntervalMs: 100,
  });
});
afterAll(async () => host?.stop());

describe('a malformed work message', () => {
  it('the worker throws with the reason (the Functions host then retries it and poisons it)', async () => {
    const context = new InvocationContext({ invocationId: 'i1', functionName: 'clusterSteps' });
    const run = clusterSteps.handler({ rolloutId: 'r1', clusterId: 'c', hop: 'x' }, context);
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    await expect(run).rejects.toMatchObject({ code: 'MalformedWorkMessage', message: /hop: / });
  });

  it('on the local host: tried maxDequeueCount times, moved to the poison queue, the reason logged', async () => {
    const queue = store.queue as StorageWorkQueue;
    const text = Buffer.from(JSON.stringify({ rolloutId: 'r1', clusterId: 'c', hop: 'x' })).toString(
      'base64',
    );
    await queue.client(queue.nameOf('cluster-steps')).sendMessage(text, { messageTimeToLive: -1 });
    await waitFor(
      async () => logs.some((l) => l.includes('malformed work message poisoned')),
      20_000,
      () => logs.join('\n'),
    );
    const attempts = logs.filter((l) => l.includes('clusterSteps: malformed work message: hop: '));
    expect(attempts.map((l) => /attempt (\d)/.exec(l)?.[1])).toEqual(['1', '2']);
    expect(attempts[1]).toContain('moved to poison queue');
    expect(logs.find((l) => l.includes('malformed work message poisoned'))).toMatch(/hop: /);
  });
});
