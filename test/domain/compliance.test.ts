import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import type { ClusterCompliance, FailedRow } from '../../shared/domain/compliance.js';
import { classifyCompliance, driftFingerprint, summarizeCompliance } from '../../shared/domain/compliance.js';
import { defaultOsmCatalog } from '../../shared/domain/osmCatalog.js';
import { memoPathFor } from '../../shared/domain/planner.js';
import type { PolicyInput } from '../../shared/domain/policy.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import { SUB_A, SUB_B, cluster, osm } from './fixtures.js';

const strict = { 'osm.osm.enablePermissiveTrafficPolicy': 'false' };
const input: PolicyInput = {
  target: { subscriptions: [SUB_A, SUB_B] },
  osm: { version: '1.2.6', configurationSettings: strict },
};
const policy = parsePolicy('prod', input);
const classify = (c: ClusterInfo, failed?: FailedRow, p = policy) =>
  classifyCompliance(p, c, defaultOsmCatalog, memoPathFor(p, defaultOsmCatalog), failed);
const failedRow: FailedRow = { rolloutId: 'r1', reason: 'ExtensionInstallFailed', message: 'helm said no' };

describe('classifyCompliance', () => {
  type Case = [string, ClusterInfo, Partial<ClusterCompliance>, FailedRow?];
  const cases: Case[] = [
    [
      'target version, policy settings in effect, pinned: compliant',
      cluster('a', { extensions: [osm('1.2.6', strict)] }),
      { status: 'compliant', reason: 'UpToDate', drift: [], path: [] },
    ],
    [
      'compliant even when offline: the sweep saw it right',
      cluster('a', { connectivity: 'Offline', extensions: [osm('1.2.6', strict)] }),
      { status: 'compliant' },
    ],
    [
      'compliant wins over an old failed row (fixed since)',
      cluster('a', { extensions: [osm('1.2.6', strict)] }),
      { status: 'compliant' },
      failedRow,
    ],
    [
      'a policy setting changed out of band: drifted, with the key',
      cluster('a', { extensions: [osm('1.2.6', { 'osm.osm.enablePermissiveTrafficPolicy': 'true' })] }),
      {
        status: 'drifted',
        drift: [{ key: 'osm.osm.enablePermissiveTrafficPolicy', current: 'true', desired: 'false' }],
      },
    ],
    [
      'a policy setting removed out of band: drifted (current null)',
      cluster('a', { extensions: [osm('1.2.6', {})] }),
      {
        status: 'drifted',
        drift: [{ key: 'osm.osm.enablePermissiveTrafficPolicy', current: null, desired: 'false' }],
      },
    ],
    [
      'version unpinned out of band: drifted on autoUpgradeMinorVersion',
      cluster('a', { extensions: [osm('1.2.6', strict, { autoUpgradeMinorVersion: true })] }),
      { status: 'drifted', drift: [{ key: 'autoUpgradeMinorVersion', current: 'true', desired: 'false' }] },
    ],
    [
      'a key the policy does not set differs: still compliant',
      cluster('a', { extensions: [osm('1.2.6', { ...strict, 'osm.osm.envoyLogLevel': 'debug' })] }),
      { status: 'compliant' },
    ],
    [
      'old scheme key with the policy value (0.11.1 naming) is not drift, only behind',
      cluster('a', {
        extensions: [osm('0.11.1', { 'osm.OpenServiceMesh.enablePermissiveTrafficPolicy': 'false' })],
      }),
      { status: 'behind', path: ['1.0.0-1', '1.1.1-1', '1.2.6'], drift: [], version: '0.11.1' },
    ],
    [
      'older version: behind with the hop path',
      cluster('a', { extensions: [osm('1.0.0', strict)] }),
      { status: 'behind', reason: 'VersionBehind', path: ['1.1.1-1', '1.2.6'] },
    ],
    [
      'held for the CRD step: behind',
      cluster('a', { extensions: [osm('0.8.4')] }),
      { status: 'behind', reason: 'AwaitingCrdApproval' },
    ],
    ['no OSM: missing', cluster('a'), { status: 'missing', reason: 'NotInstalled', version: null }],
    [
      'unsupported distribution: not eligible',
      cluster('a', { distribution: 'kind' }),
      { status: 'notEligible', reason: 'UnsupportedDistribution' },
    ],
    [
      'expired identity with work pending: not eligible',
      cluster('a', { connectivity: 'Expired', extensions: [osm('1.0.0', strict)] }),
      { status: 'notEligible', reason: 'ClusterExpired' },
    ],
    [
      'offline with work pending: not eligible',
      cluster('a', { connectivity: 'Offline' }),
      { status: 'notEligible', reason: 'ClusterOffline' },
    ],
    [
      'last rollout row failed: failed, with its reason and rollout',
      cluster('a', { extensions: [osm('1.0.0', strict)] }),
      { status: 'failed', reason: 'ExtensionInstallFailed', message: 'helm said no', rolloutId: 'r1' },
      failedRow,
    ],
    [
      'extension at the target but provisioning Failed (no rollout row): failed, not compliant',
      cluster('a', { extensions: [osm('1.2.6', strict, { provisioningState: 'Failed' })] }),
      { status: 'failed', reason: 'ProvisioningFailed' },
    ],
    [
      'extension provisioning Failed with a failed row: the row gives the reason',
      cluster('a', { extensions: [osm('1.2.6', strict, { provisioningState: 'Failed' })] }),
      { status: 'failed', reason: 'ExtensionInstallFailed', rolloutId: 'r1' },
      failedRow,
    ],
    [
      'extension at the target with an operation in flight (no rollout row): other, not compliant',
      cluster('a', { extensions: [osm('1.2.6', strict, { provisioningState: 'Creating' })] }),
      { status: 'other', reason: 'OperationInProgress' },
    ],
    [
      'an operation in flight seen by the sweep after the rollout row failed: failed',
      cluster('a', { extensions: [osm('1.2.6', strict, { provisioningState: 'Creating' })] }),
      { status: 'failed', reason: 'ExtensionInstallFailed', rolloutId: 'r1' },
      failedRow,
    ],
    [
      'failed wins over not eligible',
      cluster('a', { connectivity: 'Offline', extensions: [osm('1.0.0', strict)] }),
      { status: 'failed' },
      failedRow,
    ],
    [
      'two OSM extensions: other',
      cluster('a', { extensions: [osm('1.2.6', strict), osm('1.2.6', strict, { name: 'osm2' })] }),
      { status: 'other', reason: 'DuplicateOsmExtensions' },
    ],
    [
      'newer than the policy: other (no downgrade)',
      cluster('a', { extensions: [osm('1.2.6', strict)] }),
      { status: 'other', reason: 'DowngradeRefused' },
      undefined,
    ],
  ];
  it.each(cases)('%s', (_name, c, expected, failed) => {
    const p =
      expected.reason === 'DowngradeRefused'
        ? parsePolicy('prod', { ...input, osm: { ...input.osm, version: '1.1.1-1' } })
        : policy;
    const result = classify(c, failed, p);
    expect(result).toMatchObject(expected);
  });

  it('leaves clusters outside the target or excluded out', () => {
    const outside = cluster('x', { subscriptionId: '6a1b2c3d-0000-4000-8000-00000000000c' });
    expect(classify(outside)).toBeUndefined();
    const inside = cluster('y');
    const excluding = parsePolicy('prod', { ...input, target: { ...input.target, exclude: [inside.id] } });
    expect(classify(inside, undefined, excluding)).toBeUndefined();
  });
});

