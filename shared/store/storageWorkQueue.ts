/**
 * WorkQueue on Storage Queues. Messages are JSON, base64-encoded (the Functions host's default
 * `messageEncoding: base64`), never expire (`messageTimeToLive: -1`: work is not dropped silently), and a
 * delay becomes the message's initial visibility timeout in whole seconds (rounded up, at most 7 days).
 */
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { WorkQueue } from '../domain/ports.js';
import type { ClusterWorkMessage, QueueName } from '../domain/records.js';
import { parseWorkMessage, readWorkMessage } from '../domain/workMessage.js';
import { storageCall } from './classifyStorageError.js';
import { queueName } from './queueNames.js';

export const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;

export class StorageWorkQueue implements WorkQueue {
  private readonly clients = new Map<string, QueueClient>();

  constructor(
    private readonly service: QueueServiceClient,
    private readonly prefix = '',
  ) {}

  /** The client of one queue as named in the account (prefix applied), built once. */
  client(fullName: string): QueueClient {
    let client = this.clients.get(fullName);
    if (!client) {
      client = this.service.getQueueClient(fullName);
      this.clients.set(fullName, client);
    }
    return client;
  }

  nameOf(queue: QueueName): string {
    return queueName(queue, this.prefix);
  }

  async send(queue: QueueName, message: ClusterWorkMessage, options?: { delayMs?: number }): Promise<void> {
    const name = this.nameOf(queue);
    const valid = parseWorkMessage(message); // never sends what no worker could read
    const delaySeconds = Math.min(
      MAX_VISIBILITY_SECONDS,
      Math.max(0, Math.ceil((options?.delayMs ?? 0) / 1000)),
    );
    await storageCall(`send to ${name}`, () =>
      this.client(name).sendMessage(encodeQueueMessage(valid), {
        messageTimeToLive: -1,
        ...(delaySeconds > 0 ? { visibilityTimeout: delaySeconds } : {}),
      }),
    );
  }
}

export function encodeQueueMessage(message: ClusterWorkMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/**
 * What the Functions host hands a queue trigger (`messageEncoding: base64`): the text base64-decoded, then
 * JSON-parsed when it is JSON, else the decoded string. The worker validates it (readWorkMessage).
 */
export function decodeQueueBody(text: string): unknown {
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  try {
    return JSON.parse(decoded) as unknown;
  } catch {
    return decoded;
  }
}

/** The message, or undefined when the text is not a base64 JSON ClusterWorkMessage. */
export function decodeQueueMessage(text: string): ClusterWorkMessage | undefined {
  const read = readWorkMessage(decodeQueueBody(text));
  return read.ok ? read.message : undefined;
}
