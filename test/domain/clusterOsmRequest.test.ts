import { describe, expect, it } from 'vitest';
import { parseClusterPath } from '../../shared/domain/armId.js';
import { parseClusterOsmRequest } from '../../shared/domain/clusterOsmRequest.js';
import { ValidationError } from '../../shared/domain/errors.js';

const SUB = '6a1b2c3d-0000-4000-8000-00000000000a';

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('parseClusterOsmRequest', () => {
  it.each([
    [{ policy: 'prod' }, { policy: 'prod' }],
    [{ version: '1.2.6' }, { version: '1.2.6' }],
    [
      {
        version: '1.0.0-1',
        releaseTrain: 'Stable',
        crdUpgrades: 'allow',
        configurationSettings: { 'a.b': 'c' },
      },
      {
        version: '1.0.0-1',
        releaseTrain: 'Stable',
        crdUpgrades: 'allow',
        configurationSettings: { 'a.b': 'c' },
      },
    ],
    [
      { version: '1.2.6', includeUnsupportedDistributions: true },
      { version: '1.2.6', includeUnsupportedDistributions: true },
    ],
    // the deprecated spelling means the same
    [
      { version: '1.2.6', includeUnsupportedDistribution: true },
      { version: '1.2.6', includeUnsupportedDistributions: true },
    ],
    [
      { version: '1.2.6', includeUnsupportedDistribution: false, includeUnsupportedDistributions: false },
      { version: '1.2.6', includeUnsupportedDistributions: false },
    ],
  ])('%j -> %j', (body, expected) => {
    expect(parseClusterOsmRequest(body)).toEqual(expected);
  });

  it.each([
    [{ policy: 'prod', version: '1.2.6' }, 'policy'],
    [{}, '(body)'],
    [null, '(body)'],
    [[], '(body)'],
    ['1.2.6', '(body)'],
    [{ version: '1.2' }, 'version'],
    [{ version: '1.2.6', releaseTrain: 'nightly' }, 'releaseTrain'],
    [{ version: '1.2.6', crdUpgrades: 'sometimes' }, 'crdUpgrades'],
    [{ version: '1.2.6', includeUnsupportedDistributions: 'yes' }, 'includeUnsupportedDistributions'],
    [
      { version: '1.2.6', includeUnsupportedDistribution: true, includeUnsupportedDistributions: false },
      'includeUnsupportedDistribution',
    ],
    [{ version: '1.2.6', configurationSettings: { a: true } }, 'configurationSettings.a'],
    [{ version: '1.2.6', extra: 1 }, 'extra'],
    [{ policy: 'Not A Name' }, 'policy'],
    [{ policy: 'prod', crdUpgrades: 'allow' }, 'crdUpgrades'],
  ])('%j is refused, naming %s', (body, path) => {
    const err = refusal(() => parseClusterOsmRequest(body));
    expect(err.code).toBe('InvalidRequest');
    expect(err.details[0]?.path).toBe(path);
  });
});

describe('parseClusterPath', () => {
  it('takes a subscription GUID, a resource group and a cluster name as ARM allows them', () => {
    expect(parseClusterPath({ sub: SUB, rg: 'rg-a.b_(1)', name: 'c1-x_y.z' })).toEqual({
      subscriptionId: SUB,
      resourceGroup: 'rg-a.b_(1)',
      name: 'c1-x_y.z',
    });
  });

  it.each([
    [{ sub: 'not-a-guid', rg: 'rg', name: 'c' }, ['subscriptionId']],
    [{ sub: SUB, rg: 'rg.', name: 'c' }, ['resourceGroup']], // a resource group may not end with a period
    [{ sub: SUB, rg: 'r'.repeat(91), name: 'c' }, ['resourceGroup']],
    [{ sub: SUB, rg: 'rg', name: '-c' }, ['clusterName']],
    [{ sub: SUB, rg: 'rg', name: 'c'.repeat(64) }, ['clusterName']],
    [{ sub: SUB, rg: 'rg', name: 'c/d' }, ['clusterName']],
    [{}, ['subscriptionId', 'resourceGroup', 'clusterName']],
  ])('%j is refused with InvalidPathParameter naming %j', (params, paths) => {
    const err = refusal(() => parseClusterPath(params));
    expect(err.code).toBe('InvalidPathParameter');
    expect(err.details.map((d) => d.path)).toEqual(paths);
  });

  it('accepts the longest names ARM allows (90-character group, 63-character cluster)', () => {
    expect(parseClusterPath({ sub: SUB, rg: 'r'.repeat(90), name: 'c'.repeat(63) }).name).toHaveLength(63);
  });
});
