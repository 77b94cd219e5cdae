/**
 * Composition root: builds the real adapters once per process. This part: the Azure adapters (ARM
 * extensions client, the Container insights client for workspaces, data collection rules and associations,
 * and the Resource Graph inventory), sharing one credential, the configured endpoint
 * and, locally, the emulator's CA (`tlsOptions.ca`; the SDK refuses bearer tokens over plain HTTP).
 */
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import type { Config } from './config.js';
import type { ArmClient, FleetInventory, Logger, MonitorArm, SecretStore } from './domain/ports.js';
import { ArmExtensionsClient } from './azure/armExtensionsClient.js';
import { ArmMonitorClient } from './azure/armMonitorClient.js';
import { createCredential } from './azure/credential.js';
import { KeyVaultSecretStore, NoSecretStore } from './azure/keyVaultSecretStore.js';
import { ResourceGraphInventory } from './azure/resourceGraphInventory.js';

export interface AzureAdapterOptions {
  /** Overrides the credential built from config (tests pass a static one). */
  credential?: TokenCredential;
  /** PEM of the CA that signs the ARM endpoint's certificate (contents of ARM_CA_FILE). */
  caPem?: string;
  logger?: Logger;
  /** SDK pipeline retry policy for ARM calls (default: the SDK's 3 retries). */
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export interface AzureAdapters {
  arm: ArmClient;
  monitorArm: MonitorArm;
  inventory: FleetInventory;
  /** Key Vault (KEY_VAULT_URL, same credential and CA as ARM); without one, protected settings are refused. */
  secrets: SecretStore;
}

export function createAzureAdapters(
  config: Pick<Config, 'subscriptions' | 'arm' | 'azureClientId' | 'keyVaultUrl'>,
  options: AzureAdapterOptions = {},
): AzureAdapters {
  const credential = options.credential ?? createCredential(config);
  const endpoint = config.arm.endpoint;
  const tls = options.caPem ? { tlsOptions: { ca: options.caPem } } : {};
  const graph = new ResourceGraphClient(credential, { endpoint, ...tls });
  const armOptions = {
    credential,
    endpoint,
    ...(options.caPem ? { caPem: options.caPem } : {}),
    ...(options.retryOptions ? { retryOptions: options.retryOptions } : {}),
  };
  const arm = new ArmExtensionsClient(armOptions);
  const monitorArm = new ArmMonitorClient(armOptions);
  const inventory = new ResourceGraphInventory(graph, {
    subscriptions: config.subscriptions,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const secrets = config.keyVaultUrl
    ? new KeyVaultSecretStore({
        vaultUrl: config.keyVaultUrl,
        credential,
        ...(options.caPem ? { caPem: options.caPem } : {}),
      })
    : new NoSecretStore();
  return { arm, monitorArm, inventory, secrets };
}
