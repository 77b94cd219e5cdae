import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { stableHash } from '../../shared/domain/assignWaves.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { defaultOsmCatalog } from '../../shared/domain/osmCatalog.js';
import type { ClusterPlan } from '../../shared/domain/planner.js';
import { planPolicy } from '../../shared/domain/planner.js';
import type { PolicyInput } from '../../shared/domain/policy.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import { SUB_A, SUB_B, cluster, osm } from './fixtures.js';

const now = new Date('2026-11-25T10:00:00Z');
const basePolicy: PolicyInput = {
  target: { subscriptions: [SUB_A] },
  osm: { version: '1.2.6', configurationSettings: { 'osm.osm.enablePermissiveTrafficPolicy': 'false' } },
  rollout: {
    waves: [
      { name: 'canary', count: 2, maxParallel: 2 },
      { name: 'rest', percent: 100, maxParallel: 50 },
    ],
  },
};
const policyWith = (over: Partial<PolicyInput> = {}, rollout: object = {}) =>
  parsePolicy('prod', { ...basePolicy, ...over, rollout: { ...basePolicy.rollout, ...rollout } });
const planOne = (c: ClusterInfo, policy = policyWith()): ClusterPlan => {
  const plan = planPolicy(policy, [c], { catalog: defaultOsmCatalog, now });
  expect(plan.clusters).toHaveLength(1);
  return plan.clusters[0]!;
};
const strict = { 'osm.osm.enablePermissiveTrafficPolicy': 'false' };

describe('planPolicy, one cluster at a time', () => {
  type Case = [string, ClusterInfo, Partial<ClusterPlan>, ReturnType<typeof policyWith>?];
  const cases: Case[] = [
    [
      'no OSM: install',
      cluster('a'),
      { action: 'install', reason: 'NotInstalled', path: ['1.2.6'], extensionName: 'osm' },
    ],
    [
      'at target with policy settings: no change',
      cluster('a', { extensions: [osm('1.2.6', strict)] }),
      { action: 'noChange', reason: 'UpToDate', wave: null },
    ],
    [
      'at target, setting changed out of band: reconfigure',
      cluster('a', { extensions: [osm('1.2.6', { 'osm.osm.enablePermissiveTrafficPolicy': 'true' })] }),
      { action: 'reconfigure', reason: 'SettingsChanged' },
    ],
    [
      'at target but auto-upgrading: reconfigure to pin',
      cluster('a', { extensions: [osm('1.2.6', strict, { autoUpgradeMinorVersion: true })] }),
      { action: 'reconfigure', reason: 'VersionNotPinned' },
    ],
    [
      'patch behind: one hop',
      cluster('a', { extensions: [osm('1.2.3', strict)] }),
      { action: 'upgrade', reason: 'VersionBehind', from: '1.2.3', path: ['1.2.6'] },
    ],
    [
      'two minors behind: two hops',
      cluster('a', { extensions: [osm('1.0.0', strict)] }),
      { action: 'upgrade', path: ['1.1.1-1', '1.2.6'] },
    ],
    [
      '0.11.1 crosses the key rename with no CRD step',
      cluster('a', { extensions: [osm('0.11.1')] }),
      { action: 'upgrade', path: ['1.0.0-1', '1.1.1-1', '1.2.6'] },
    ],
    [
      '0.8.4 needs the CRD step: held for approval',
      cluster('a', { extensions: [osm('0.8.4')] }),
      {
        action: 'skip',
        reason: 'AwaitingCrdApproval',
        pendingAction: 'upgrade',
        path: ['0.9.2', '0.11.1', '1.0.0-1', '1.1.1-1', '1.2.6'],
        wave: 'canary',
      },
    ],
    [
      '0.9.2 -> 0.11.1 needs the CRD step',
      cluster('a', { extensions: [osm('0.9.2')] }),
      { action: 'skip', reason: 'AwaitingCrdApproval', message: expect.stringContaining('0.9.2 -> 0.11.1') },
    ],
    [
      'CRD step allowed by policy: upgrade',
      cluster('a', { extensions: [osm('0.8.4')] }),
      { action: 'upgrade', reason: 'VersionBehind' },
      policyWith({}, { crdUpgrades: 'allow' }),
    ],
    [
      'newer than target: downgrade refused',
      cluster('a', { extensions: [osm('1.2.6')] }),
      { action: 'skip', reason: 'DowngradeRefused', wave: null },
      policyWith({ osm: { version: '1.1.1' } }),
    ],
    [
      'rebuild is newer than its base: downgrade refused',
      cluster('a', { extensions: [osm('1.0.0-1')] }),
      { action: 'skip', reason: 'DowngradeRefused' },
      policyWith({ osm: { version: '1.0.0' } }),
    ],
    [
      'unknown installed version: reported, not guessed',
      cluster('a', { extensions: [osm('1.1.7')] }),
      { action: 'skip', reason: 'UnknownInstalledVersion', message: expect.stringContaining('1.1.7') },
    ],
    [
      'installed version unreported',
      cluster('a', { extensions: [osm(null)] }),
      { action: 'skip', reason: 'UnknownInstalledVersion' },
    ],
    [
      'k3s: unsupported distribution',
      cluster('a', { distribution: 'k3s' }),
      { action: 'skip', reason: 'UnsupportedDistribution', wave: null },
    ],
    [
      'k3s included on request',
      cluster('a', { distribution: 'K3S' }),
      { action: 'install' },
      policyWith({}, { includeUnsupportedDistributions: true }),
    ],
    [
      'offline with work: deferred, keeps its wave',
      cluster('a', { connectivity: 'Offline' }),
      { action: 'skip', reason: 'ClusterOffline', pendingAction: 'install', wave: 'canary' },
    ],
    [
      'offline with nothing to do: no change',
      cluster('a', { connectivity: 'Offline', extensions: [osm('1.2.6', strict)] }),
      { action: 'noChange' },
    ],
    [
      'expired: needs reconnection',
      cluster('a', { connectivity: 'Expired' }),
      { action: 'skip', reason: 'ClusterExpired', message: expect.stringContaining('reconnect') },
    ],
    [
      'excluded by ID in another case',
      cluster('a'),
      { action: 'skip', reason: 'Excluded', wave: null },
      policyWith({
        target: {
          exclude: [cluster('a').id.replace(SUB_A, SUB_A.toUpperCase()).replace('rg-a', 'RG-A')],
        },
      }),
    ],
    [
      'OSM installed by hand under another name: adopted',
      cluster('a', {
        extensions: [osm('1.2.3', strict, { name: 'my-mesh', extensionType: 'Microsoft.openservicemesh' })],
      }),
      { action: 'upgrade', extensionName: 'my-mesh', adopted: true },
    ],
    [
      'two OSM extensions: never touched',
      cluster('a', { extensions: [osm('1.2.3'), osm('1.2.3', {}, { name: 'osm2' })] }),
      { action: 'skip', reason: 'DuplicateOsmExtensions', wave: null },
    ],
  ];
  it.each(cases)('%s', (_what, c, expected, policy) => {
    expect(planOne(c, policy)).toMatchObject(expected);
  });

  it('OpenShift gets the privileged init container setting forced', () => {
    const p = planOne(cluster('a', { distribution: 'OpenShift', extensions: [osm('1.2.6', strict)] }));
    expect(p).toMatchObject({ action: 'reconfigure', reason: 'SettingsChanged' });
    expect(p.settingsChanges).toContainEqual(
      expect.objectContaining({ key: 'osm.osm.enablePrivilegedInitContainer', to: 'true', origin: 'forced' }),
    );
  });

  it('0.8.4 -> 1.2.6 carries hand-set settings across the key rename and reports drift', () => {
    const c = cluster('a', {
      extensions: [
        osm('0.8.4', {
          'osm.OpenServiceMesh.envoyLogLevel': 'debug',
          'osm.OpenServiceMesh.enablePermissiveTrafficPolicy': 'true',
        }),
      ],
    });
    const p = planOne(c, policyWith({}, { crdUpgrades: 'allow' }));
    expect(p.settingsChanges).toContainEqual(
      expect.objectContaining({
        key: 'osm.osm.envoyLogLevel',
        from: 'debug',
        to: 'debug',
        origin: 'translated',
      }),
    );
    expect(p.settingsChanges).toContainEqual(
      expect.objectContaining({
        key: 'osm.osm.enablePermissiveTrafficPolicy',
        to: 'false',
        origin: 'policy',
      }),
    );
    expect(p.drift).toEqual([
      expect.objectContaining({
        key: 'osm.osm.enablePermissiveTrafficPolicy',
        current: 'true',
        desired: 'false',
      }),
    ]);
  });

  it('refuses to plan toward a version the catalog does not know', () => {
    const policy = parsePolicy('p', { osm: { version: '1.3.0' } });
    expect(() => planPolicy(policy, [cluster('a')], { catalog: defaultOsmCatalog, now })).toThrow(
      ValidationError,
    );
  });
});

