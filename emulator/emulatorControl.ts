// A typed client for the control surface (/_emulator/), for tests, the local stack and benchmarks.
import { request } from 'node:https';
import type { DeepPartial, EmulatorConfig } from './emulatorConfig.js';
import type { StatsSnapshot } from './emulatorStats.js';
import type { Subscriber, SubscriberInput } from './eventGridPublisher.js';
import type { FaultRuleInput, InstallOutcomeRule } from './faultRules.js';
import type { SeedInput, SeedResult } from './seedFleet.js';
import type { ConnectivityStatus } from './emulatorState.js';

import type { MonitoringState } from './monitor/containerInsightsFlow.js';
import type { WorkspaceSeed } from './monitor/workspacesHandler.js';

export type { MonitoringState };

export interface ClusterState {
  cluster: Record<string, unknown> & { id: string; properties: Record<string, unknown> };
  crdPrepared: boolean;
  terminatingNamespaces: Record<string, string>;
  extensions: {
    resource: Record<string, unknown> & { name: string; properties: Record<string, unknown> };
    runningSettings: Record<string, string>;
    protectedSettingKeys: string[];
    activeOperation: string | null;
    puts: number;
    /** Each operation that succeeded, in order: the version and the settings it left running. */
    applied: { version: string; runningSettings: Record<string, string> }[];
  }[];
  /** Whether Container insights data would flow (extension Succeeded, association, rule, workspace). */
  monitoring: MonitoringState;
}

export class EmulatorControlError extends Error {
  override readonly name = 'EmulatorControlError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`emulator control call failed with ${status}: ${JSON.stringify(body)}`);
  }
}

export class EmulatorControl {
  constructor(
    private readonly endpoint: string,
    private readonly caPem: string,
  ) {}

  seed(input: SeedInput): Promise<SeedResult> {
    return this.call('POST', 'seed', input);
  }
  /** Creates a Log Analytics workspace (e.g. the stack's default one, with its known customer ID). */
  seedWorkspace(input: WorkspaceSeed): Promise<Record<string, unknown>> {
    return this.call('POST', 'workspaces', input);
  }
  setConnectivity(
    clusterId: string,
    status: ConnectivityStatus,
  ): Promise<{ id: string; connectivityStatus: string }> {
    return this.call('POST', `clusters/${encodeURIComponent(clusterId)}/connectivity`, { status });
  }
  markCrdPrepared(clusterId: string, prepared = true): Promise<{ id: string; crdPrepared: boolean }> {
    return this.call('POST', `clusters/${encodeURIComponent(clusterId)}/crd-prepared`, { prepared });
  }
  getCluster(clusterId: string): Promise<ClusterState> {
    return this.call('GET', `clusters/${encodeURIComponent(clusterId)}`);
  }
  addFault(rule: FaultRuleInput): Promise<{ id: number }> {
    return this.call('POST', 'faults', rule);
  }
  addInstallOutcome(rule: InstallOutcomeRule): Promise<unknown> {
    return this.call('POST', 'install-outcomes', rule);
  }
  clearFaults(): Promise<unknown> {
    return this.call('DELETE', 'faults');
  }
  addSubscriber(input: SubscriberInput): Promise<Subscriber> {
    return this.call('POST', 'subscribers', input);
  }
  clearSubscribers(): Promise<unknown> {
    return this.call('DELETE', 'subscribers');
  }
  setProviderRegistered(
    subscriptionId: string,
    registered: boolean,
    namespace = 'Microsoft.KubernetesConfiguration',
  ): Promise<unknown> {
    return this.call('POST', 'providers', { subscriptionId, namespace, registered });
  }
  stats(): Promise<StatsSnapshot & { clusters: number; subscribers: number }> {
    return this.call('GET', 'stats');
  }
  reset(): Promise<unknown> {
    return this.call('POST', 'reset');
  }
  config(patch?: DeepPartial<EmulatorConfig>): Promise<EmulatorConfig> {
    return patch ? this.call('PUT', 'config', patch) : this.call('GET', 'config');
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(`/_emulator/${path}`, this.endpoint);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = request(
        url,
        { method, ca: this.caPem, headers: payload ? { 'content-type': 'application/json' } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed: unknown = text ? JSON.parse(text) : undefined;
            if ((res.statusCode ?? 500) >= 300)
              reject(new EmulatorControlError(res.statusCode ?? 500, parsed));
            else resolve(parsed as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
