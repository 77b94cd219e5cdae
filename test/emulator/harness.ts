// Shared test setup: an emulator on an ephemeral port with tiny timings, the real SDK client, a raw
// HTTPS client and the control client.
import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceControlConfigurationClient } from '@azure/arm-kubernetesconfiguration';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../emulator/createEmulator.js';
import { EmulatorControl } from '../../emulator/emulatorControl.js';

export const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
export const RG = 'rg-test';
export const credential = {
  getToken: async () => ({ token: 'test-principal', expiresOnTimestamp: Date.now() + 3_600_000 }),
};
export const POLL = { updateIntervalInMs: 20 };

export interface Harness {
  emu: Emulator;
  control: EmulatorControl;
  client: SourceControlConfigurationClient;
  raw(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  clusterId(name: string, sub?: string, rg?: string): string;
  close(): Promise<void>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emu = await createEmulator({
    port: 0,
    caDir: mkdtempSync(join(tmpdir(), 'emu-ca-')),
    ...options,
    config: {
      installMs: 30,
      installJitterMs: 10,
      connectMs: 20,
      graphLagMs: 0,
      retryAfterSeconds: 0,
      ...options.config,
    },
  });
  const control = new EmulatorControl(emu.endpoint, emu.caPem);
  const client = new SourceControlConfigurationClient(credential, SUB, {
    endpoint: emu.endpoint,
    tlsOptions: { ca: emu.caPem },
  });
  const raw = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: 'Bearer raw' },
  ) =>
    new Promise<RawResponse>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, emu.endpoint),
        { method, ca: emu.caPem, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? JSON.parse(text) : undefined,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return {
    emu,
    control,
    client,
    raw,
    clusterId: (name, sub = SUB, rg = RG) =>
      `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
    close: () => emu.close(),
  };
}

export function extPath(cluster: string, ext?: string, sub = SUB, rg = RG): string {
  const base = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${cluster}/providers/Microsoft.KubernetesConfiguration/extensions`;
  return ext ? `${base}/${ext}` : base;
}

export const OSM_BODY = (version: string, settings: Record<string, string> = {}) => ({
  extensionType: 'Microsoft.openservicemesh',
  autoUpgradeMinorVersion: false,
  releaseTrain: 'stable',
  version,
  scope: { cluster: { releaseNamespace: 'arc-osm-system' } },
  configurationSettings: settings,
});

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('condition not met in time');
}
