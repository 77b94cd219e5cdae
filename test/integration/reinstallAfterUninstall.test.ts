/**
 * Issue 13, field failure 1: a reinstall sent right after an uninstall finds the release namespace still
 * terminating. The extension's own `errorInfo` says so; the product must read it, wait the namespace out
 * and then succeed, and the history must carry Azure's words, never `extension osm is Failed at 1.2.6`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import {
  extensionOf,
  historyOf,
  type Json,
  osmExt,
  rowsOf,
  seedAndSettle,
  seedCluster,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const RG = 'rg-reinstall';
const cluster = seedCluster(S, RG, 'r-again', { extensions: [osmExt('1.2.6')] });
const osmPath = `/api/clusters/${S}/${RG}/r-again/osm`;

let stack: FleetStack;
beforeAll(async () => {
  // the namespace lingers long enough for the immediate reinstall to hit it
  stack = await startFleetStack({
    reconcileEveryMs: 500,
    emulator: { failureModes: { namespaceLingerMs: 4_000 } },
  });
  await seedAndSettle(stack, [cluster]);
}, 30_000);
afterAll(async () => stack?.stop());

describe('uninstall, then reinstall at once', () => {
  it('waits for the terminating release namespace and succeeds; history quotes Azure', async () => {
    const del = await stack.api('DELETE', osmPath);
    expect(del.status, JSON.stringify(del.body)).toBe(202);
    await waitFor(async () => (await stack.control.getCluster(cluster.id)).extensions.length === 0);
    const uninstalled = await stack.control.getCluster(cluster.id);
    expect(Object.keys(uninstalled.terminatingNamespaces)).toContain('arc-osm-system');

    const put = await stack.api('PUT', osmPath, { version: '1.2.6' });
    expect(put.status, JSON.stringify(put.body)).toBe(202);
    const id = put.body.rolloutId as string;
    // the first install fails on the cluster: the row waits the namespace out instead of failing
    const waiting = await waitFor(
      async () => {
        const row = (await rowsOf(stack, id)).get(cluster.id.toLowerCase());
        return row?.reason === 'NamespaceTerminating' && row;
      },
      20_000,
      () => stack.logs.slice(-20).join('\n'),
    );
    expect(waiting.state).toBe('InProgress');
    expect(waiting.message).toMatch(/is being terminated/);

    const done = await waitRollout(stack, id, ['Succeeded', 'Failed', 'Halted', 'Cancelled'], 120_000);
    expect(done.state).toBe('Succeeded');
    const ext = await extensionOf(stack, cluster.id);
    expect(ext?.resource.properties).toMatchObject({
      currentVersion: '1.2.6',
      provisioningState: 'Succeeded',
    });
    const history = await historyOf(stack, S, RG, 'r-again');
    const waited = history.find((e: Json) => e.reason === 'NamespaceTerminating');
    expect(waited?.message ?? '', JSON.stringify(history)).toMatch(/is being terminated/);
    expect(history.map((e: Json) => e.message ?? '').join('\n')).not.toMatch(/extension osm is Failed at/);
    expect(history.map((e: Json) => e.action)).toContain('InstallSucceeded');
  }, 150_000);
});