describe('summarizeCompliance', () => {
  it('counts every class, overall and per subscription', () => {
    const items = [
      cluster('a', { extensions: [osm('1.2.6', strict)] }),
      cluster('b'),
      cluster('c', { subscriptionId: SUB_B, extensions: [osm('1.0.0', strict)] }),
      cluster('d', { subscriptionId: SUB_B, extensions: [osm('1.2.6', strict)] }),
    ].map((c) => classify(c)!);
    const { total, bySubscription } = summarizeCompliance(items);
    expect(total.clusters).toBe(4);
    expect(total.counts).toMatchObject({ compliant: 2, missing: 1, behind: 1, drifted: 0, failed: 0 });
    expect(bySubscription[SUB_A]?.counts).toMatchObject({ compliant: 1, missing: 1 });
    expect(bySubscription[SUB_B]?.counts).toMatchObject({ compliant: 1, behind: 1 });
  });
});

describe('driftFingerprint', () => {
  const d = (current: string | null) => [{ key: 'k', current, desired: 'false' }];
  it('is the same for the same drift seen twice, whatever the order of keys', () => {
    const two = [
      { key: 'b', current: '1', desired: '2' },
      { key: 'a', current: '3', desired: '4' },
    ];
    expect(driftFingerprint('p', two)).toBe(driftFingerprint('p', [...two].reverse()));
  });
  it('changes with the value found, the key set and the policy', () => {
    const base = driftFingerprint('p', d('true'));
    expect(driftFingerprint('p', d('maybe'))).not.toBe(base);
    expect(driftFingerprint('p', d(null))).not.toBe(base);
    expect(driftFingerprint('q', d('true'))).not.toBe(base);
    expect(driftFingerprint('p', [{ key: 'k2', current: 'true', desired: 'false' }])).not.toBe(base);
  });
});
