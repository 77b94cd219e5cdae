import { TableClient } from '@azure/data-tables';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  ConflictError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { MAX_SETTINGS } from '../../shared/domain/policy.js';
import { newStore } from '../support/storeFixture.js';
import { storedPolicy } from './storeRecords.js';

let store: Awaited<ReturnType<typeof newStore>>;
beforeAll(async () => {
  store = await newStore();
});

describe('TablePolicyStore', () => {
  it('creates, reads, replaces with the ETag and deletes', async () => {
    const { policies } = store;
    const etag = await policies.put(storedPolicy('crud'), null);
    const got = await policies.get('crud');
    expect(got?.etag).toBe(etag);
    expect(got?.value.policy.osm.version).toBe('1.2.6');
    const next = storedPolicy('crud', { description: 'v2' });
    const etag2 = await policies.put(next, etag);
    expect(etag2).not.toBe(etag);
    expect((await policies.get('crud'))?.value.policy.description).toBe('v2');
    await policies.delete('crud', etag2);
    expect(await policies.get('crud')).toBeUndefined();
  });

  it('create-only refuses an existing policy; put without ifMatch upserts', async () => {
    const { policies } = store;
    await policies.put(storedPolicy('once'), null);
    await expect(policies.put(storedPolicy('once'), null)).rejects.toBeInstanceOf(ConflictError);
    await policies.put(storedPolicy('once', { description: 'blind' }));
    expect((await policies.get('once'))?.value.policy.description).toBe('blind');
  });

  it('two writers with the same ETag: the second gets a ConcurrencyError', async () => {
    const { policies } = store;
    await policies.put(storedPolicy('race'), null);
    const read = await policies.get('race');
    await policies.put(storedPolicy('race', { description: 'a' }), read?.etag);
    await expect(policies.put(storedPolicy('race', { description: 'b' }), read?.etag)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    await expect(policies.delete('race', read?.etag)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await policies.get('race'))?.value.policy.description).toBe('a');
  });

  it('missing policies: get is undefined, conditional put and delete are NotFound', async () => {
    const { policies } = store;
    expect(await policies.get('ghost')).toBeUndefined();
    await expect(policies.delete('ghost')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      policies.put(storedPolicy('ghost'), 'W/"datetime\'2024-01-01T00%3A00%3A00Z\'"'),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('round-trips a policy at the validation caps (200 settings, 32 KiB + 32 KiB protected)', async () => {
    const settings = (tag: string) =>
      Object.fromEntries(
        Array.from({ length: MAX_SETTINGS }, (_, i) => [
          `osm.${tag}.k${String(i).padStart(3, '0')}`,
          `é"\\${'x'.repeat(140)}`.slice(0, 163 - `osm.${tag}.k000`.length),
        ]),
      );
    const value = storedPolicy('big', {
      osm: {
        version: '1.2.6',
        configurationSettings: settings('pub'),
        configurationProtectedSettings: settings('sec'),
      },
    });
    const json = JSON.stringify(value);
    expect(json.length).toBeGreaterThan(64_000);
    await store.policies.put(value, null);
    expect((await store.policies.get('big'))?.value).toEqual(value);
    const raw = TableClient.fromConnectionString(store.connectionString, store.tableNames.policies, {
      allowInsecureConnection: true,
    });
    const entity = await raw.getEntity<Record<string, unknown>>('policy', 'big');
    expect(entity.dataChunks).toBeGreaterThanOrEqual(3);
  });

  it('pages 250 policies with continuation tokens', async () => {
    const { policies } = await newStore();
    await Promise.all(
      Array.from({ length: 250 }, (_, i) =>
        policies.put(storedPolicy(`p${String(i).padStart(3, '0')}`), null),
      ),
    );
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await policies.list({ top: 100, ...(token ? { continuationToken: token } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(100);
      names.push(...page.items.map((p) => p.value.policy.name));
      token = page.continuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toHaveLength(250);
    expect(new Set(names).size).toBe(250);
    expect((await policies.list()).items).toHaveLength(250);
    await expect(policies.list({ continuationToken: 'garbage' })).rejects.toBeInstanceOf(ValidationError);
    await expect(policies.list({ top: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});
