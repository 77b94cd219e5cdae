import { describe, expect, it } from 'vitest';
import { defaultOsmCatalog as catalog } from '../../shared/domain/osmCatalog.js';
import { desiredOsmExtension, osmExtensionSatisfies } from '../../shared/domain/desiredOsmExtension.js';
import { osm } from '../domain/fixtures.js';
import { SECRET, WORKSPACE, testPolicy } from '../fakes/clusterRows.js';

const OLD = 'osm.OpenServiceMesh.';
const NEW = 'osm.osm.';
const handSet = {
  [`${OLD}envoyLogLevel`]: 'debug',
  [`${OLD}enableEgress`]: 'true',
  'custom.owner': 'team-a',
};
const plain = testPolicy({ osm: { version: '1.2.6', configurationSettings: {} } });
const monitored = testPolicy({
  osm: { version: '1.2.6', configurationSettings: {} },
  monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WORKSPACE },
});

describe('desiredOsmExtension', () => {
  it.each([
    // [from, to, distribution, policy, expected settings]
    ['0.8.4', '0.9.2', 'eks', plain, { ...handSet }],
    [
      '0.11.1',
      '1.0.0-1',
      'eks',
      plain,
      { [`${NEW}envoyLogLevel`]: 'debug', [`${NEW}enableEgress`]: 'true', 'custom.owner': 'team-a' },
    ],
    [
      '0.11.1',
      '1.0.0-1',
      'openshift',
      plain,
      {
        [`${NEW}envoyLogLevel`]: 'debug',
        [`${NEW}enableEgress`]: 'true',
        'custom.owner': 'team-a',
        [`${NEW}enablePrivilegedInitContainer`]: 'true',
      },
    ],
    ['0.9.2', '0.11.1', 'OpenShift', plain, { ...handSet, [`${OLD}enablePrivilegedInitContainer`]: 'true' }],
    ['0.9.2', '0.11.1', 'eks', monitored, { ...handSet, [`${OLD}enablePrometheusScraping`]: 'true' }],
    [
      '1.1.1-1',
      '1.2.6',
      'eks',
      monitored,
      {
        [`${NEW}envoyLogLevel`]: 'debug',
        [`${NEW}enableEgress`]: 'true',
        'custom.owner': 'team-a',
        [`${NEW}enablePrometheusScraping`]: 'true',
      },
    ],
  ])('%s -> %s on %s', (from, to, distribution, policy, settings) => {
    const current = from.startsWith('1.')
      ? osm(from, Object.fromEntries(Object.entries(handSet).map(([k, v]) => [k.replace(OLD, NEW), v])))
      : osm(from, handSet);
    const { desired } = desiredOsmExtension({ policy, current, targetVersion: to, distribution, catalog });
    expect(desired.configurationSettings).toEqual(settings);
    expect(desired).toMatchObject({
      extensionType: 'Microsoft.openservicemesh',
      version: to,
      autoUpgradeMinorVersion: false,
      releaseTrain: 'stable',
      releaseNamespace: 'arc-osm-system',
    });
  });

  it('policy settings overlay the current ones; OpenShift wins over a policy "false"', () => {
    const policy = testPolicy({
      osm: {
        version: '1.2.6',
        configurationSettings: {
          [`${OLD}envoyLogLevel`]: 'info',
          [`${NEW}enablePrivilegedInitContainer`]: 'false',
        },
      },
    });
    const { desired } = desiredOsmExtension({
      policy,
      current: osm('1.1.1-1', { [`${NEW}envoyLogLevel`]: 'debug' }),
      targetVersion: '1.2.6',
      distribution: 'openshift',
      catalog,
    });
    expect(desired.configurationSettings).toEqual({
      [`${NEW}envoyLogLevel`]: 'info',
      [`${NEW}enablePrivilegedInitContainer`]: 'true',
    });
  });

  it('an install sends the policy settings and the protected settings from the snapshot', () => {
    const { desired } = desiredOsmExtension({
      policy: testPolicy(),
      current: undefined,
      targetVersion: '1.2.6',
      distribution: 'eks',
      catalog,
    });
    expect(desired.configurationSettings).toEqual({ [`${NEW}envoyLogLevel`]: 'warning' });
    expect(desired.configurationProtectedSettings).toEqual({ [`${NEW}secretThing`]: SECRET });
  });

  it('osmExtensionSatisfies: at the target, pinned, provisioned, nothing to change', () => {
    const want = (ext = osm('1.2.6', { [`${NEW}envoyLogLevel`]: 'warning' })) =>
      desiredOsmExtension({
        policy: testPolicy(),
        current: ext,
        targetVersion: '1.2.6',
        distribution: 'eks',
        catalog,
      });
    const ok = osm('1.2.6', { [`${NEW}envoyLogLevel`]: 'warning' });
    expect(osmExtensionSatisfies(ok, want(ok))).toBe(true);
    const drifted = osm('1.2.6', { [`${NEW}envoyLogLevel`]: 'debug' });
    expect(osmExtensionSatisfies(drifted, want(drifted))).toBe(false);
    const unpinned = { ...ok, autoUpgradeMinorVersion: true };
    expect(osmExtensionSatisfies(unpinned, want(unpinned))).toBe(false);
    const behind = osm('1.1.1-1', { [`${NEW}envoyLogLevel`]: 'warning' });
    expect(osmExtensionSatisfies(behind, want(behind))).toBe(false);
    const failed = { ...ok, provisioningState: 'Failed' };
    expect(osmExtensionSatisfies(failed, want(failed))).toBe(false);
    expect(osmExtensionSatisfies(undefined, want())).toBe(false);
  });
});
