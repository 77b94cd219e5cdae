// The ArmClient adapter against the emulator through the real @azure/arm-kubernetesconfiguration SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DesiredExtension } from '../../shared/domain/ports.js';
import {
  ConflictError,
  NotFoundError,
  TerminalError,
  TransientError,
  ValidationError,
} from '../../shared/domain/errors.js';
import { classifyArmFailure, classifyFailedOperation } from '../../shared/domain/armFailure.js';
import { RG, SUB, startAzureHarness, waitFor, type AzureHarness } from './azureHarness.js';

let h: AzureHarness;
const osm = (version: string, settings: Record<string, string> = {}): DesiredExtension => ({
  extensionType: 'Microsoft.openservicemesh',
  releaseTrain: 'stable',
  version,
  autoUpgradeMinorVersion: false,
  releaseNamespace: 'arc-osm-system',
  configurationSettings: settings,
  configurationProtectedSettings: { 'osm.secret': 'never-returned' },
});

beforeAll(async () => {
  h = await startAzureHarness();
});
afterAll(async () => h.close());
beforeEach(async () => {
  await h.control.reset();
  await h.control.config({ installMs: 30, failureModes: { conflictWhileInProgress: true } });
  await h.control.seed({
    explicit: [
      {
        subscriptionId: SUB,
        resourceGroup: RG,
        name: 'c1',
        distribution: 'aks',
        tags: { env: 'prod' },
      },
      { subscriptionId: SUB, resourceGroup: RG, name: 'c2', connectivityStatus: 'Offline' },
      { subscriptionId: SUB, resourceGroup: RG, name: 'c4', distribution: 'openshift' },
      {
        subscriptionId: SUB,
        resourceGroup: RG,
        name: 'c3',
        extensions: [
          { name: 'open-service-mesh', extensionType: 'Microsoft.openservicemesh', version: '1.1.1' },
        ],
      },
    ],
  });
});

