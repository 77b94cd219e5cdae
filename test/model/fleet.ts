/**
 * The model's fleet and policy: one cluster per kind of work a rollout does, each with settings the policy
 * does not own (which must survive every PUT), and one already compliant cluster.
 */
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import type { PolicyInput } from '../../shared/domain/policy.js';
import { cluster, osm } from '../domain/fixtures.js';
import { WORKSPACE } from '../fakes/clusterRows.js';

export const POLICY_SETTINGS = { 'osm.osm.enablePermissiveTrafficPolicy': 'false' };

export function modelPolicy(maxParallel: number): PolicyInput {
  return {
    osm: { version: '1.2.6', configurationSettings: POLICY_SETTINGS },
    // Azure Monitor after each install and upgrade: the monitor step runs under the same faults.
    monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WORKSPACE },
    // 100 %: the rollout never halts, so every cluster's own outcome is judged.
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel }], maxFailurePercent: 100 },
  };
}

export function modelFleet(): ClusterInfo[] {
  return [
    // install: path [1.2.6]
    cluster('install'),
    // three hops 0.11.1 -> 1.0.0-1 -> 1.1.1-1 -> 1.2.6, across the settings key rename of 1.0
    cluster('hop3', {
      extensions: [osm('0.11.1', { 'osm.OpenServiceMesh.enableEgress': 'true', 'team.owner': 'blue' })],
    }),
    // two hops 1.0.0 -> 1.1.1-1 -> 1.2.6
    cluster('hop2', { extensions: [osm('1.0.0', { 'osm.osm.envoyLogLevel': 'debug' })] }),
    // settings only: already 1.2.6, the policy's setting missing
    cluster('settings', { extensions: [osm('1.2.6', { 'osm.osm.envoyLogLevel': 'warning' })] }),
    // compliant: nothing to do
    cluster('compliant', { extensions: [osm('1.2.6', { ...POLICY_SETTINGS })] }),
  ];
}
