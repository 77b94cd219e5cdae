/**
 * Prototype-pollution keys in JSON maps (tags, settings): `__proto__` is refused with a 422-class error
 * naming the field instead of vanishing from the validated copy (a lost tag selector made a policy
 * fleet-wide); `constructor` and `prototype` stay ordinary keys; nothing reaches Object.prototype.
 */
import { describe, expect, it } from 'vitest';
import { parseClusterOsmRequest } from '../../shared/domain/clusterOsmRequest.js';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { matchesTarget } from '../../shared/domain/matchesTarget.js';
import { parsePolicy } from '../../shared/domain/policy.js';

const policy = (extra: string) => JSON.parse(`{"osm":{"version":"1.2.6"${extra}}}`) as unknown;
const targetPolicy = (target: string) =>
  JSON.parse(`{"osm":{"version":"1.2.6"},"target":${target}}`) as unknown;

function detailsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.details.map((d) => d.path);
    throw err;
  }
  return [];
}

const cluster = (tags: Record<string, string>): ClusterInfo =>
  ({
    id: '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c',
    name: 'c',
    subscriptionId: '11111111-1111-4111-8111-111111111111',
    resourceGroup: 'rg',
    location: 'eastus',
    distribution: 'aks',
    connectivity: 'Connected',
    tags,
    extensions: [],
  }) as unknown as ClusterInfo;

describe('__proto__ keys', () => {
  it('a tag selector keyed __proto__ is refused, not dropped (which would target every cluster)', () => {
    expect(detailsOf(() => parsePolicy('p', targetPolicy('{"tags":{"__proto__":"prod"}}')))).toEqual([
      'target.tags.__proto__',
    ]);
    const mixed = () => parsePolicy('p', targetPolicy('{"tags":{"env":"prod","__proto__":"x"}}'));
    expect(detailsOf(mixed)).toContain('target.tags.__proto__');
  });

  it.each(['configurationSettings', 'configurationProtectedSettings'])(
    '%s keyed __proto__ is refused',
    (field) => {
      const paths = detailsOf(() => parsePolicy('p', policy(`,"${field}":{"__proto__":"v","a.b":"1"}`)));
      expect(paths).toContain(`osm.${field}.__proto__`);
    },
  );

  it('the one-off cluster request refuses __proto__ settings', () => {
    const body = JSON.parse('{"version":"1.2.6","configurationSettings":{"__proto__":"v"}}') as unknown;
    expect(detailsOf(() => parseClusterOsmRequest(body)).join()).toMatch(/__proto__/);
    const ok = JSON.parse('{"version":"1.2.6","configurationSettings":{"a":"v"}}') as unknown;
    expect(detailsOf(() => parseClusterOsmRequest(ok))).toEqual([]);
  });

  it('an object under __proto__ never reaches Object.prototype', () => {
    const body = JSON.parse(
      '{"__proto__":{"polluted":"1"},"osm":{"version":"1.2.6","__proto__":{"polluted":"2"}}}',
    ) as unknown;
    expect(detailsOf(() => parsePolicy('p', body)).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('constructor and prototype keys', () => {
  it('are kept as ordinary tag selectors and settings', () => {
    const p = parsePolicy(
      'p',
      JSON.parse(
        '{"osm":{"version":"1.2.6","configurationSettings":{"constructor":"a","prototype":"b"}},' +
          '"target":{"tags":{"constructor":"prod"}}}',
      ),
    );
    expect(Object.entries(p.osm.configurationSettings)).toEqual([
      ['constructor', 'a'],
      ['prototype', 'b'],
    ]);
    expect(matchesTarget(p.target, cluster({ constructor: 'prod' }))).toBe(true);
    expect(matchesTarget(p.target, cluster({ env: 'prod' }))).toBe(false);
    expect(matchesTarget(p.target, cluster({}))).toBe(false);
  });
});
