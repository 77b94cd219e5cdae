/**
 * SecretStore on Azure Key Vault (`@azure/keyvault-secrets`, data plane 7.5: vendor/specs/specification/
 * keyvault/data-plane/Microsoft.KeyVault/stable/7.5/secrets.json). Locally the vault is the emulator's
 * (same host as ARM, its self-signed CA trusted); the SDK's challenge check is then off, because
 * 127.0.0.1 is not a `*.vault.azure.net` host. Versions are immutable, so values read are cached in this
 * process by name and version (memory only, bounded). Failures are classified once (classifyAzureError).
 */
import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { SecretStore } from '../domain/ports.js';
import { classifyAzureError } from './classifyAzureError.js';

export const KEY_VAULT_API_VERSION = '7.5';
const CACHE_ENTRIES = 256;

export interface KeyVaultSecretStoreOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** PEM of the CA that signs the vault's certificate (the emulator's); also turns the challenge check off. */
  caPem?: string;
}

export class KeyVaultSecretStore implements SecretStore {
  private readonly client: SecretClient;
  private readonly cache = new Map<string, string>();

  constructor(options: KeyVaultSecretStoreOptions) {
    this.client = new SecretClient(options.vaultUrl, options.credential, {
      serviceVersion: KEY_VAULT_API_VERSION,
      ...(options.caPem
        ? { tlsOptions: { ca: options.caPem }, disableChallengeResourceVerification: true }
        : {}),
    });
  }

  async set(name: string, value: string, tags: Readonly<Record<string, string>> = {}): Promise<string> {
    const secret = await call(() =>
      this.client.setSecret(name, value, { contentType: 'application/json', tags: { ...tags } }),
    );
    const version = secret.properties.version;
    if (!version) throw new Error(`the vault answered SetSecret ${name} without a version`);
    this.remember(name, version, value);
    return version;
  }

  async get(name: string, version: string): Promise<string> {
    const cached = this.cache.get(`${name}/${version}`);
    if (cached !== undefined) return cached;
    const secret = await call(() => this.client.getSecret(name, { version }));
    if (secret.value === undefined) throw new NotFoundError(`secret ${name} has no value`, 'SecretNotFound');
    this.remember(name, version, secret.value);
    return secret.value;
  }

  async delete(name: string): Promise<void> {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${name}/`)) this.cache.delete(key);
    try {
      // Starts the (soft) delete; waiting for it to finish is not needed: the secret is unreadable at once.
      await call(() => this.client.beginDeleteSecret(name));
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }

  private remember(name: string, version: string, value: string): void {
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value ?? '');
    this.cache.set(`${name}/${version}`, value);
  }
}

/** Used when no vault is configured: protected settings are refused rather than kept in a table. */
export class NoSecretStore implements SecretStore {
  set(): Promise<string> {
    const message =
      'protected settings need a secret store: set KEY_VAULT_URL (docs/configuration.md); they are never kept in tables';
    return Promise.reject(
      new ValidationError(
        message,
        [{ path: 'osm.configurationProtectedSettings', message }],
        'SecretStoreNotConfigured',
      ),
    );
  }
  get(name: string): Promise<string> {
    return Promise.reject(
      new NotFoundError(`no secret store is configured to read ${name}`, 'SecretNotFound'),
    );
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw classifyAzureError(err);
  }
}
