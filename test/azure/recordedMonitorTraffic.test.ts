// The MonitorArm adapter driven through real ARM answers for data collection rules (test/recordings,
// azure-cli-extensions monitor-control-service `test_amcs_data_collection_rule.yaml`): a rule PUT that real
// ARM answered 200 on creation (not 201), with `immutableId`, `etag`, `systemData` and destinations of a kind
// osm-fleet does not write; the adapter reads it, and the domain sees a rule that does not feed Container
// insights (so onboarding would rewrite it).
import { afterEach, describe, expect, it } from 'vitest';
import { ArmMonitorClient } from '../../shared/azure/armMonitorClient.js';
import { staticCredential } from '../../shared/azure/credential.js';
import { desiredDataCollectionRule, ruleSendsTo } from '../../shared/domain/containerInsights.js';
import { loadRecording } from '../support/recordings.js';
import { startReplayServer, type ReplayServer } from '../support/replayServer.js';

const RULE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest_amcs_rule000001/providers/Microsoft.Insights/dataCollectionRules/testrule';
const WS =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/ws';
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ArmMonitorClient through the recorded data collection rule session', () => {
  it('reads the PUT answer (200 on create) and the GET as real ARM sent them', async () => {
    server = await startReplayServer(
      loadRecording('monitor-control-service/test_amcs_data_collection_rule.yaml').slice(0, 2),
    );
    const client = new ArmMonitorClient({
      credential: staticCredential('replay'),
      endpoint: server.endpoint,
      caPem: server.caPem,
    });
    const workspace = { id: WS, location: 'westus2', customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01' };
    const put = await client.putDataCollectionRule(desiredDataCollectionRule(RULE, workspace));
    const got = await client.getDataCollectionRule(RULE);
    for (const rule of [put, got!]) {
      expect(rule).toEqual({
        id: RULE,
        location: 'westus2',
        tags: {},
        extensions: [],
        logAnalytics: [],
        dataFlows: [
          { streams: ['Microsoft-InsightsMetrics'], destinations: ['azureMonitorMetrics-default'] },
        ],
      });
      expect(ruleSendsTo(rule, WS)).toBe(false);
    }
    expect(server.pending()).toEqual([]);
    expect(server.received.map((r) => r.split('?')[0])).toEqual([`PUT ${RULE}`, `GET ${RULE}`]);
  });
});
