/**
 * Scenarios 2 and 3: two-hop and multi-hop upgrades go through each minor (the emulator fails a hop that
 * skips one, and counts PUTs), hand-set settings survive every hop (translated across the 1.0 rename),
 * OpenShift gets the privileged init container, a hand-installed OSM under another name is adopted; a
 * CRD-changing hop waits in AwaitingApproval until the CRDs are prepared and the cluster approved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, afterWorkConsidered, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import {
  extensionOf,
  putPolicy,
  rolloutOf,
  rowsOf,
  seedAndSettle,
  seedCluster,
  osmExt,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const OLD = { 'osm.OpenServiceMesh.envoyLogLevel': 'debug', 'osm.OpenServiceMesh.enableEgress': 'true' };
const NEW = { 'osm.osm.envoyLogLevel': 'debug', 'osm.osm.enableEgress': 'true' };
const multi = seedCluster(S, 'rg-up', 'multi', { extensions: [osmExt('0.11.1', OLD)] });
const two = seedCluster(S, 'rg-up', 'two', {
  distribution: 'eks',
  extensions: [osmExt('1.0.0', { 'osm.osm.tracing.enable': 'true', 'osm.osm.tracing.address': 'jaeger' })],
});
const ocpOld = seedCluster(S, 'rg-up', 'ocp-old', {
  distribution: 'openshift',
  extensions: [osmExt('0.11.1', { ...OLD, 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' })],
});
const ocpNew = seedCluster(S, 'rg-up', 'ocp-new', { distribution: 'openshift' });
const adopted = seedCluster(S, 'rg-up', 'adopted', {
  extensions: [osmExt('1.1.1', { 'osm.osm.enableDebugServer': 'true' }, 'mesh-by-hand')],
});
const crd = seedCluster(S, 'rg-crd', 'crd-092', { extensions: [osmExt('0.9.2', OLD)] });
const crd084 = seedCluster(S, 'rg-crd', 'crd-084', { distribution: 'gke', extensions: [osmExt('0.8.4')] });

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [multi, two, ocpOld, ocpNew, adopted, crd, crd084]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('upgrade paths', () => {
  it('hops through each minor, keeps hand-set settings, OpenShift and adoption rules', async () => {
    const before = await extensionOf(stack, two.id);
    expect(before?.runningSettings['osm.osm.tracing.address']).toBe('jaeger');
    await putPolicy(stack, 'up', {
      target: { resourceGroups: ['rg-up'] },
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }] },
    });
    const id = await startRollout(stack, 'up');
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    const rows = await rowsOf(stack, id);

    const paths: [typeof multi, string[]][] = [
      [multi, ['1.0.0-1', '1.1.1-1', '1.2.6']],
      [ocpOld, ['1.0.0-1', '1.1.1-1', '1.2.6']],
      [two, ['1.1.1-1', '1.2.6']],
      [adopted, ['1.2.6']],
      [ocpNew, ['1.2.6']],
    ];
    for (const [c, path] of paths) {
      expect(rows.get(c.id.toLowerCase())).toMatchObject({ state: 'Succeeded', path, to: '1.2.6' });
      const state = await stack.control.getCluster(c.id);
      expect(state.extensions, c.name).toHaveLength(1);
      const ext = state.extensions[0]!;
      expect(ext.resource.properties.currentVersion).toBe('1.2.6');
      expect({ name: c.name, puts: ext.puts }).toEqual({ name: c.name, puts: path.length });
    }

    // hand-set settings survive every hop, in the key scheme of the version running: the emulator keeps what
    // each successful operation left running, so every hop is seen, not only the last
    for (const c of [multi, ocpOld]) {
      const applied = (await extensionOf(stack, c.id))!.applied;
      expect(applied.map((a) => a.version)).toEqual(['1.0.0-1', '1.1.1-1', '1.2.6']);
      for (const { version, runningSettings } of applied)
        expect({ version, runningSettings }).toMatchObject({
          version,
          runningSettings: version.startsWith('0.') ? OLD : NEW,
        });
    }
    const after = await extensionOf(stack, two.id);
    expect(after?.runningSettings).toMatchObject({
      'osm.osm.tracing.enable': 'true',
      'osm.osm.tracing.address': 'jaeger',
    });
    for (const c of [ocpOld, ocpNew]) {
      const ext = await extensionOf(stack, c.id);
      expect(ext?.runningSettings['osm.osm.enablePrivilegedInitContainer'], c.name).toBe('true');
    }
    // the hand-installed OSM is adopted: upgraded under its own name, no second instance
    const adoptedState = await stack.control.getCluster(adopted.id);
    expect(adoptedState.extensions.map((e) => e.resource.name)).toEqual(['mesh-by-hand']);
    expect(adoptedState.extensions[0]?.runningSettings['osm.osm.enableDebugServer']).toBe('true');
  });

  it('waits for approval on a CRD-changing hop, then proceeds to the target', async () => {
    await putPolicy(stack, 'crd', {
      target: { resourceGroups: ['rg-crd'] },
      osm: { version: '1.2.6' },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }], crdUpgrades: 'requireApproval' },
    });
    const id = await startRollout(stack, 'crd');
    let rows = await rowsOf(stack, id);
    expect(rows.get(crd.id.toLowerCase())).toMatchObject({
      state: 'AwaitingApproval',
      path: ['0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'],
    });
    expect(rows.get(crd084.id.toLowerCase())).toMatchObject({
      state: 'AwaitingApproval',
      path: ['0.9.2', '0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'],
    });
    await afterWorkConsidered(stack); // two reconcile passes and every message handled: nothing moved
    expect((await rolloutOf(stack, id)).counts).toMatchObject({ awaitingApproval: 2, succeeded: 0 });
    expect((await extensionOf(stack, crd.id))?.puts).toBe(0);
    expect((await extensionOf(stack, crd084.id))?.puts).toBe(0);

    for (const c of [crd, crd084]) await stack.control.markCrdPrepared(c.id);
    const approved = await stack.api('POST', `/api/rollouts/${id}/approve`, { all: true });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    rows = await rowsOf(stack, id);
    for (const [c, hops] of [
      [crd, 4],
      [crd084, 5],
    ] as const) {
      expect(rows.get(c.id.toLowerCase())).toMatchObject({ state: 'Succeeded' });
      const ext = await extensionOf(stack, c.id);
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
      expect(ext?.puts).toBe(hops);
    }
    expect((await extensionOf(stack, crd.id))?.runningSettings).toMatchObject(NEW);
  });
});