describe('beginPutExtension', () => {
  it('sends one PUT and returns the operation id while the operation is still InProgress', async () => {
    await h.control.config({ installMs: 60_000 });
    const before = await h.control.stats();
    const started = await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6', { a: 'b' }));
    const stats = await h.control.stats();
    expect(started.operationId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(started.extension).toMatchObject({
      name: 'osm',
      extensionType: 'microsoft.openservicemesh',
      provisioningState: 'Creating',
      version: '1.2.6',
      configurationSettings: { a: 'b' },
    });
    expect(JSON.stringify(started)).not.toContain('never-returned');
    expect(stats.requestsByOperation['extensions:PUT'] ?? 0).toBe(
      (before.requestsByOperation['extensions:PUT'] ?? 0) + 1,
    );
    expect(stats.requestsByOperation['extensions:GET'] ?? 0).toBe(
      before.requestsByOperation['extensions:GET'] ?? 0,
    ); // no operation polling, no final GET
    expect(stats.requestsTotal).toBe(before.requestsTotal + 1);
    expect(stats.inFlightOperations).toBe(1);
    const status = await h.arm.getOperation(h.clusterId('c1'), 'osm', started.operationId ?? '');
    expect(status).toEqual({ status: 'InProgress' });
  });

  it('getOperation moves to Succeeded and getExtension then shows the version', async () => {
    const started = await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    await waitFor(async () => {
      const s = await h.arm.getOperation(h.clusterId('c1'), 'osm', started.operationId ?? '');
      return s.status === 'Succeeded';
    });
    const ext = await h.arm.getExtension(h.clusterId('c1'), 'osm');
    expect(ext).toMatchObject({
      version: '1.2.6',
      provisioningState: 'Succeeded',
      autoUpgradeMinorVersion: false,
    });
    expect(await h.arm.listExtensions(h.clusterId('c1'))).toHaveLength(1);
  });

  it('a failed operation reports the agent error code and message (OpenShift without privileged init)', async () => {
    const id = h.clusterId('c4');
    const started = await h.arm.beginPutExtension(id, 'osm', osm('1.2.6'));
    await waitFor(
      async () => (await h.arm.getOperation(id, 'osm', started.operationId ?? '')).status !== 'InProgress',
    );
    const status = await h.arm.getOperation(id, 'osm', started.operationId ?? '');
    expect(status.status).toBe('Failed');
    expect(status.error?.code).toBe('ExtensionOperationFailed');
    expect(status.error?.message).toContain('enablePrivilegedInitContainer');
  });

  it('a second OSM extension under another name is a TerminalError with ARM code', async () => {
    const error = await h.arm
      .beginPutExtension(h.clusterId('c3'), 'osm', osm('1.2.6'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({ code: 'ExtensionTypeInstanceAlreadyExists' });
    expect((error as Error).message).toContain('open-service-mesh');
  });

  it('a write while the operation is in progress, answered 409 at once (sync409): a ConflictError, retried', async () => {
    await h.control.config({ installMs: 60_000, failureModes: { conflictResponse: 'sync409' } });
    await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    const error = await h.arm
      .beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'UpdateFailed' });
    expect(classifyArmFailure(error, 15_000)).toMatchObject({ kind: 'retry', reason: 'OperationInProgress' });
  });

  it('a write while the operation is in progress, accepted and its operation failed (asyncFailure): the same retry', async () => {
    await h.control.config({ installMs: 60_000, failureModes: { conflictResponse: 'asyncFailure' } });
    await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    const second = await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    expect(second.operationId).toBeDefined();
    const status = await h.arm.getOperation(h.clusterId('c1'), 'osm', second.operationId!);
    expect(status).toMatchObject({
      status: 'Failed',
      error: { code: 'UpdateFailed', message: expect.stringMatching(/conflicting operation in progress/) },
    });
    expect(classifyFailedOperation(status.error!.code, status.error!.message, 15_000)).toMatchObject({
      kind: 'retry',
      reason: 'OperationInProgress',
    });
  });

  it('a 429 is retried by the SDK (Retry-After) and then succeeds', async () => {
    await h.control.addFault({
      method: 'PUT',
      pathRegex: '/extensions/osm$',
      action: { status: 429, retryAfterSeconds: 1 },
      count: 1,
    });
    const started = await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    expect(started.operationId).toMatch(/^[0-9a-f-]{36}$/i);
    const stats = await h.control.stats();
    expect(stats.faultsInjected).toBe(1);
    expect(stats.putsPerCluster[h.clusterId('c1').toLowerCase()]).toBe(1);
  });

  it('a 429 past the SDK retries is a TransientError ArmThrottled with the Retry-After', async () => {
    const { arm } = h.adapters({ retryOptions: { maxRetries: 1 } });
    await h.control.addFault({
      method: 'PUT',
      pathRegex: '/extensions/osm$',
      action: { status: 429, retryAfterSeconds: 1 },
    });
    const error = await arm
      .beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'ArmThrottled', retryAfterMs: 1000 });
    expect((await h.control.stats()).faultsInjected).toBe(2);
  });

  it('a dropped connection past the SDK retries is a TransientError ArmUnavailable', async () => {
    const { arm } = h.adapters({ retryOptions: { maxRetries: 1, retryDelayInMs: 10 } });
    await h.control.addFault({ method: 'GET', pathRegex: '/extensions/osm$', action: { timeout: true } });
    const error = await arm.getExtension(h.clusterId('c1'), 'osm').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'ArmUnavailable' });
  });

  it('an unregistered provider is terminal, not a conflict', async () => {
    await h.control.setProviderRegistered(SUB, false);
    const error = await h.arm
      .beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect(error).toMatchObject({ code: 'MissingSubscriptionRegistration' });
  });

  it('a cluster that does not exist is a NotFoundError; a malformed id a ValidationError', async () => {
    const missing = await h.arm
      .beginPutExtension(h.clusterId('nope'), 'osm', osm('1.2.6'))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ code: 'ResourceNotFound' });
    await expect(h.arm.getExtension('/subscriptions/x/clusters/y', 'osm')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('beginDeleteExtension and reads', () => {
  it('delete returns the operation id without polling; force delete is synchronous', async () => {
    const put = await h.arm.beginPutExtension(h.clusterId('c1'), 'osm', osm('1.2.6'));
    await waitFor(
      async () =>
        (await h.arm.getOperation(h.clusterId('c1'), 'osm', put.operationId ?? '')).status === 'Succeeded',
    );
    const before = await h.control.stats();
    const del = await h.arm.beginDeleteExtension(h.clusterId('c1'), 'osm');
    const stats = await h.control.stats();
    expect(del.operationId).toMatch(/^[0-9a-f-]{36}$/i);
    expect(stats.requestsTotal).toBe(before.requestsTotal + 1);
    await waitFor(
      async () =>
        (await h.arm.getOperation(h.clusterId('c1'), 'osm', del.operationId ?? '')).status === 'Succeeded',
    );
    expect(await h.arm.getExtension(h.clusterId('c1'), 'osm')).toBeUndefined();
    const forced = await h.arm.beginDeleteExtension(h.clusterId('c3'), 'open-service-mesh', { force: true });
    expect(forced).toEqual({});
    expect(await h.arm.getExtension(h.clusterId('c3'), 'open-service-mesh')).toBeUndefined();
    expect(await h.arm.beginDeleteExtension(h.clusterId('c3'), 'open-service-mesh')).toEqual({}); // 204
  });

  it('getCluster returns connectivity, distribution, tags and the extensions', async () => {
    expect(await h.arm.getCluster(h.clusterId('c1'))).toMatchObject({
      id: h.clusterId('c1'),
      name: 'c1',
      subscriptionId: SUB,
      resourceGroup: RG,
      distribution: 'aks',
      connectivity: 'Connected',
      tags: { env: 'prod' },
      extensions: [],
    });
    expect((await h.arm.getCluster(h.clusterId('c2')))?.connectivity).toBe('Offline');
    const c3 = await h.arm.getCluster(h.clusterId('c3'));
    expect(c3?.extensions).toEqual([
      expect.objectContaining({
        name: 'open-service-mesh',
        version: '1.1.1',
        extensionType: 'microsoft.openservicemesh',
      }),
    ]);
    expect(await h.arm.getCluster(h.clusterId('gone'))).toBeUndefined();
  });
});
