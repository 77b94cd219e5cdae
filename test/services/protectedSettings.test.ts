/**
 * Issue 14 item 3 in the services, with plain fakes: protected setting values go to the SecretStore, never to
 * a policy or rollout record; a rollout references the secret version it was created with (later edits do
 * not change what it sends); the hop's PUT carries the values read from that version; a version that is
 * gone fails the hop (`ProtectedSettingsNotFound`); deleting a policy deletes its secret.
 */
import { describe, expect, it } from 'vitest';
import { createRollout } from '../../shared/services/createRollout.js';
import { deletePolicy, putPolicy } from '../../shared/services/policyService.js';
import { drive } from './driveWorkers.js';
import { cluster, newDeps, policyInput, rows, seedPolicy } from './engineFixtures.js';

const body = (secrets?: Record<string, string>) => ({
  osm: { version: '1.2.6', ...(secrets ? { configurationProtectedSettings: secrets } : {}) },
  rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 3 }] },
});
const puts = (deps: ReturnType<typeof newDeps>) =>
  deps.arm.calls.filter((c) => c.method === 'beginPutExtension').map((c) => c.desired);

describe('protected settings at rest (services)', () => {
  it('a policy keeps a reference and the keys; the values are in the secret store only', async () => {
    const deps = newDeps();
    const r = await putPolicy(deps, 'p', body({ 'osm.token': 'v-one' }));
    expect(r.view.osm.configurationProtectedSettingKeys).toEqual(['osm.token']);
    const stored = (await deps.policies.get('p'))!.value;
    expect(JSON.stringify(stored)).not.toContain('v-one');
    expect(stored.protectedSettings).toMatchObject({
      keys: ['osm.token'],
      secretName: expect.stringMatching(/^policy-p-/),
    });
    expect(deps.secrets.values()).toEqual([JSON.stringify({ 'osm.token': 'v-one' })]);
  });

  it('left out: the reference is kept; new values: a new version; {}: cleared', async () => {
    const deps = newDeps();
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-one' }));
    const first = (await deps.policies.get('p'))!.value.protectedSettings!;
    await putPolicy(deps, 'p', body());
    expect((await deps.policies.get('p'))!.value.protectedSettings).toEqual(first);
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-two' }));
    const second = (await deps.policies.get('p'))!.value.protectedSettings!;
    expect(second.secretName).toBe(first.secretName);
    expect(second.version).not.toBe(first.version);
    const cleared = await putPolicy(deps, 'p', body({}));
    expect((await deps.policies.get('p'))!.value.protectedSettings).toBeUndefined();
    expect(cleared.view.osm.configurationProtectedSettingKeys).toEqual([]);
  });

  it('a rollout sends the version it was created with, even after an edit', async () => {
    const deps = newDeps();
    deps.arm.addCluster(cluster('a'));
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-one' }));
    const record = await createRollout(deps, { policyName: 'p', trigger: 'api', actor: 'api:t' });
    expect(record.protectedSettings).toEqual((await deps.policies.get('p'))!.value.protectedSettings);
    expect(JSON.stringify(await deps.rollouts.get(record.rollout.id))).not.toContain('v-one');
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-two' })); // after the rollout was created
    await drive(deps);
    expect(puts(deps).map((d) => d?.configurationProtectedSettings)).toEqual([{ 'osm.token': 'v-one' }]);
  });

  it('values with no policy secret (a row from before, a one-off) get a secret of the rollout', async () => {
    const deps = newDeps();
    deps.arm.addCluster(cluster('a'));
    await seedPolicy(
      deps,
      'old',
      policyInput({}, { osm: { version: '1.2.6', configurationProtectedSettings: { k: 'legacy' } } }),
    );
    const record = await createRollout(deps, { policyName: 'old', trigger: 'api', actor: 'api:t' });
    expect(record.protectedSettings?.secretName).toBe(`rollout-${record.rollout.id}`);
    expect(record.policy.osm.configurationProtectedSettings).toEqual({});
    await drive(deps);
    expect(puts(deps).map((d) => d?.configurationProtectedSettings)).toEqual([{ k: 'legacy' }]);
  });

  it('a secret version that is gone fails the hop with ProtectedSettingsNotFound; no PUT', async () => {
    const deps = newDeps();
    deps.arm.addCluster(cluster('a'));
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-one' }));
    const record = await createRollout(deps, { policyName: 'p', trigger: 'api', actor: 'api:t' });
    await deps.secrets.delete(record.protectedSettings!.secretName);
    await drive(deps);
    expect(puts(deps)).toEqual([]);
    expect((await rows(deps, record.rollout.id)).map((r) => [r.state, r.reason])).toEqual([
      ['Failed', 'ProtectedSettingsNotFound'],
    ]);
  });

  it('deleting a policy deletes its secret', async () => {
    const deps = newDeps();
    await putPolicy(deps, 'p', body({ 'osm.token': 'v-one' }));
    const name = (await deps.policies.get('p'))!.value.protectedSettings!.secretName;
    await deletePolicy(deps, 'p');
    expect(deps.secrets.deleted).toEqual([name]);
    expect(deps.secrets.values()).toEqual([]);
  });
});
