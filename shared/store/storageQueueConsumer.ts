/**
 * What the local Functions stand-in needs to consume the work queues the way the Functions host does in
 * Azure: receive (with a visibility timeout), delete after success, release for a retry after failure, and
 * move a message that failed `maxDequeueCount` times to `<queue>-poison` (the text copied unchanged).
 */
import type { QueueName } from '../domain/records.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { ValidationError } from '../domain/errors.js';
import { storageCall } from './classifyStorageError.js';
import { poisonQueueName } from './queueNames.js';
import { decodeQueueBody, decodeQueueMessage, type StorageWorkQueue } from './storageWorkQueue.js';

export interface ReceivedWorkMessage {
  queue: QueueName;
  /** The queue's name in the account (prefix applied). */
  queueName: string;
  messageId: string;
  popReceipt: string;
  /** How many times the message was received, this time included. */
  dequeueCount: number;
  insertedOn?: Date;
  /** The raw (base64) text as stored. */
  text: string;
  /** What the Functions host would hand the trigger: the text base64-decoded, JSON-parsed when JSON. */
  body: unknown;
  /** The message when it is a valid work message (the worker validates `body` the same way). */
  message: ClusterWorkMessage | undefined;
}

export interface StorageQueueConsumer {
  receive(
    queue: QueueName,
    options?: { max?: number; visibilityTimeoutSec?: number },
  ): Promise<ReceivedWorkMessage[]>;
  delete(msg: ReceivedWorkMessage): Promise<void>;
  /** Makes the message visible again after `visibilityTimeoutSec` (0 = at once), for a later retry. */
  release(msg: ReceivedWorkMessage, visibilityTimeoutSec?: number): Promise<void>;
  moveToPoison(msg: ReceivedWorkMessage): Promise<void>;
}

export function createStorageQueueConsumer(queues: StorageWorkQueue): StorageQueueConsumer {
  return {
    async receive(queue, options = {}) {
      const max = options.max ?? 16;
      if (!Number.isInteger(max) || max < 1 || max > 32)
        throw new ValidationError(`max must be 1..32, not ${max}`);
      const name = queues.nameOf(queue);
      const response = await storageCall(`receive from ${name}`, () =>
        queues.client(name).receiveMessages({
          numberOfMessages: max,
          visibilityTimeout: options.visibilityTimeoutSec ?? 30,
        }),
      );
      return response.receivedMessageItems.map((m) => ({
        queue,
        queueName: name,
        messageId: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
        insertedOn: m.insertedOn,
        text: m.messageText,
        body: decodeQueueBody(m.messageText),
        message: decodeQueueMessage(m.messageText),
      }));
    },

    async delete(msg) {
      await storageCall(`delete message from ${msg.queueName}`, () =>
        queues.client(msg.queueName).deleteMessage(msg.messageId, msg.popReceipt),
      );
    },

    async release(msg, visibilityTimeoutSec = 0) {
      await storageCall(`release message on ${msg.queueName}`, () =>
        queues
          .client(msg.queueName)
          .updateMessage(msg.messageId, msg.popReceipt, undefined, visibilityTimeoutSec),
      );
    },

    async moveToPoison(msg) {
      const poison = poisonQueueName(msg.queueName);
      await storageCall(`send to ${poison}`, () =>
        queues.client(poison).sendMessage(msg.text, { messageTimeToLive: -1 }),
      );
      await this.delete(msg);
    },
  };
}
