// Shared setup for the Azure adapter tests: an in-process emulator (port 0, tiny timings), the control
// client, and the real adapters from createAzureAdapters with a static credential and the emulator's CA.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/createEmulator.js';
import { EmulatorControl } from '../../emulator/emulatorControl.js';
import { staticCredential } from '../../shared/azure/credential.js';
import {
  createAzureAdapters,
  type AzureAdapterOptions,
  type AzureAdapters,
} from '../../shared/composition.js';

export const SUBS = [
  '0b1f6471-1bf0-4dda-aec3-cb9272f09590',
  '1c2e7582-2cf1-4eeb-bfd4-dc0383f1a6a1',
  '2d3f8693-3d02-4ffc-80e5-ed1494028bb2',
] as const;
/** A subscription the emulator holds but the fleet is not configured for. */
export const FOREIGN_SUB = '9f9f9f9f-9f9f-4f9f-8f9f-9f9f9f9f9f9f';
export const SUB = SUBS[0];
export const RG = 'rg-azure';

export interface AzureHarness extends AzureAdapters {
  emu: Emulator;
  control: EmulatorControl;
  adapters(options?: AzureAdapterOptions & { token?: string; subscriptions?: string[] }): AzureAdapters;
  clusterId(name: string, sub?: string, rg?: string): string;
  close(): Promise<void>;
}

export async function startAzureHarness(
  options: EmulatorOptions & { token?: string } = {},
): Promise<AzureHarness> {
  const emu = await createEmulator({
    port: 0,
    caDir: mkdtempSync(join(tmpdir(), 'emu-azure-')),
    ...options,
    config: {
      installMs: 30,
      installJitterMs: 0,
      connectMs: 10,
      graphLagMs: 0,
      retryAfterSeconds: 0,
      ...options.config,
    },
  });
  const control = new EmulatorControl(emu.endpoint, emu.caPem);
  const adapters: AzureHarness['adapters'] = (o = {}) =>
    createAzureAdapters(
      { subscriptions: o.subscriptions ?? [...SUBS], arm: { endpoint: emu.endpoint } },
      { credential: staticCredential(o.token ?? options.token ?? 'azure-test'), caPem: emu.caPem, ...o },
    );
  return {
    emu,
    control,
    ...adapters(),
    adapters,
    clusterId: (name, sub = SUB, rg = RG) =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
    close: () => emu.close(),
  };
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('condition not met in time');
}
