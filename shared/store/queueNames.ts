/**
 * Queue names as they exist in the account: the kebab-case names of QUEUES behind an optional prefix, and the
 * poison queue the Functions host uses, `<queue>-poison`.
 */
import { ValidationError } from '../domain/errors.js';
import { QUEUES, type QueueName } from '../domain/records.js';

const QUEUE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;

export function queueName(queue: QueueName, prefix = ''): string {
  const name = prefix + queue;
  if (!QUEUE_NAME.test(name))
    throw new ValidationError(
      `queue name "${name}" is not valid: lower-case letters, digits and single dashes, 3 to 63 characters`,
    );
  if (!QUEUE_NAME.test(poisonQueueName(name)))
    throw new ValidationError(`poison queue name "${poisonQueueName(name)}" would be too long`);
  return name;
}

export function poisonQueueName(fullQueueName: string): string {
  return `${fullQueueName}-poison`;
}

/** Every work queue of the app and its poison queue, as named in the account. */
export function allQueueNames(prefix = ''): string[] {
  return Object.values(QUEUES).flatMap((q) => [queueName(q, prefix), poisonQueueName(queueName(q, prefix))]);
}
