/**
 * The emulator's Key Vault secrets endpoint (docs/emulator.md, "Key Vault secrets"), through the real
 * `@azure/keyvault-secrets` client over HTTPS and raw requests: challenge auth (401 + WWW-Authenticate
 * without a token), api-version required, a new version per set, reads by version, SecretNotFound, soft
 * delete (no version readable; the name cannot be set again while deleted: 409), and the bodies' shapes per
 * vendor/specs/specification/keyvault/data-plane/Microsoft.KeyVault/stable/7.5/secrets.json.
 */
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credential, startHarness, type Harness } from './harness.js';

let h: Harness;
let client: SecretClient;

beforeAll(async () => {
  h = await startHarness();
  client = new SecretClient(h.emu.endpoint, credential, {
    serviceVersion: '7.5',
    tlsOptions: { ca: h.emu.caPem },
    disableChallengeResourceVerification: true,
    retryOptions: { maxRetries: 0 },
  });
});
afterAll(async () => h?.close());

describe('Key Vault secrets endpoint', () => {
  it('challenges a request without a token (401, WWW-Authenticate with authorization and resource)', async () => {
    const res = await h.raw('GET', '/secrets/x?api-version=7.5', undefined, { authorization: '' });
    expect(res.status).toBe(401);
    expect(String(res.headers['www-authenticate'])).toMatch(
      /^Bearer authorization="https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+", resource="https:\/\/vault\.azure\.net"$/,
    );
    expect(res.body).toMatchObject({ error: { code: 'Unauthorized' } });
  });

  it('refuses a missing or unknown api-version', async () => {
    for (const q of ['', '?api-version=2016-10-01']) {
      const res = await h.raw('GET', `/secrets/x${q}`);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'BadParameter' } });
    }
  });

  it('sets a new version each time and reads each by version; the bundle has the spec shape', async () => {
    const one = await client.setSecret('s-1', 'first', { contentType: 'application/json', tags: { a: 'b' } });
    const two = await client.setSecret('s-1', 'second');
    expect(one.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(two.properties.version).not.toBe(one.properties.version);
    expect((await client.getSecret('s-1', { version: one.properties.version! })).value).toBe('first');
    expect((await client.getSecret('s-1')).value).toBe('second');
    const raw = await h.raw('GET', `/secrets/s-1/${one.properties.version}?api-version=7.5`);
    expect(raw.status).toBe(200);
    expect(raw.body).toEqual({
      value: 'first',
      id: `${h.emu.endpoint}/secrets/s-1/${one.properties.version}`,
      contentType: 'application/json',
      attributes: {
        enabled: true,
        created: expect.any(Number),
        updated: expect.any(Number),
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
      tags: { a: 'b' },
    });
  });

  it('answers SecretNotFound for an unknown name or version', async () => {
    await expect(client.getSecret('nope')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    await client.setSecret('s-2', 'v');
    await expect(client.getSecret('s-2', { version: '0'.repeat(32) })).rejects.toMatchObject({
      statusCode: 404,
      code: 'SecretNotFound',
    });
  });

  it('soft-deletes a secret: no version readable, the name not reusable until purged (409)', async () => {
    const set = await client.setSecret('s-3', 'gone');
    const poller = await client.beginDeleteSecret('s-3');
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toBe(`${h.emu.endpoint}/deletedsecrets/s-3`);
    await expect(client.getSecret('s-3', { version: set.properties.version! })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(client.setSecret('s-3', 'again')).rejects.toMatchObject({
      statusCode: 409,
      code: 'Conflict',
    });
    expect(h.emu.vault.allValues()).toContain('gone'); // kept for the retention period, never served
  });

  it('refuses a bad name and a value over 25 KB', async () => {
    const bad = await h.raw('PUT', '/secrets/no_underscores?api-version=7.5', { value: 'x' });
    expect(bad.status).toBe(400);
    const big = await h.raw('PUT', '/secrets/big?api-version=7.5', { value: 'x'.repeat(25 * 1024 + 1) });
    expect(big.status).toBe(400);
  });
});
