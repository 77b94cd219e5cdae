import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { defaultOsmCatalog as catalog } from '../../shared/domain/osmCatalog.js';
import type { SettingsMergeInput } from '../../shared/domain/settingsMerge.js';
import { mergeSettings, translateKey } from '../../shared/domain/settingsMerge.js';

const OLD = 'osm.OpenServiceMesh.';
const NEW = 'osm.osm.';
const merge = (i: Partial<SettingsMergeInput>) =>
  mergeSettings({
    current: {},
    currentVersion: '1.2.3',
    desired: {},
    targetVersion: '1.2.6',
    distribution: 'aks',
    catalog,
    ...i,
  });

describe('translateKey', () => {
  it.each([
    [`${OLD}envoyLogLevel`, '1.2.6', `${NEW}envoyLogLevel`],
    [`${NEW}envoyLogLevel`, '0.11.1', `${OLD}envoyLogLevel`],
    [`${OLD}tracing.address`, '0.9.2', `${OLD}tracing.address`],
    [`${NEW}certificateProvider.kind`, '1.0.0-1', `${NEW}certificateProvider.kind`],
    ['team.owner', '1.2.6', 'team.owner'],
    ['osm.OpenServiceMesh', '1.2.6', 'osm.OpenServiceMesh'], // no dot: not under the prefix
    ['osm.openservicemesh.x', '1.2.6', 'osm.openservicemesh.x'], // Helm keys are case-sensitive
  ])('%s for %s -> %s', (key, v, out) => expect(translateKey(catalog, key, v)).toBe(out));

  it('refuses a malformed target version', () => {
    expect(() => translateKey(catalog, 'a', 'latest')).toThrow(ValidationError);
  });
});

describe('mergeSettings', () => {
  it('0.8.4 -> 1.2.6 translates every OSM key, keeps the rest, overlays the policy', () => {
    const m = merge({
      currentVersion: '0.8.4',
      current: {
        [`${OLD}enablePermissiveTrafficPolicy`]: 'true',
        [`${OLD}envoyLogLevel`]: 'debug',
        [`${OLD}tracing.enable`]: 'true',
        'custom.handSet': 'yes',
      },
      desired: { [`${NEW}enablePermissiveTrafficPolicy`]: 'false' },
    });
    expect(m.settings).toEqual({
      [`${NEW}enablePermissiveTrafficPolicy`]: 'false',
      [`${NEW}envoyLogLevel`]: 'debug',
      [`${NEW}tracing.enable`]: 'true',
      'custom.handSet': 'yes',
    });
    expect(m.changes).toEqual([
      { key: `${NEW}enablePermissiveTrafficPolicy`, from: 'true', to: 'false', origin: 'policy' },
      { key: `${NEW}envoyLogLevel`, from: 'debug', to: 'debug', origin: 'translated' },
      { key: `${NEW}tracing.enable`, from: 'true', to: 'true', origin: 'translated' },
    ]);
    expect(m.drift).toEqual([
      { key: `${NEW}enablePermissiveTrafficPolicy`, current: 'true', desired: 'false' },
    ]);
    expect(m.renamed.map((r) => r.from)).toEqual([
      `${OLD}enablePermissiveTrafficPolicy`,
      `${OLD}envoyLogLevel`,
      `${OLD}tracing.enable`,
    ]);
    expect(m.collisions).toEqual([]);
  });

  it('a policy written in the old scheme lands in the new one', () => {
    const m = merge({ desired: { [`${OLD}envoyLogLevel`]: 'warn' } });
    expect(m.settings).toEqual({ [`${NEW}envoyLogLevel`]: 'warn' });
    expect(m.changes).toEqual([{ key: `${NEW}envoyLogLevel`, from: null, to: 'warn', origin: 'policy' }]);
  });

  it('translates back to the old scheme for a 0.x target', () => {
    const m = merge({
      currentVersion: null,
      targetVersion: '0.11.1',
      desired: { [`${NEW}envoyLogLevel`]: 'warn' },
    });
    expect(m.settings).toEqual({ [`${OLD}envoyLogLevel`]: 'warn' });
  });

  it('preserves hand-set keys and reports no change when already in line', () => {
    const current = { [`${NEW}envoyLogLevel`]: 'error', 'my.own': 'x', [`${NEW}featureFlags.x`]: 'true' };
    const m = merge({ current, desired: { [`${NEW}envoyLogLevel`]: 'error' } });
    expect(m.settings).toEqual(current);
    expect(m).toMatchObject({ changes: [], drift: [], renamed: [] });
  });

  it('reports settings changed out of band as drift and sets them back', () => {
    const m = merge({
      current: { [`${NEW}envoyLogLevel`]: 'debug', [`${NEW}enableDebugServer`]: 'false' },
      desired: { [`${NEW}envoyLogLevel`]: 'error', [`${NEW}enableDebugServer`]: 'false' },
    });
    expect(m.drift).toEqual([{ key: `${NEW}envoyLogLevel`, current: 'debug', desired: 'error' }]);
    expect(m.changes).toEqual([{ key: `${NEW}envoyLogLevel`, from: 'debug', to: 'error', origin: 'policy' }]);
    expect(m.settings[`${NEW}envoyLogLevel`]).toBe('error');
  });

  it('a key the policy sets but the cluster lacks is a change, not drift', () => {
    const m = merge({ desired: { [`${NEW}envoyLogLevel`]: 'error' } });
    expect(m.drift).toEqual([]);
    expect(m.changes).toHaveLength(1);
  });

  it.each([
    ['1.2.6', 'OpenShift', {}, `${NEW}enablePrivilegedInitContainer`, 'forced'],
    ['0.11.1', 'openshift', {}, `${OLD}enablePrivilegedInitContainer`, 'forced'],
    ['1.2.6', ' OPENSHIFT', { [`${NEW}enablePrivilegedInitContainer`]: 'false' }, `${NEW}enablePrivilegedInitContainer`, 'forced'],
    ['0.9.2', 'openshift', { [`${NEW}enablePrivilegedInitContainer`]: 'false' }, `${OLD}enablePrivilegedInitContainer`, 'forced'],
    ['1.2.6', 'openshift', { [`${OLD}enablePrivilegedInitContainer`]: 'true' }, `${NEW}enablePrivilegedInitContainer`, 'policy'],
  ])('OpenShift, target %s (%j), policy %j: forces %s=true (%s)', (targetVersion, distribution, desired, key, origin) => {
    const m = merge({ currentVersion: null, targetVersion, distribution, desired });
    expect(m.settings).toEqual({ [key]: 'true' });
    expect(m.changes).toEqual([{ key, from: null, to: 'true', origin }]);
  }); // prettier-ignore

  it('OpenShift: a cluster set to false out of band is drift, forced back', () => {
    const key = `${NEW}enablePrivilegedInitContainer`;
    const m = merge({ distribution: 'openshift', current: { [key]: 'false' } });
    expect(m.changes).toEqual([{ key, from: 'false', to: 'true', origin: 'forced' }]);
    expect(m.drift).toEqual([{ key, current: 'false', desired: 'true' }]);
  });

  it('OpenShift across the rename: the old key is translated, not duplicated', () => {
    const m = merge({
      distribution: 'openshift',
      currentVersion: '0.11.1',
      current: { [`${OLD}enablePrivilegedInitContainer`]: 'true' },
    });
    expect(m.settings).toEqual({ [`${NEW}enablePrivilegedInitContainer`]: 'true' });
    expect(m.changes).toEqual([
      { key: `${NEW}enablePrivilegedInitContainer`, from: 'true', to: 'true', origin: 'translated' },
    ]);
  });

  it('non-OpenShift clusters get no forced key', () => {
    expect(merge({ distribution: 'openshift-like' }).settings).toEqual({});
  });

  it.each([
    ['0.11.1', 'old', `${OLD}x`],
    ['1.0.0', 'new', `${NEW}x`],
    [null, 'new', `${NEW}x`],
  ])(
    'both schemes on the cluster (installed %s): the key in effect wins (%s)',
    (currentVersion, value, kept) => {
      const current = { [`${OLD}x`]: 'old', [`${NEW}x`]: 'new' };
      const m = merge({ currentVersion, current });
      expect(m.settings).toEqual({ [`${NEW}x`]: value });
      const dropped = kept === `${OLD}x` ? `${NEW}x` : `${OLD}x`;
      expect(m.collisions).toEqual([
        { key: `${NEW}x`, kept, dropped, droppedValue: value === 'old' ? 'new' : 'old' },
      ]);
    },
  );

  it('a policy with both schemes: the target-scheme key wins', () => {
    const m = merge({ desired: { [`${OLD}x`]: 'a', [`${NEW}x`]: 'b' } });
    expect(m.settings).toEqual({ [`${NEW}x`]: 'b' });
  });

  it('refuses a malformed target version, tolerates a malformed current version', () => {
    expect(() => merge({ targetVersion: 'latest' })).toThrow(ValidationError);
    expect(merge({ currentVersion: 'unknown', current: { a: 'b' } }).settings).toEqual({ a: 'b' });
  });
});

