import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { nextScheduledRun } from '../../shared/domain/ncrontab.js';
import { parsePolicy } from '../../shared/domain/policy.js';

const SUB = '6a1b2c3d-0000-4000-8000-000000000001';
const WS = `/subscriptions/${SUB}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/fleet-ws`;
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-a/providers/Microsoft.Kubernetes/connectedClusters/shop-1`;

/** The example of API.md, verbatim in shape. */
const apiExample = () => ({
  description: 'prod meshes',
  target: {
    subscriptions: [SUB],
    resourceGroups: ['rg-a'],
    tags: { env: 'prod' },
    distributions: ['openshift', 'eks'],
    locations: ['eastus'],
    clusterNames: ['shop-*'],
    exclude: [CLUSTER],
  },
  osm: {
    version: '1.2.6',
    releaseTrain: 'stable',
    configurationSettings: { 'osm.osm.enablePermissiveTrafficPolicy': 'false' },
    configurationProtectedSettings: {},
  },
  monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WS, namespaces: ['bookstore'] },
  rollout: {
    waves: [
      { name: 'canary', count: 5, maxParallel: 5, soakMinutes: 30 },
      { name: 'rest', percent: 100, maxParallel: 200, soakMinutes: 0 },
    ],
    maxFailurePercent: 5,
    maintenanceWindow: { days: ['Sat', 'Sun'], start: '02:00', durationHours: 6, timeZone: 'UTC' },
    crdUpgrades: 'requireApproval',
    includeUnsupportedDistributions: false,
  },
  autoOnboard: true,
  schedule: '0 0 3 * * 6',
});

type Body = ReturnType<typeof apiExample> & Record<string, unknown>;

function errorOf(name: string, body: unknown): ValidationError {
  try {
    parsePolicy(name, body);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('parsePolicy', () => {
  it('accepts the API.md example and keeps every field', () => {
    const p = parsePolicy('prod', apiExample());
    expect(p.name).toBe('prod');
    expect(p.target.clusterNames).toEqual(['shop-*']);
    expect(p.osm.configurationSettings).toEqual({ 'osm.osm.enablePermissiveTrafficPolicy': 'false' });
    expect(p.rollout.waves).toHaveLength(2);
    expect(p.rollout.maintenanceWindow?.days).toEqual(['Sat', 'Sun']);
    expect(p.schedule).toBe('0 0 3 * * 6');
  });

  it('fills defaults for a minimal policy', () => {
    const p = parsePolicy('min', { osm: { version: '1.2.6' } });
    expect(p.target).toEqual({});
    expect(p.osm.releaseTrain).toBe('stable');
    expect(p.rollout.waves).toEqual([{ name: 'all', percent: 100, maxParallel: 50, soakMinutes: 0 }]);
    expect(p.rollout.crdUpgrades).toBe('requireApproval');
    expect(p.rollout.maxFailurePercent).toBe(5);
    expect(p.monitor.enabled).toBe(false);
    expect(p.autoOnboard).toBe(false);
  });

  it('normalises the release train and day names case-insensitively', () => {
    const body: Body = apiExample();
    body.osm.releaseTrain = 'Pilot';
    body.rollout.maintenanceWindow.days = ['sat', 'SUN'];
    const p = parsePolicy('prod', body);
    expect(p.osm.releaseTrain).toBe('pilot');
    expect(p.rollout.maintenanceWindow?.days).toEqual(['Sat', 'Sun']);
  });

  const bad: [string, (b: Body) => unknown, string, RegExp?][] = [
    ['unknown top-level field', (b) => ({ ...b, colour: 'blue' }), 'colour'],
    ['unknown nested field', (b) => ({ ...b, osm: { ...b.osm, verison: '1.2.6' } }), 'osm.verison'],
    ['missing osm', ({ osm: _osm, ...rest }) => rest, 'osm'],
    ['version not x.y.z', (b) => ({ ...b, osm: { ...b.osm, version: 'latest' } }), 'osm.version'],
    [
      'release train outside the four',
      (b) => ({ ...b, osm: { ...b.osm, releaseTrain: 'fast' } }),
      'osm.releaseTrain',
      /stable, staging, pilot, preview/,
    ],
    [
      'subscription not a GUID',
      (b) => ({ ...b, target: { subscriptions: ['sub-1'] } }),
      'target.subscriptions[0]',
    ],
    ['empty subscriptions list', (b) => ({ ...b, target: { subscriptions: [] } }), 'target.subscriptions'],
    [
      'exclude not a cluster ID',
      (b) => ({ ...b, target: { exclude: ['/subscriptions/x'] } }),
      'target.exclude[0]',
    ],
    [
      'setting value not a string',
      (b) => ({ ...b, osm: { ...b.osm, configurationSettings: { 'osm.osm.x': true } } }),
      'osm.configurationSettings.osm.osm.x',
      /strings/,
    ],
    [
      'setting key with spaces',
      (b) => ({ ...b, osm: { ...b.osm, configurationSettings: { 'osm osm': 'x' } } }),
      'osm.configurationSettings.osm osm',
    ],
    [
      'protected setting key with a slash',
      (b) => ({ ...b, osm: { ...b.osm, configurationProtectedSettings: { 'a/b': 'x' } } }),
      'osm.configurationProtectedSettings.a/b',
    ],
    [
      'settings over the size cap',
      (b) => ({
        ...b,
        osm: {
          ...b.osm,
          configurationSettings: Object.fromEntries(
            Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]),
          ),
        },
      }),
      'osm.configurationSettings',
      /bytes/,
    ],
    [
      'wave with count and percent',
      (b) => ({
        ...b,
        rollout: { ...b.rollout, waves: [{ name: 'a', count: 1, percent: 100, maxParallel: 1 }] },
      }),
      'rollout.waves[0]',
      /exactly one/,
    ],
    [
      'wave with maxParallel 0',
      (b) => ({ ...b, rollout: { ...b.rollout, waves: [{ name: 'a', percent: 100, maxParallel: 0 }] } }),
      'rollout.waves[0].maxParallel',
    ],
    [
      'percent going down',
      (b) => ({
        ...b,
        rollout: {
          ...b.rollout,
          waves: [
            { name: 'a', percent: 50, maxParallel: 1 },
            { name: 'b', percent: 20, maxParallel: 1 },
            { name: 'c', percent: 100, maxParallel: 1 },
          ],
        },
      }),
      'rollout.waves[1].percent',
      /cumulative/,
    ],
    [
      'last wave short of 100%',
      (b) => ({ ...b, rollout: { ...b.rollout, waves: [{ name: 'a', percent: 50, maxParallel: 1 }] } }),
      'rollout.waves[0]',
      /percent 100/,
    ],
    [
      'duplicate wave names',
      (b) => ({
        ...b,
        rollout: {
          ...b.rollout,
          waves: [
            { name: 'a', count: 1, maxParallel: 1 },
            { name: 'a', percent: 100, maxParallel: 1 },
          ],
        },
      }),
      'rollout.waves[1].name',
      /duplicate/,
    ],
    [
      'maxFailurePercent above 100',
      (b) => ({ ...b, rollout: { ...b.rollout, maxFailurePercent: 101 } }),
      'rollout.maxFailurePercent',
    ],
    [
      'maxFailurePercent negative',
      (b) => ({ ...b, rollout: { ...b.rollout, maxFailurePercent: -1 } }),
      'rollout.maxFailurePercent',
    ],
    [
      'window day not a day',
      (b) => ({
        ...b,
        rollout: { ...b.rollout, maintenanceWindow: { ...b.rollout.maintenanceWindow, days: ['Someday'] } },
      }),
      'rollout.maintenanceWindow.days[0]',
    ],
    [
      'window start 25:00',
      (b) => ({
        ...b,
        rollout: { ...b.rollout, maintenanceWindow: { ...b.rollout.maintenanceWindow, start: '25:00' } },
      }),
      'rollout.maintenanceWindow.start',
    ],
    [
      'window in an unknown time zone',
      (b) => ({
        ...b,
        rollout: {
          ...b.rollout,
          maintenanceWindow: { ...b.rollout.maintenanceWindow, timeZone: 'Mars/Olympus' },
        },
      }),
      'rollout.maintenanceWindow.timeZone',
    ],
    ['five-field cron', (b) => ({ ...b, schedule: '0 3 * * 6' }), 'schedule', /six-field/],
    ['cron with second 61', (b) => ({ ...b, schedule: '61 0 3 * * 6' }), 'schedule'],
    ['cron that never fires', (b) => ({ ...b, schedule: '0 0 0 31 2 *' }), 'schedule', /never fires/],
    [
      'cluster-name glob over 63 characters',
      (b) => ({ ...b, target: { clusterNames: [`${'*?'.repeat(32)}`] } }),
      'target.clusterNames[0]',
      /at most 63 characters/,
    ],
    [
      'more than 100 cluster-name globs',
      (b) => ({ ...b, target: { clusterNames: Array.from({ length: 101 }, (_, i) => `c-${i}-*`) } }),
      'target.clusterNames',
      /at most 100 globs/,
    ],
    [
      'monitor on without workspace',
      (b) => ({ ...b, monitor: { enabled: true } }),
      'monitor.logAnalyticsWorkspaceResourceId',
    ],
    [
      'workspace ID of another type',
      (b) => ({ ...b, monitor: { enabled: true, logAnalyticsWorkspaceResourceId: CLUSTER } }),
      'monitor.logAnalyticsWorkspaceResourceId',
    ],
    [
      'namespace with upper case',
      (b) => ({ ...b, monitor: { ...b.monitor, namespaces: ['BookStore'] } }),
      'monitor.namespaces[0]',
    ],
    [
      'crdUpgrades outside the enum',
      (b) => ({ ...b, rollout: { ...b.rollout, crdUpgrades: 'always' } }),
      'rollout.crdUpgrades',
    ],
    ['autoOnboard as a string', (b) => ({ ...b, autoOnboard: 'yes' }), 'autoOnboard'],
    ['body name differs from URL', (b) => ({ ...b, name: 'other' }), 'name'],
    ['body not an object', () => 42, '(body)'],
  ];

  it.each(bad)('refuses %s, naming the field', (_what, mutate, path, message) => {
    const err = errorOf('prod', mutate(apiExample()));
    expect(err.code).toBe('InvalidPolicy');
    expect(err.details.map((d) => d.path)).toContain(path);
    expect(err.message).toContain(err.details[0]!.path);
    if (message) expect(err.details.find((d) => d.path === path)?.message).toMatch(message);
  });

  it.each(['Prod', '-prod', 'prod_1', 'a'.repeat(64), ''])('refuses the policy name %j', (name) => {
    expect(errorOf(name, apiExample()).details[0]?.path).toBe('name');
  });

  it('refuses a version the catalog does not know, when told how to check', () => {
    expect(() =>
      parsePolicy('p', { osm: { version: '1.3.0' } }, { isKnownVersion: (v) => v === '1.2.6' }),
    ).toThrow(/osm.version: 1.3.0 is not a published Arc OSM extension version/);
  });

  it('computes the next run of a six-field NCRONTAB schedule in UTC', () => {
    expect(nextScheduledRun('0 0 3 * * 6', new Date('2026-11-25T12:00:00Z'))?.toISOString()).toBe(
      '2026-11-28T03:00:00.000Z',
    );
    expect(nextScheduledRun('0 */5 * * * *', new Date('2026-11-25T12:01:00Z'))?.toISOString()).toBe(
      '2026-11-25T12:05:00.000Z',
    );
  });
});
