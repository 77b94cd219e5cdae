// The MonitorArm adapter against the emulator (HTTPS, the emulator's CA, a static token): the contract
// suite, plus how ARM failures come back typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseClusterId } from '../../shared/domain/armId.js';
import { dataCollectionRuleId, desiredDataCollectionRule } from '../../shared/domain/containerInsights.js';
import { NotFoundError, TerminalError, TransientError } from '../../shared/domain/errors.js';
import { RG, SUB, startAzureHarness, type AzureHarness } from './azureHarness.js';
import { monitorArmContract } from './monitorArmContract.js';

let h: AzureHarness;
beforeAll(async () => {
  h = await startAzureHarness();
});
afterAll(async () => h.close());

const seed = async () => {
  await h.control.reset();
  await h.control.seed({ explicit: [{ subscriptionId: SUB, resourceGroup: RG, name: 'mon-1' }] });
};

monitorArmContract('ARM adapter against the emulator', () => ({
  port: h.monitorArm,
  clusterId: h.clusterId('mon-1'),
  workspaceSubscription: SUB,
  reset: seed,
}));

describe('ArmMonitorClient failures', () => {
  const ws = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/ws`;
  const workspace = { id: ws, location: 'westeurope', customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01' };

  it('an association on a cluster that does not exist is a NotFoundError', async () => {
    await seed();
    const rule = dataCollectionRuleId(parseClusterId(h.clusterId('mon-1'))!, 'westeurope');
    await h.monitorArm.putDataCollectionRule(desiredDataCollectionRule(rule, workspace));
    await expect(
      h.monitorArm.putAssociation(h.clusterId('gone'), 'ContainerInsightsExtension', {
        dataCollectionRuleId: rule,
        description: 'x',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('a malformed rule is a TerminalError with ARM code InvalidPayload; nothing is stored', async () => {
    await seed();
    const rule = dataCollectionRuleId(parseClusterId(h.clusterId('mon-1'))!, 'westeurope');
    const bad = {
      ...desiredDataCollectionRule(rule, workspace),
      dataFlows: [{ streams: [], destinations: ['nowhere'] }],
    };
    const err = await h.monitorArm.putDataCollectionRule(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as TerminalError).code).toBe('InvalidPayload');
    expect(await h.monitorArm.getDataCollectionRule(rule)).toBeUndefined();
  });

  it('an unregistered Microsoft.Insights provider is terminal; a 429 past the SDK retries is transient', async () => {
    await seed();
    const rule = dataCollectionRuleId(parseClusterId(h.clusterId('mon-1'))!, 'westeurope');
    await h.control.setProviderRegistered(SUB, false, 'Microsoft.Insights');
    const unregistered = await h.monitorArm.getDataCollectionRule(rule).catch((e: unknown) => e);
    expect(unregistered).toMatchObject({ code: 'MissingSubscriptionRegistration' });
    expect(unregistered).toBeInstanceOf(TerminalError);
    await h.control.setProviderRegistered(SUB, true, 'Microsoft.Insights');

    const { monitorArm } = h.adapters({ retryOptions: { maxRetries: 1 } });
    await h.control.addFault({
      method: 'PUT',
      pathRegex: '/dataCollectionRules/',
      action: { status: 429, retryAfterSeconds: 1 },
    });
    const throttled = await monitorArm
      .putDataCollectionRule(desiredDataCollectionRule(rule, workspace))
      .catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled).toMatchObject({ code: 'ArmThrottled', retryAfterMs: 1000 });
    expect((await h.control.stats()).faultsInjected).toBe(2);
  });
});
