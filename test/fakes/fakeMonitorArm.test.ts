// FakeMonitorArm passes the same contract suite as the ARM adapter.
import { monitorArmContract } from '../azure/monitorArmContract.js';
import { FakeMonitorArm } from './fakeMonitorArm.js';

const fake = new FakeMonitorArm();
monitorArmContract('FakeMonitorArm', () => ({
  port: fake,
  clusterId:
    '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-azure/providers/Microsoft.Kubernetes/connectedClusters/mon-1',
  workspaceSubscription: '0b1f6471-1bf0-4dda-aec3-cb9272f09590',
  reset: async () => {
    fake.workspaces.clear();
    fake.rules.clear();
    fake.associations.clear();
  },
}));
