// Which KubernetesConfigurationResources key holds an extension's running version is not documented
// (docs/emulator.md, ledger): the inventory adapter must read it under either name, and never take the
// requested `Version` (null while auto-upgrading, the target while an upgrade runs) for the running one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RG, SUB, startAzureHarness, type AzureHarness } from './azureHarness.js';

let h: AzureHarness;
beforeAll(async () => {
  h = await startAzureHarness();
});
afterAll(async () => h.close());

describe.each(['InstalledVersion', 'CurrentVersion'] as const)('running version under %s', (key) => {
  it('the sweep reports the running version of an auto-upgrading extension', async () => {
    await h.control.reset();
    await h.control.config({ graphVersionProperty: key });
    await h.control.seed({
      explicit: [
        {
          subscriptionId: SUB,
          resourceGroup: RG,
          name: `auto-${key}`,
          extensions: [
            {
              name: 'osm',
              extensionType: 'microsoft.openservicemesh',
              autoUpgradeMinorVersion: true,
              provisioningState: 'Succeeded',
            },
          ],
        },
      ],
    });
    const running = [...(h.emu.context.state.clusters.values().next().value?.extensions.values() ?? [])][0];
    expect(running?.version).toBeNull();
    expect(running?.currentVersion).toMatch(/^\d+\.\d+\.\d+/);
    const [cluster] = await h.adapters({ token: `sweep-${key}` }).inventory.sweep();
    const osm = cluster?.extensions.find((e) => e.name === 'osm');
    expect(osm?.version).toBe(running?.currentVersion);
  });
});
