/**
 * The fleet manager's OSM catalog (shared/domain) and the emulator's (emulator/osmCatalog.ts) are written
 * apart on purpose; this test holds them to the same facts on every pair of versions: what the domain plans,
 * the emulator's helm accepts hop by hop, with the same CRD-step verdicts, and both refuse the same pairs.
 */
import { describe, expect, it } from 'vitest';
import * as emulator from '../../emulator/osmCatalog.js';
import { DEFAULT_OSM_CATALOG_DATA, OsmCatalog, defaultOsmCatalog } from '../../shared/domain/osmCatalog.js';
import { upgradePath } from '../../shared/domain/upgradePath.js';

/** Every ordered pair of the catalog's versions, the emulator's verdict on the direct hop beside the plan. */
function agreement(domain: OsmCatalog, versions: readonly string[]) {
  const problems: string[] = [];
  for (const from of versions)
    for (const to of versions) {
      const direct = emulator.checkUpgrade(from, to, versions);
      const plan = upgradePath(domain, from, to);
      const pair = `${from} -> ${to}`;
      if (!plan.ok) {
        const expected = plan.reason === 'DowngradeRefused' ? /downgrade/ : /major version upgrade/;
        if (!direct || !expected.test(direct))
          problems.push(`${pair}: domain ${plan.reason}, emulator ${direct ?? 'accepts'}`);
        continue;
      }
      // a single planned hop is exactly a hop the emulator accepts directly
      const single = plan.hops.length === 1;
      if (from !== to && single !== (direct === null))
        problems.push(
          `${pair}: domain plans ${plan.hops.length} hop(s), emulator ${direct ?? 'accepts it directly'}`,
        );
      for (const hop of plan.hops) {
        const verdict = emulator.checkUpgrade(hop.from, hop.to, versions);
        if (verdict !== null)
          problems.push(`${pair}: hop ${hop.from} -> ${hop.to} refused by the emulator: ${verdict}`);
        if (hop.needsCrdStep !== emulator.needsCrdStep(hop.from, hop.to))
          problems.push(`${pair}: hop ${hop.from} -> ${hop.to} needsCrdStep domain ${hop.needsCrdStep}`);
      }
    }
  return problems;
}

describe('the domain OSM catalog and the emulator agree', () => {
  it('on the published versions, their order and the latest', () => {
    expect(defaultOsmCatalog.versions()).toEqual(emulator.OSM_VERSIONS);
    expect(defaultOsmCatalog.latest()).toBe(emulator.OSM_LATEST);
    for (const v of emulator.OSM_VERSIONS)
      expect(emulator.isKnownOsmVersion(v)).toBe(defaultOsmCatalog.has(v));
  });

  it('on the settings key scheme of every version', () => {
    for (const v of emulator.OSM_VERSIONS)
      expect({ v, prefix: defaultOsmCatalog.settingsPrefix(v) }).toEqual({
        v,
        prefix: `${emulator.settingsPrefix(v)}.`,
      });
  });

  it('on every pair of published versions: refusals, single hops, each planned hop, CRD steps', () => {
    expect(agreement(defaultOsmCatalog, emulator.OSM_VERSIONS)).toEqual([]);
  });

  it('on a hypothetical 2.0.0 release: a major-version upgrade both refuse', () => {
    const versions = [...emulator.OSM_VERSIONS, '2.0.0'];
    const domain = OsmCatalog.fromData({
      ...DEFAULT_OSM_CATALOG_DATA,
      releases: [
        ...DEFAULT_OSM_CATALOG_DATA.releases,
        { version: '2.0.0', released: '2027-01-01', osm: '2.0.0' },
      ],
    });
    expect(emulator.checkUpgrade('1.2.6', '2.0.0', versions)).toMatch(/major version upgrade/);
    expect(upgradePath(domain, '1.2.6', '2.0.0')).toMatchObject({ ok: false, reason: 'MajorUpgradeRefused' });
    expect(agreement(domain, versions)).toEqual([]);
  });
});