describe('planPolicy over a fleet', () => {
  it('leaves out clusters outside the target and summarises the rest as API.md shows', () => {
    const fleet = [
      cluster('a'),
      cluster('b', { extensions: [osm('1.2.6', strict)] }),
      cluster('c', { distribution: 'kind' }),
      cluster('d', { connectivity: 'Offline' }),
      cluster('e', { extensions: [osm('0.9.2')] }),
      cluster('f', { subscriptionId: SUB_B }),
    ];
    const plan = planPolicy(policyWith(), fleet, { catalog: defaultOsmCatalog, now });
    expect(plan.policy).toBe('prod');
    expect(plan.generatedAt).toBe(now.toISOString());
    expect(plan.clusters.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.summary).toEqual({
      clusters: 5,
      install: 1,
      upgrade: 0,
      reconfigure: 0,
      noChange: 1,
      skipped: { UnsupportedDistribution: 1, ClusterOffline: 1, AwaitingCrdApproval: 1 },
    });
  });

  it('property: re-planning a shuffled fleet gives every cluster the same action and wave', () => {
    const versions = [null, '0.8.4', '0.9.2', '0.11.1', '1.0.0', '1.1.1-1', '1.2.3', '1.2.6'];
    const arbCluster = fc.record({
      n: fc.nat(100_000),
      v: fc.constantFrom(...versions),
      dist: fc.constantFrom('eks', 'openshift', 'k3s'),
      online: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbCluster, { selector: (c) => c.n, maxLength: 80 }),
        fc.nat(),
        (specs, seed) => {
          const fleet = specs.map((s) =>
            cluster(`c${s.n}`, {
              distribution: s.dist,
              connectivity: s.online ? 'Connected' : 'Offline',
              extensions: s.v ? [osm(s.v)] : [],
            }),
          );
          const byId = (plan: ReturnType<typeof planPolicy>) =>
            new Map(plan.clusters.map((c) => [c.id, `${c.action}/${c.reason}/${c.wave}`]));
          const first = byId(planPolicy(policyWith(), fleet, { catalog: defaultOsmCatalog, now }));
          const shuffled = [...fleet].sort((a, b) => stableHash(a.name + seed) - stableHash(b.name + seed));
          expect(byId(planPolicy(policyWith(), shuffled, { catalog: defaultOsmCatalog, now }))).toEqual(
            first,
          );
        },
      ),
    );
  });
});
