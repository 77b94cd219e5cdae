import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../shared/domain/errors.js';
import { QUEUES, type ClusterWorkMessage } from '../../shared/domain/records.js';
import { poisonQueueName } from '../../shared/store/queueNames.js';
import type { StorageWorkQueue } from '../../shared/store/storageWorkQueue.js';
import { decodeQueueMessage, encodeQueueMessage } from '../../shared/store/storageWorkQueue.js';
import { newStore } from '../support/storeFixture.js';

let store: Awaited<ReturnType<typeof newStore>>;
beforeAll(async () => {
  store = await newStore();
});

const msg = (hop: number): ClusterWorkMessage => ({
  rolloutId: 'r1',
  clusterId: '/subscriptions/s/resourcegroups/rg/providers/microsoft.kubernetes/connectedclusters/c',
  hop,
});

describe('StorageWorkQueue and the consumer', () => {
  it('names queues with the prefix and creates them with their poison queues', () => {
    expect(store.queueNames).toContain(`${store.prefix}-cluster-steps`);
    expect(store.queueNames).toContain(`${store.prefix}-cluster-steps-poison`);
    expect(store.queueNames).toHaveLength(Object.keys(QUEUES).length * 2);
  });

  it('sends base64 JSON that the consumer decodes, then deletes it', async () => {
    await store.queue.send(QUEUES.clusterSteps, { ...msg(0), operationId: 'op-1' });
    const [got] = await store.queueConsumer.receive(QUEUES.clusterSteps, {
      max: 5,
      visibilityTimeoutSec: 30,
    });
    expect(got?.message).toEqual({ ...msg(0), operationId: 'op-1' });
    expect(got?.text).toBe(encodeQueueMessage({ ...msg(0), operationId: 'op-1' }));
    expect(JSON.parse(Buffer.from(got?.text ?? '', 'base64').toString('utf8'))).toEqual(got?.message);
    expect(got?.dequeueCount).toBe(1);
    if (got) await store.queueConsumer.delete(got);
    expect(await store.queueConsumer.receive(QUEUES.clusterSteps)).toEqual([]);
  });

  it('a delayed message stays invisible until the delay has passed (rounded up to seconds)', async () => {
    const sentAt = Date.now();
    await store.queue.send(QUEUES.clusterChecks, msg(1), { delayMs: 1200 });
    expect(await store.queueConsumer.receive(QUEUES.clusterChecks)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await store.queueConsumer.receive(QUEUES.clusterChecks)).toEqual([]);
    let got: Awaited<ReturnType<typeof store.queueConsumer.receive>> = [];
    while (!got.length && Date.now() - sentAt < 5000) {
      await new Promise((r) => setTimeout(r, 100));
      got = await store.queueConsumer.receive(QUEUES.clusterChecks);
    }
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
    expect(got[0]?.message).toEqual(msg(1));
  });

  it('counts dequeues across releases and moves a message to <queue>-poison unchanged', async () => {
    const q = QUEUES.monitorSteps;
    await store.queue.send(q, msg(2));
    let [got] = await store.queueConsumer.receive(q, { visibilityTimeoutSec: 30 });
    if (!got) throw new Error('nothing received');
    await store.queueConsumer.release(got, 0);
    [got] = await store.queueConsumer.receive(q, { visibilityTimeoutSec: 30 });
    expect(got?.dequeueCount).toBe(2);
    if (!got) throw new Error('nothing received');
    await store.queueConsumer.moveToPoison(got);
    const poison = (store.queue as StorageWorkQueue).client(poisonQueueName(`${store.prefix}-${q}`));
    const peeked = await poison.peekMessages({ numberOfMessages: 5 });
    expect(peeked.peekedMessageItems.map((m) => m.messageText)).toEqual([got.text]);
    expect(await store.queueConsumer.receive(q)).toEqual([]);
  });

  it('a message that is not ours decodes to undefined', () => {
    expect(decodeQueueMessage('not base64 json')).toBeUndefined();
    expect(decodeQueueMessage(Buffer.from('{"hop":"x"}').toString('base64'))).toBeUndefined();
  });

  it('sending to a queue that was never created is a NotFoundError', async () => {
    const { createStoreAdapters } = await import('../../shared/store/createStoreAdapters.js');
    const bare = createStoreAdapters({
      connectionString: store.connectionString,
      queuePrefix: 'never-made-',
    });
    await expect(bare.queue.send(QUEUES.clusterSteps, msg(0))).rejects.toBeInstanceOf(NotFoundError);
  });
});
