/**
 * ArmClient over @azure/arm-kubernetesconfiguration 6.x (api-version 2023-05-01) for Arc connected clusters.
 * Writes start the long-running operation and return its id (one request, no polling: see
 * initialResponse.ts); checks read `operationStatus.get`. The SDK pipeline already retries 429/5xx
 * honouring Retry-After, so there is no retry loop here. Every failure goes through classifyAzureError.
 */
import type { TokenCredential } from '@azure/core-auth';
import { SourceControlConfigurationClient, type Extension } from '@azure/arm-kubernetesconfiguration';
import { parseClusterId, type ClusterRef } from '../domain/armId.js';
import type { ClusterInfo, ExtensionInfo } from '../domain/cluster.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { ArmClient, DesiredExtension, OperationStatus, StartedOperation } from '../domain/ports.js';
import { classifyAzureError } from './classifyAzureError.js';
import { getConnectedCluster } from './connectedClusterGet.js';
import { clusterFromArm, extensionFromArm } from './extensionInfo.js';
import { captureInitialResponse } from './initialResponse.js';

const CLUSTER_RP = 'Microsoft.Kubernetes';
const CLUSTER_RESOURCE = 'connectedClusters';

export interface ArmExtensionsClientOptions {
  credential: TokenCredential;
  /** ARM endpoint, e.g. https://management.azure.com or the emulator's URL. */
  endpoint: string;
  /** PEM of a CA to trust (the emulator's self-signed CA). */
  caPem?: string;
  /** The SDK pipeline's retry policy (default: 3 retries, Retry-After honoured). */
  retryOptions?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
}

export class ArmExtensionsClient implements ArmClient {
  /** One SDK client per subscription (the SDK binds the subscription at construction), built once. */
  private readonly clients = new Map<string, SourceControlConfigurationClient>();

  constructor(private readonly options: ArmExtensionsClientOptions) {}

  async getCluster(clusterId: string): Promise<ClusterInfo | undefined> {
    const ref = refOf(clusterId);
    const client = this.clientFor(ref);
    const [body, extensions] = await Promise.all([
      call(() => getConnectedCluster(client, ref)),
      this.listExtensions(clusterId).catch((e: unknown) =>
        e instanceof NotFoundError ? [] : Promise.reject(e),
      ),
    ]).catch((e: unknown) => (e instanceof NotFoundError ? [undefined, []] : Promise.reject(e)));
    return body === undefined ? undefined : clusterFromArm(body, extensions);
  }

  async getExtension(clusterId: string, name: string): Promise<ExtensionInfo | undefined> {
    const ref = refOf(clusterId);
    try {
      const e = await this.clientFor(ref).extensions.get(
        ref.resourceGroup,
        CLUSTER_RP,
        CLUSTER_RESOURCE,
        ref.name,
        name,
      );
      return extensionFromArm(e);
    } catch (error) {
      const classified = classifyAzureError(error);
      if (classified instanceof NotFoundError) return undefined;
      throw classified;
    }
  }

  async listExtensions(clusterId: string): Promise<ExtensionInfo[]> {
    const ref = refOf(clusterId);
    return call(async () => {
      const out: ExtensionInfo[] = [];
      const pages = this.clientFor(ref).extensions.list(
        ref.resourceGroup,
        CLUSTER_RP,
        CLUSTER_RESOURCE,
        ref.name,
      );
      for await (const e of pages) out.push(extensionFromArm(e));
      return out;
    });
  }

  async beginPutExtension(
    clusterId: string,
    name: string,
    desired: DesiredExtension,
  ): Promise<StartedOperation> {
    const ref = refOf(clusterId);
    const client = this.clientFor(ref);
    const initial = await call(() =>
      captureInitialResponse((options) =>
        client.extensions.beginCreate(
          ref.resourceGroup,
          CLUSTER_RP,
          CLUSTER_RESOURCE,
          ref.name,
          name,
          toArmBody(desired),
          options,
        ),
      ),
    );
    return {
      ...(initial.operationId ? { operationId: initial.operationId } : {}),
      ...(initial.body ? { extension: extensionFromArm(initial.body as Extension) } : {}),
    };
  }

  async beginDeleteExtension(
    clusterId: string,
    name: string,
    options?: { force?: boolean },
  ): Promise<StartedOperation> {
    const ref = refOf(clusterId);
    const client = this.clientFor(ref);
    const initial = await call(() =>
      captureInitialResponse((o) =>
        client.extensions.beginDelete(ref.resourceGroup, CLUSTER_RP, CLUSTER_RESOURCE, ref.name, name, {
          ...o,
          ...(options?.force ? { forceDelete: true } : {}),
        }),
      ),
    );
    return initial.operationId ? { operationId: initial.operationId } : {};
  }

  async getOperation(
    clusterId: string,
    extensionName: string,
    operationId: string,
  ): Promise<OperationStatus> {
    const ref = refOf(clusterId);
    const result = await call(() =>
      this.clientFor(ref).operationStatus.get(
        ref.resourceGroup,
        CLUSTER_RP,
        CLUSTER_RESOURCE,
        ref.name,
        extensionName,
        operationId,
      ),
    );
    const status =
      (['Succeeded', 'Failed', 'Canceled'] as const).find(
        (s) => s.toLowerCase() === result.status?.toLowerCase(),
      ) ?? 'InProgress';
    const error = result.error;
    if (!error || status === 'Succeeded' || status === 'InProgress') return { status };
    // ARM wraps agent failures as ResourceOperationFailure with the agent's error as the first detail.
    const detail = error.details?.find((d) => d.code);
    const useDetail = detail !== undefined && (!error.code || error.code === 'ResourceOperationFailure');
    const code = (useDetail ? detail.code : error.code) ?? 'OperationFailed';
    const message = (useDetail ? detail.message : error.message) ?? `The operation ended ${status}.`;
    return { status, error: { code, message } };
  }

  private clientFor(ref: ClusterRef): SourceControlConfigurationClient {
    const key = ref.subscriptionId.toLowerCase();
    let client = this.clients.get(key);
    if (!client) {
      const { credential, endpoint, caPem, retryOptions } = this.options;
      client = new SourceControlConfigurationClient(credential, ref.subscriptionId, {
        endpoint,
        ...(caPem ? { tlsOptions: { ca: caPem } } : {}),
        ...(retryOptions ? { retryOptions } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** The PUT body (the SDK flattens `properties`). Protected settings go out and never come back in. */
export function toArmBody(d: DesiredExtension): Extension {
  return {
    ...(d.identity ? { identity: { type: d.identity } } : {}),
    extensionType: d.extensionType,
    autoUpgradeMinorVersion: d.autoUpgradeMinorVersion,
    releaseTrain: d.releaseTrain,
    ...(d.version !== undefined ? { version: d.version } : {}),
    scope: { cluster: { releaseNamespace: d.releaseNamespace } },
    configurationSettings: { ...d.configurationSettings },
    configurationProtectedSettings: { ...d.configurationProtectedSettings },
  };
}

function refOf(clusterId: string): ClusterRef {
  const ref = parseClusterId(clusterId);
  if (!ref)
    throw new ValidationError(
      `'${clusterId}' is not a connected cluster resource ID`,
      [],
      'InvalidClusterId',
    );
  return ref;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw classifyAzureError(error);
  }
}
