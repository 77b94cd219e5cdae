// The product's own Azure adapters driven through real ARM and Resource Graph answers (test/recordings),
// served by a replay server: the operation URL spelled `api-Version` on `ConnectedClusters`, a `Location`
// on the regional RP host that must not be followed, null systemData fields, `nextLink: null`, the 200
// `forceDelete` answer with its serialized HttpResponseMessage body, ARG's quota headers and its 400.
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { afterEach, describe, expect, it } from 'vitest';
import { ArmExtensionsClient } from '../../shared/azure/armExtensionsClient.js';
import { staticCredential } from '../../shared/azure/credential.js';
import { ResourceGraphInventory } from '../../shared/azure/resourceGraphInventory.js';
import { TerminalError } from '../../shared/domain/errors.js';
import { loadRecording } from '../support/recordings.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/azurecli-tests/providers/Microsoft.Kubernetes/connectedClusters/arc-cluster';
const credential = staticCredential('replay');
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ArmExtensionsClient through the recorded k8s-extension session', () => {
  it('creates, lists, reads and force-deletes as real ARM answered', async () => {
    // The provider registration read (interaction 0) is the CLI's, not the product's.
    server = await startReplayServer(loadRecording('k8s-extension/test_k8s_extension.yaml').slice(1));
    const arm = new ArmExtensionsClient({ credential, endpoint: server.endpoint, caPem: server.caPem });

    const started = await arm.beginPutExtension(CLUSTER, 'dapr', {
      extensionType: 'microsoft.dapr',
      releaseTrain: 'stable',
      version: '1.6.0',
      autoUpgradeMinorVersion: false,
      releaseNamespace: 'dapr-system',
      configurationSettings: { skipExistingDaprCheck: 'true' },
      configurationProtectedSettings: {},
    });
    // Taken from `.../ConnectedClusters/.../operations/{id}?api-Version=...`; the regional Location is ignored.
    expect(started.operationId).toBe('dbef82c3-3ef9-493e-8253-e5519262973a');
    expect(started.extension).toMatchObject({
      name: 'dapr',
      provisioningState: 'Creating',
      version: '1.6.0',
    });
    expect(server.received).toHaveLength(1);

    const listed = await arm.listExtensions(CLUSTER);
    expect(listed.map((e) => [e.name, e.extensionType, e.provisioningState])).toEqual([
      ['dapr', 'microsoft.dapr', 'Creating'],
    ]);
    const got = await arm.getExtension(CLUSTER, 'dapr');
    expect(got).toMatchObject({ version: '1.6.0', configurationSettings: { skipExistingDaprCheck: 'true' } });
    await arm.getExtension(CLUSTER, 'dapr'); // the CLI's own read before its delete

    const deleted = await arm.beginDeleteExtension(CLUSTER, 'dapr', { force: true });
    expect(deleted).toEqual({}); // 200: finished, no operation to follow
    expect(await arm.listExtensions(CLUSTER)).toEqual([]);
    expect(server.pending()).toEqual([]);
    expect(server.received.every((r) => !r.includes('eastus.rp.'))).toBe(true);
  });
});

describe('ResourceGraphInventory through recorded Resource Graph answers', () => {
  const SUBS = ['34e09169-36e2-4117-ae05-98b60ea39dc4'];
  const graph = (s: ReplayServer) =>
    new ResourceGraphClient(credential, { endpoint: s.endpoint, tlsOptions: { ca: s.caPem } });

  it('reads an objectArray answer with quota headers and a string resultTruncated in one request', async () => {
    server = await startReplayServer(loadRecording('resource-graph/test_query.yaml'));
    const sleeps: number[] = [];
    const inventory = new ResourceGraphInventory(graph(server), {
      subscriptions: SUBS,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const clusters = await inventory.sweep();
    expect(clusters.map((c) => c.id)).toEqual([
      expect.stringContaining('/resourceProviders/Resource--17F133E0'),
      expect.stringContaining('/resourceProviders/Resource--7ADB3EEC'),
    ]);
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]); // 14 queries left in the window: no pause
  });

  it('turns the recorded 400 for a query that does not parse into a terminal error', async () => {
    server = await startReplayServer(loadRecording('resource-graph/test_query_error.yaml'));
    const inventory = new ResourceGraphInventory(graph(server), { subscriptions: SUBS });
    const error = await inventory.sweep().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TerminalError);
    expect(server.received).toHaveLength(1); // not retried
  });
});
