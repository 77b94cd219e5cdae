/**
 * The only place credentials are built. In Azure: managed identity (the user-assigned one named by
 * AZURE_CLIENT_ID, else DefaultAzureCredential, which finds the system-assigned identity). Locally:
 * a static bearer token from ARM_STATIC_TOKEN (the emulator accepts any token). Tests pass their own
 * credential to the composition and never reach DefaultAzureCredential.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';

export interface CredentialConfig {
  arm: { staticToken?: string };
  azureClientId?: string;
}

const STATIC_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** A credential that always hands out the same token. The token never appears in toString/JSON. */
export function staticCredential(token: string): TokenCredential {
  const credential: TokenCredential = {
    getToken: async (): Promise<AccessToken> => ({
      token,
      expiresOnTimestamp: Date.now() + STATIC_TOKEN_LIFETIME_MS,
    }),
  };
  Object.defineProperties(credential, {
    toString: { value: () => 'StaticCredential(***)', enumerable: false },
    toJSON: { value: () => ({ kind: 'static' }), enumerable: false },
  });
  return credential;
}

export function createCredential(config: CredentialConfig): TokenCredential {
  if (config.arm.staticToken) return staticCredential(config.arm.staticToken);
  if (config.azureClientId) return new ManagedIdentityCredential({ clientId: config.azureClientId });
  return new DefaultAzureCredential();
}
