/** The WorkQueue contract, run against the in-memory double and the Storage Queue adapter. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import type { ClusterWorkMessage } from '../../shared/domain/records.js';
import type { MakeStores } from './storesUnderTest.js';

const ID =
  '/subscriptions/6a1b2c3d-0000-4000-8000-00000000000a/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/q1';

export function workQueueContract(make: MakeStores): void {
  describe('WorkQueue contract', () => {
    it('delivers what was sent, to that queue only, unchanged by later edits of the object', async () => {
      const { queue, receive } = await make();
      const step: ClusterWorkMessage = { rolloutId: 'r1', clusterId: ID, hop: 0 };
      const check: ClusterWorkMessage = { rolloutId: 'r1', clusterId: ID, hop: 2, operationId: 'op-1' };
      await queue.send('cluster-steps', step);
      await queue.send('cluster-checks', check);
      step.hop = 9;
      expect(await receive('cluster-steps')).toEqual([{ rolloutId: 'r1', clusterId: ID, hop: 0 }]);
      expect(await receive('cluster-checks')).toEqual([check]);
      expect(await receive('monitor-steps')).toEqual([]);
    });

    it('refuses a malformed message before it is queued (no worker could read it)', async () => {
      const { queue, receive } = await make();
      const bad = { rolloutId: 'r1', clusterId: ID, hop: -1 } as ClusterWorkMessage;
      await expect(queue.send('cluster-steps', bad)).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.send('cluster-steps', { ...bad, hop: 0, rolloutId: '' })).rejects.toMatchObject({
        code: 'MalformedWorkMessage',
      });
      expect(await receive('cluster-steps')).toEqual([]);
    });
  });
}