describe('mergeSettings properties', () => {
  const leaf = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9.]{0,12}$/);
  const key = fc.oneof(
    leaf.map((l) => OLD + l),
    leaf.map((l) => NEW + l),
    fc.string({ maxLength: 20 }),
  );
  const settings = fc.dictionary(key, fc.string({ maxLength: 8 }), { maxKeys: 12 });
  const version = fc.constantFrom(...catalog.versions());
  const input = fc.record({
    current: settings,
    desired: settings,
    currentVersion: fc.option(version),
    targetVersion: version,
    distribution: fc.constantFrom('openshift', 'OpenShift', 'aks', 'eks', 'k3s'),
  });

  it('never loses a pre-existing key; every sent key comes from the cluster, the policy or OpenShift', () => {
    fc.assert(
      fc.property(input, (i) => {
        const m = mergeSettings({ ...i, catalog });
        const t = (k: string) => translateKey(catalog, k, i.targetVersion);
        for (const k of Object.keys(i.current)) if (!Object.hasOwn(m.settings, t(k))) return false;
        for (const k of Object.keys(i.desired)) if (!Object.hasOwn(m.settings, t(k))) return false;
        const known = new Set([...Object.keys(i.current), ...Object.keys(i.desired)].map(t));
        const forced = `${catalog.settingsPrefix(i.targetVersion)}enablePrivilegedInitContainer`;
        return Object.keys(m.settings).every((k) => known.has(k) || k === forced);
      }),
    );
  });

  it('changes are exactly the sent keys whose value differs from the cluster; merging twice changes nothing', () => {
    fc.assert(
      fc.property(input, (i) => {
        const m = mergeSettings({ ...i, catalog });
        const differing = Object.entries(m.settings).filter(
          ([k, v]) => !Object.hasOwn(i.current, k) || i.current[k] !== v,
        );
        expect(m.changes.map((c) => c.key).sort()).toEqual(differing.map(([k]) => k).sort());
        const again = mergeSettings({ ...i, current: m.settings, currentVersion: i.targetVersion, catalog });
        expect(again.settings).toEqual(m.settings);
        expect(again.changes).toEqual([]);
        expect(again.drift).toEqual([]);
      }),
    );
  });
});
