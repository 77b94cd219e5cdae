/**
 * Issue 14 item 3: protected setting values never rest in Table Storage. After a policy with protected
 * settings (created, rolled out, edited with new values, edited without them) and a one-off install with
 * protected settings, every entity of every table of this stack, read from Azurite directly, holds none of
 * the values; the emulator's Key Vault holds them (as secret versions), each rollout references the version
 * it used, ARM (the emulator) received the exact values, and deleting the policy deletes its secret.
 */
import { randomBytes } from 'node:crypto';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';

const secret = (tag: string) => `${tag}-${randomBytes(18).toString('base64url')}`;
const V1 = secret('policy-v1');
const V2 = secret('policy-v2');
const ONE_OFF = secret('one-off');
const ALL = [V1, V2, ONE_OFF];
const RG = 'rg-vault';
const [A, B, C] = ['v-a', 'v-b', 'v-c'].map((n) => clusterIdOf(SUBS[0]!, RG, n)) as [string, string, string];
let stack: FleetStack;

async function rolloutDone(id: string): Promise<void> {
  const body = await waitFor(
    async () => {
      const r = await stack.api('GET', `/api/rollouts/${id}`);
      return ['Succeeded', 'Failed', 'Halted'].includes(r.body.state) && r.body;
    },
    30_000,
    () => stack.logs.slice(-10).join('\n'),
  );
  expect(body.state).toBe('Succeeded');
}

/** The OSM extension's protected settings as the emulated ARM holds them (values are never served). */
function armProtected(clusterId: string): Record<string, string> | undefined {
  const cluster = stack.emulator.state.clusters.get(clusterId.toLowerCase());
  return [...(cluster?.extensions.values() ?? [])].find((e) => e.name === 'osm')?.protectedSettings;
}

async function everyTableText(): Promise<{ tables: string[]; text: string }> {
  const cs = inject('azurite').connectionString;
  const service = TableServiceClient.fromConnectionString(cs, { allowInsecureConnection: true });
  const tables: string[] = [];
  const texts: string[] = [];
  for await (const t of service.listTables())
    if (t.name?.toLowerCase().startsWith(stack.tablePrefix.toLowerCase())) tables.push(t.name);
  for (const name of tables) {
    const client = TableClient.fromConnectionString(cs, name, { allowInsecureConnection: true });
    for await (const e of client.listEntities()) texts.push(JSON.stringify(e));
  }
  return { tables, text: texts.join('\n') };
}

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 600_000, events: false });
  await stack.control.seed({
    explicit: ['v-a', 'v-b', 'v-c'].map((name) => ({
      subscriptionId: SUBS[0]!,
      resourceGroup: RG,
      name,
      distribution: 'aks',
      tags: { vault: name === 'v-c' ? 'no' : 'yes' },
    })),
  });
  await new Promise((r) => setTimeout(r, 400)); // Resource Graph catches up with the seed
}, 30_000);
afterAll(async () => stack?.stop());

describe('protected settings at rest', () => {
  let firstVersion = '';

  it('a policy rollout sends the values to ARM; the rollout references the secret version', async () => {
    const put = await stack.api('PUT', '/api/policies/vaulted', {
      target: { tags: { vault: 'yes' } },
      osm: { version: '1.2.6', configurationProtectedSettings: { 'osm.osm.token': V1 } },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 2 }] },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    expect(put.body.osm.configurationProtectedSettingKeys).toEqual(['osm.osm.token']);
    const stored = (await stack.app.deps.policies.get('vaulted'))!.value;
    expect(stored.policy.osm.configurationProtectedSettings).toEqual({});
    expect(stored.protectedSettings).toMatchObject({ keys: ['osm.osm.token'], version: expect.any(String) });
    firstVersion = stored.protectedSettings!.version;

    const created = await stack.api('POST', '/api/rollouts', { policy: 'vaulted' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await rolloutDone(created.body.id);
    const record = (await stack.app.deps.rollouts.get(created.body.id))!.value;
    expect(record.protectedSettings).toEqual(stored.protectedSettings);
    expect(record.policy.osm.configurationProtectedSettings).toEqual({});
    for (const id of [A, B]) expect(armProtected(id)).toEqual({ 'osm.osm.token': V1 });
  });

  it('an edit with new values writes a new version; an edit without them keeps the reference', async () => {
    const body = {
      target: { tags: { vault: 'yes' } },
      osm: { version: '1.2.6', configurationProtectedSettings: { 'osm.osm.token': V2 } },
      rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 2 }] },
    };
    expect((await stack.api('PUT', '/api/policies/vaulted', body)).status).toBe(200);
    const second = (await stack.app.deps.policies.get('vaulted'))!.value.protectedSettings!;
    expect(second.version).not.toBe(firstVersion);
    const { configurationProtectedSettings: _dropped, ...osm } = body.osm;
    expect((await stack.api('PUT', '/api/policies/vaulted', { ...body, osm })).status).toBe(200);
    expect((await stack.app.deps.policies.get('vaulted'))!.value.protectedSettings).toEqual(second);
  });

  it('a one-off install sends its values to ARM; its rollout references its own secret', async () => {
    const put = await stack.api('PUT', `/api/clusters/${SUBS[0]!}/${RG}/v-c/osm`, {
      version: '1.2.6',
      configurationProtectedSettings: { 'osm.osm.oneOff': ONE_OFF },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(202);
    await rolloutDone(put.body.rolloutId);
    const record = (await stack.app.deps.rollouts.get(put.body.rolloutId))!.value;
    expect(record.protectedSettings).toMatchObject({ keys: ['osm.osm.oneOff'] });
    expect(armProtected(C)).toEqual({ 'osm.osm.oneOff': ONE_OFF });
  });

  it('no table of the stack, read from Azurite directly, holds a value; the vault holds them all', async () => {
    const { tables, text } = await everyTableText();
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(text).toContain('osm.osm.token'); // keys are kept (views list them)
    for (const s of ALL) expect(text.includes(s), `a table holds ${s.split('-')[0]}`).toBe(false);
    const held = stack.emulator.vault.allValues().join('\n');
    for (const s of ALL) expect(held).toContain(s);
  });

  it('deleting the policy deletes its secret (soft delete: no version is readable)', async () => {
    const ref = (await stack.app.deps.policies.get('vaulted'))!.value.protectedSettings!;
    expect(await stack.app.deps.secrets.get(ref.secretName, firstVersion)).toContain(V1);
    expect((await stack.api('DELETE', '/api/policies/vaulted')).status).toBe(204);
    // A second store (a fresh process) has no cached value: the vault itself answers.
    const { KeyVaultSecretStore } = await import('../../shared/azure/keyVaultSecretStore.js');
    const fresh = new KeyVaultSecretStore({
      vaultUrl: stack.emulator.endpoint,
      credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
      caPem: stack.emulator.caPem,
    });
    await expect(fresh.get(ref.secretName, ref.version)).rejects.toMatchObject({ code: 'SecretNotFound' });
  });
});
