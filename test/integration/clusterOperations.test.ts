/**
 * Scenario 9: HTTP-triggered install / upgrade / uninstall of one cluster (`PUT` / `DELETE
 * /api/clusters/{sub}/{rg}/{name}/osm`) obeys the rollout's rules: the hop path through each minor,
 * settings preserved, OpenShift's privileged init container, a downgrade refused with 422; an uninstall
 * deletes the extension, and a reinstall through a policy works once the release namespace is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SUBS,
  afterWorkConsidered,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
  extensionOf,
  osmExt,
  osmVersionOf,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const RG = 'rg-one';
const OLD = { 'osm.OpenServiceMesh.envoyLogLevel': 'debug', 'osm.OpenServiceMesh.enableEgress': 'true' };
const old = seedCluster(S, RG, 'h-old', { extensions: [osmExt('0.11.1', OLD)] });
const ocp = seedCluster(S, RG, 'h-ocp', { distribution: 'openshift' });
const current = seedCluster(S, RG, 'h-current', {
  extensions: [osmExt('1.2.6', { 'osm.osm.enableEgress': 'true' })],
});
const crd = seedCluster(S, RG, 'h-crd', { extensions: [osmExt('0.9.2', OLD)] });
const midway = seedCluster(S, RG, 'h-midway', { distribution: 'gke', extensions: [osmExt('0.11.1', OLD)] });
const osmPath = (name: string) => `/api/clusters/${S}/${RG}/${name}/osm`;

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [old, ocp, current, crd, midway]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('one-cluster operations over HTTP', () => {
  it('upgrades through each minor with hand-set settings kept', async () => {
    const r = await stack.api('PUT', osmPath('h-old'), { version: '1.2.6' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ action: 'upgrade', from: '0.11.1', to: '1.2.6' });
    expect(r.body.path).toEqual(['1.0.0-1', '1.1.1-1', '1.2.6']);
    expect((await waitRollout(stack, r.body.rolloutId)).state).toBe('Succeeded');
    const ext = await extensionOf(stack, old.id);
    expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    expect(ext?.puts).toBe(3);
    expect(ext?.runningSettings).toMatchObject({
      'osm.osm.envoyLogLevel': 'debug',
      'osm.osm.enableEgress': 'true',
    });
  });

  it('installs on OpenShift with the privileged init container and the requested settings', async () => {
    const r = await stack.api('PUT', osmPath('h-ocp'), {
      version: '1.2.6',
      configurationSettings: { 'osm.osm.envoyLogLevel': 'info' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ action: 'install', from: null, to: '1.2.6' });
    expect((await waitRollout(stack, r.body.rolloutId)).state).toBe('Succeeded');
    const state = await stack.control.getCluster(ocp.id);
    expect(state.extensions.map((e) => e.resource.name)).toEqual(['osm']);
    expect(state.extensions[0]?.runningSettings).toMatchObject({
      'osm.osm.envoyLogLevel': 'info',
      'osm.osm.enablePrivilegedInitContainer': 'true',
    });
  });

  it('refuses a downgrade with 422 and leaves the cluster alone; the same version is a no-op', async () => {
    const down = await stack.api('PUT', osmPath('h-current'), { version: '1.1.1' });
    expect(down.status, JSON.stringify(down.body)).toBe(422);
    expect(down.body.error.code).toBe('DowngradeRefused');
    const same = await stack.api('PUT', osmPath('h-current'), { version: '1.2.6' });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body.action).toBe('noChange');
    const ext = await extensionOf(stack, current.id);
    expect(ext?.puts).toBe(0);
    expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
  });

  it('uninstalls, then reinstalls through a policy once the release namespace is gone', async () => {
    const del = await stack.api('DELETE', osmPath('h-current'));
    expect(del.status, JSON.stringify(del.body)).toBe(202);
    expect(del.body).toMatchObject({ action: 'uninstall', from: '1.2.6', to: null, extensionName: 'osm' });
    await waitFor(async () => (await stack.control.getCluster(current.id)).extensions.length === 0);
    const uninstalled = await stack.control.getCluster(current.id);
    expect(Object.keys(uninstalled.terminatingNamespaces)).toContain('arc-osm-system');
    // osm-fleet waits a namespace out for at least a minute (Azure takes about 10): let it go first
    const gone = Date.parse(uninstalled.terminatingNamespaces['arc-osm-system']!);
    await waitFor(async () => Date.now() > gone); // the instant the emulator gave, not a guessed time

    await putPolicy(stack, 'one', { osm: { version: '1.2.6' }, target: { resourceGroups: [RG] } });
    const r = await stack.api('PUT', osmPath('h-current'), { policy: 'one' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ action: 'install', to: '1.2.6' });
    expect((await waitRollout(stack, r.body.rolloutId)).state).toBe('Succeeded');
    const rows = await rowsOf(stack, r.body.rolloutId);
    expect(rows.get(current.id.toLowerCase())).toMatchObject({ state: 'Succeeded' });
    const ext = await extensionOf(stack, current.id);
    expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    expect(ext?.resource.properties.provisioningState).toBe('Succeeded');
  });

  it('holds a CRD-changing hop for approval, like a rollout', async () => {
    const r = await stack.api('PUT', osmPath('h-crd'), { version: '1.2.6' });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({
      state: 'AwaitingApproval',
      path: ['0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'],
    });
    await afterWorkConsidered(stack); // two reconcile passes and every message handled: no PUT
    expect((await extensionOf(stack, crd.id))?.puts).toBe(0);
    expect((await rowsOf(stack, r.body.rolloutId)).get(crd.id.toLowerCase())).toMatchObject({
      state: 'AwaitingApproval',
    });
    await stack.control.markCrdPrepared(crd.id);
    const ok = await stack.api('POST', `/api/rollouts/${r.body.rolloutId}/approve`, { clusters: [crd.id] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await waitRollout(stack, r.body.rolloutId)).state).toBe('Succeeded');
    const ext = await extensionOf(stack, crd.id);
    expect(ext?.puts).toBe(4);
    expect(ext?.runningSettings).toMatchObject({
      'osm.osm.envoyLogLevel': 'debug',
      'osm.osm.enableEgress': 'true',
    });
  });

  it('a hop failing midway stops at the version reached; retry-failed resumes from that hop', async () => {
    await stack.control.config({ installMs: 800, installJitterMs: 0 });
    try {
      const r = await stack.api('PUT', osmPath('h-midway'), { version: '1.2.6' });
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      const id = r.body.rolloutId as string;
      await waitFor(
        async () => (await extensionOf(stack, midway.id))?.resource.properties.currentVersion === '1.0.0-1',
      );
      await stack.control.addInstallOutcome({
        clusterIds: [midway.id],
        count: 1,
        code: 'HookFailed',
        message: 'hop 2 hook',
      });
      expect((await waitRollout(stack, id)).state).toBe('Failed');
      const failed = (await rowsOf(stack, id)).get(midway.id.toLowerCase());
      expect(failed).toMatchObject({ state: 'Failed', reason: 'HookFailed', hop: 1 });
      expect(await osmVersionOf(stack, midway.id)).toBe('1.0.0-1');

      expect((await stack.api('POST', `/api/rollouts/${id}/retry-failed`)).status).toBe(200);
      expect((await waitRollout(stack, id)).state).toBe('Succeeded');
      const ext = await extensionOf(stack, midway.id);
      expect(ext?.puts).toBe(4); // 1.0.0-1, 1.1.1-1 (failed), 1.1.1-1, 1.2.6
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
      expect(ext?.runningSettings).toMatchObject({
        'osm.osm.envoyLogLevel': 'debug',
        'osm.osm.enableEgress': 'true',
      });
    } finally {
      await stack.control.config({ installMs: 150, installJitterMs: 50 });
    }
  });
});
