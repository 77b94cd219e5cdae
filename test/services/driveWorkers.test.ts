import { describe, expect, it } from 'vitest';
import { TransientError } from '../../shared/domain/errors.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { drive, HOST_MAX_DEQUEUE_COUNT, HOST_RETRY_DELAY_MS } from './driveWorkers.js';

const msg = (clusterId: string) => ({ rolloutId: 'r1', clusterId, hop: 0 });

describe('drive (the Functions host stand-in of the service tests)', () => {
  it('runs delayed messages at their own time: two delays of 15 s sent together take 15 s, not 30 s', async () => {
    const deps = fakeDeps();
    const start = deps.clock.now().getTime();
    await deps.queue.send('cluster-checks', msg('/c/a'), { delayMs: 15_000 });
    await deps.queue.send('cluster-checks', msg('/c/b'), { delayMs: 15_000 });
    await deps.queue.send('cluster-steps', msg('/c/c'), { delayMs: 5_000 });
    const log = await drive(deps);
    expect(log.map((d) => d.message.message.clusterId)).toEqual(['/c/c', '/c/a', '/c/b']);
    expect(deps.clock.now().getTime() - start).toBe(15_000);
  });

  it('delivers a message whose worker throws again after the visibility timeout, with dequeueCount, then poisons it', async () => {
    const deps = fakeDeps();
    const start = deps.clock.now().getTime();
    const read = deps.rollouts.getCluster.bind(deps.rollouts);
    let calls = 0;
    deps.rollouts.getCluster = async (...a) => {
      if (++calls <= HOST_MAX_DEQUEUE_COUNT) throw new TransientError('storage down', 0, 'Storage503');
      return read(...a);
    };
    await deps.queue.send('cluster-steps', msg('/c/a'));
    const after = await drive(deps);
    expect(after.map((d) => d.dequeueCount)).toEqual([1, 2, 3, 4, 5]);
    expect(after.map((d) => d.poisoned ?? false)).toEqual([false, false, false, false, true]);
    expect(after.every((d) => d.error instanceof TransientError && d.result === undefined)).toBe(true);
    expect(deps.clock.now().getTime() - start).toBe((HOST_MAX_DEQUEUE_COUNT - 1) * HOST_RETRY_DELAY_MS);
    // the poison worker ran: it read the row (the sixth read) and found none
    expect(calls).toBe(HOST_MAX_DEQUEUE_COUNT + 1);
  });

  it('a message that succeeds on its second delivery is handled once more, with dequeueCount 2', async () => {
    const deps = fakeDeps();
    const read = deps.rollouts.getCluster.bind(deps.rollouts);
    let calls = 0;
    deps.rollouts.getCluster = async (...a) => {
      if (++calls === 1) throw new Error('worker died');
      return read(...a);
    };
    await deps.queue.send('cluster-steps', msg('/c/a'));
    const log = await drive(deps);
    expect(log.map((d) => [d.dequeueCount, d.result?.outcome ?? 'threw'])).toEqual([
      [1, 'threw'],
      [2, 'ignored'],
    ]);
  });
});
