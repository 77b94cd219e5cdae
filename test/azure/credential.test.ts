// createCredential: the static credential locally, managed identity with a client id. DefaultAzureCredential
// (the remaining branch) is never built in tests: it probes the environment and fails offline.
import { ManagedIdentityCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { createCredential, staticCredential } from '../../shared/azure/credential.js';

describe('createCredential', () => {
  it('uses the static token when one is configured', async () => {
    const credential = createCredential({ arm: { staticToken: 'local-token' }, azureClientId: 'ignored' });
    const token = await credential.getToken('https://127.0.0.1/.default');
    expect(token?.token).toBe('local-token');
    expect(token?.expiresOnTimestamp).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it('never shows the token when printed or serialised', () => {
    const credential = staticCredential('local-token');
    expect(String(credential)).not.toContain('local-token');
    expect(JSON.stringify({ credential })).not.toContain('local-token');
  });

  it('uses the user-assigned managed identity when a client id is configured', () => {
    expect(
      createCredential({ arm: {}, azureClientId: '00000000-0000-0000-0000-0000000000aa' }),
    ).toBeInstanceOf(ManagedIdentityCredential);
  });
});
