/**
 * Issue 12 D: a conflicting operation is retried later whichever way ARM reports it. Someone else's
 * operation starts on the extension between the worker's read and its PUT (the PUT is held back by an
 * injected latency), so the PUT conflicts: answered with a synchronous 409, or accepted and its async
 * operation failed "conflicting operation in progress" (the emulator's `conflictResponse` switch, both
 * readings of Azure; docs/emulator.md). Either way the hop is sent again and succeeds, never Failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import {
  armCall,
  extensionOf,
  historyOf,
  type Json,
  osmExt,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const EXT_API = 'api-version=2023-05-01';
const busy = {
  asyncFailure: seedCluster(S, 'rg-conflict-async', 'k-async', { extensions: [osmExt('1.1.1')] }),
  sync409: seedCluster(S, 'rg-conflict-sync', 'k-sync', { extensions: [osmExt('1.1.1')] }),
};

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, Object.values(busy));
}, 30_000);
afterAll(async () => stack?.stop());

describe.each(['asyncFailure', 'sync409'] as const)('conflictResponse %s', (mode) => {
  it('the conflicting PUT is sent again once the other operation ends; the hop succeeds', async () => {
    const c = busy[mode];
    const rg = c.resourceGroup;
    await stack.control.config({
      installMs: 1_500,
      installJitterMs: 0,
      failureModes: { conflictResponse: mode },
    });
    const faultsBefore = (await stack.control.stats()).faultsInjected;
    await stack.control.addFault({
      method: 'PUT',
      clusterId: c.id,
      pathRegex: 'extensions/osm$',
      action: { latencyMs: 1_000 },
      count: 1,
    });
    try {
      await putPolicy(stack, `conflict-${mode}`.toLowerCase(), {
        target: { resourceGroups: [rg] },
        osm: { version: '1.2.6' },
      });
      const id = await startRollout(stack, `conflict-${mode}`.toLowerCase());
      // our PUT is held back: another client's settings change starts on the extension meanwhile
      await waitFor(async () => (await stack.control.stats()).faultsInjected > faultsBefore, 10_000);
      const other = await armCall(
        stack,
        'PUT',
        `${c.id}/providers/Microsoft.KubernetesConfiguration/extensions/osm?${EXT_API}`,
        {
          properties: {
            extensionType: 'Microsoft.openservicemesh',
            autoUpgradeMinorVersion: false,
            releaseTrain: 'stable',
            version: '1.1.1',
            scope: { cluster: { releaseNamespace: 'arc-osm-system' } },
            configurationSettings: { 'osm.osm.envoyLogLevel': 'debug' },
          },
        },
      );
      expect(other.status, JSON.stringify(other.body)).toBeLessThan(300);

      const done = await waitRollout(stack, id, ['Succeeded', 'Failed', 'Halted'], 40_000);
      expect(done.state).toBe('Succeeded');
      const row = (await rowsOf(stack, id)).get(c.id.toLowerCase());
      expect(row).toMatchObject({ state: 'Succeeded' });
      const ext = await extensionOf(stack, c.id);
      expect(ext?.resource.properties).toMatchObject({
        currentVersion: '1.2.6',
        provisioningState: 'Succeeded',
      });
      // the emulator counts accepted writes that ran: the other client's and our PUT sent again
      expect(ext?.puts).toBe(2);
      // the conflict was seen and answered with a retry, in the step (409) or the check (failed operation)
      const retried = stack.logs
        .map((l) => JSON.parse(l.startsWith('{') ? l : '{}') as Json)
        .filter((l) => l.clusterId === c.id.toLowerCase() && l.reason === 'OperationInProgress');
      expect(retried.length, stack.logs.slice(-30).join('\n')).toBeGreaterThan(0);
      const history = await historyOf(stack, S, rg, c.name);
      expect(history.map((e: Json) => e.action)).not.toContain('UpgradeFailed');
      if (mode === 'asyncFailure')
        expect(history.find((e: Json) => e.action === 'UpgradeWaiting')).toMatchObject({
          reason: 'OperationInProgress',
          message: expect.stringMatching(/conflicting operation in progress/),
        });
    } finally {
      await stack.control.clearFaults();
      await stack.control.config({ installMs: 150, installJitterMs: 50 });
    }
  }, 60_000);
});
