import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OsmCatalogData } from '../../shared/domain/osmCatalog.js';
import {
  DEFAULT_OSM_CATALOG_DATA,
  OsmCatalog,
  defaultOsmCatalog as cat,
} from '../../shared/domain/osmCatalog.js';
import type { UpgradePathResult } from '../../shared/domain/upgradePath.js';
import { upgradePath } from '../../shared/domain/upgradePath.js';

/** `a>b!` = hop a -> b with the manual CRD step, `a>b*` = CRD change without it, `a>b` = neither. */
const show = (r: UpgradePathResult) =>
  r.ok ? r.hops.map((h) => `${h.from}>${h.to}${h.needsCrdStep ? '!' : h.changesCrds ? '*' : ''}`) : r.reason;

describe('upgradePath over the Arc extension catalog', () => {
  it.each<[string, string, string[] | string]>([
    [
      '0.8.4',
      '1.2.6',
      ['0.8.4>0.9.2!', '0.9.2>0.11.1!', '0.11.1>1.0.0-1', '1.0.0-1>1.1.1-1*', '1.1.1-1>1.2.6*'],
    ],
    ['0.8.2', '0.9.2', ['0.8.2>0.9.2!']],
    ['0.8.2', '0.11.1', ['0.8.2>0.9.2!', '0.9.2>0.11.1!']],
    ['0.9.2', '1.2.6', ['0.9.2>0.11.1!', '0.11.1>1.0.0-1', '1.0.0-1>1.1.1-1*', '1.1.1-1>1.2.6*']],
    ['0.9.0', '0.11.1', ['0.9.0>0.11.1!']], // no detour through 0.9.2 first
    ['0.9.2', '0.11.1', ['0.9.2>0.11.1!']],
    ['0.11.1', '1.0.0', ['0.11.1>1.0.0']], // 0.x -> 1.0 is a minor step, no CRD change
    ['0.11.1', '1.1.1', ['0.11.1>1.0.0-1', '1.0.0-1>1.1.1*']],
    ['1.0.0', '1.0.0-1', ['1.0.0>1.0.0-1']], // a rebuild is an upgrade
    ['1.1.1', '1.1.1-1', ['1.1.1>1.1.1-1']],
    ['1.2.3', '1.2.6', ['1.2.3>1.2.6']],
    ['0.8.2', '0.8.4', ['0.8.2>0.8.4']],
    ['1.0.0', '1.2.3', ['1.0.0>1.1.1-1*', '1.1.1-1>1.2.3*']], // the last hop lands on the older patch
    [
      '0.8.2',
      '1.2.3',
      ['0.8.2>0.9.2!', '0.9.2>0.11.1!', '0.11.1>1.0.0-1', '1.0.0-1>1.1.1-1*', '1.1.1-1>1.2.3*'],
    ],
    ['1.2.6', '1.2.6', []],
    ['v1.2.6', '1.2.6', []],
    ['1.0.0-1', '1.0.0', 'DowngradeRefused'],
    ['1.2.6', '1.2.3', 'DowngradeRefused'],
    ['1.0.0', '0.11.1', 'DowngradeRefused'],
    ['0.10.0', '1.2.6', 'UnknownInstalledVersion'],
    ['1.2.4', '1.2.6', 'UnknownInstalledVersion'],
    ['garbage', '1.2.6', 'UnknownInstalledVersion'],
    ['1.2.3', '1.3.0', 'UnknownTargetVersion'],
    ['1.2.3', 'latest', 'UnknownTargetVersion'],
  ])('%s -> %s', (from, to, expected) => {
    expect(show(upgradePath(cat, from, to))).toEqual(expected);
  });

  it('messages name the versions', () => {
    const cases: [string, string, RegExp][] = [
      ['1.0.0-1', '1.0.0', /1\.0\.0 .*1\.0\.0-1/],
      ['0.10.0', '1.2.6', /0\.10\.0/],
      ['1.2.3', '9.9.9', /9\.9\.9/],
    ];
    for (const [from, to, msg] of cases) {
      const r = upgradePath(cat, from, to);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(msg);
    }
  });

  it('path versions come back in the catalog spelling', () => {
    expect(upgradePath(cat, ' V1.2.3', 'v1.2.6')).toEqual({
      ok: true,
      hops: [{ from: '1.2.3', to: '1.2.6', changesCrds: false, needsCrdStep: false }],
    });
  });
});

const withReleases = (...more: [string, string, string?][]): OsmCatalog => {
  const d = JSON.parse(JSON.stringify(DEFAULT_OSM_CATALOG_DATA)) as OsmCatalogData;
  for (const [version, released, minor] of more) {
    d.releases.push({ version, released, osm: version.replace(/-\d+$/, '') });
    if (minor) d.crdChangingMinors.push(minor);
  }
  return OsmCatalog.fromData(d);
};

describe('upgradePath over a catalog from data', () => {
  const next = withReleases(['1.3.0', '2025-01-10', '1.3'], ['2.0.0', '2025-06-01', '2.0']);

  it('routes through a new release with no code change', () => {
    expect(show(upgradePath(next, '1.1.1', '1.3.0'))).toEqual(['1.1.1>1.2.6*', '1.2.6>1.3.0*']);
  });

  it.each(['1.2.6', '0.9.2'])(
    'refuses a major jump %s -> 2.0.0 unless allowed, then one reinstall hop',
    (from) => {
      const refused = upgradePath(next, from, '2.0.0');
      expect(refused).toMatchObject({ ok: false, reason: 'MajorUpgradeRefused' });
      if (!refused.ok) expect(refused.message).toContain(`${from} -> 2.0.0`);
      const allowed = upgradePath(next, from, '2.0.0', { allowMajorUpgrade: true });
      expect(allowed.ok && allowed.hops).toEqual([
        {
          from,
          to: '2.0.0',
          changesCrds: true,
          needsCrdStep: from === '0.9.2',
          reinstall: true,
        },
      ]);
    },
  );

  it('allowMajorUpgrade changes nothing for ordinary paths', () => {
    expect(upgradePath(next, '0.11.1', '1.0.0', { allowMajorUpgrade: true })).toEqual(
      upgradePath(next, '0.11.1', '1.0.0'),
    );
  });
});

describe('upgradePath properties', () => {
  const catalogs = [cat, withReleases(['1.1.4', '2023-04-20'], ['1.3.0', '2025-01-10', '1.3'])];
  // Counterexamples print as [catalogIndex, from, to].
  const arb = fc
    .constantFrom(0, 1)
    .chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.constantFrom(...catalogs[n]!.versions()),
        fc.constantFrom(...catalogs[n]!.versions()),
      ),
    );

  it('never goes down, never skips a published line, ends on the target', () => {
    fc.assert(
      fc.property(arb, ([n, from, to]) => {
        const c = catalogs[n]!;
        const r = upgradePath(c, from, to);
        const order = c.compare(from, to);
        if (order > 0) return !r.ok && r.reason === 'DowngradeRefused';
        if (!r.ok) return false;
        if (order === 0) return r.hops.length === 0;
        let at = from;
        for (const h of r.hops) {
          if (h.from !== at || c.compare(h.from, h.to) >= 0) return false;
          const [a, b] = [c.minorLine(h.from), c.minorLine(h.to)];
          if (a !== b && c.nextLine(a) !== b) return false;
          if (h.needsCrdStep && !h.changesCrds) return false;
          if (!c.has(h.to)) return false;
          at = h.to;
        }
        return at === to;
      }),
    );
  });

  it('stops only at the newest version of each line in between', () => {
    fc.assert(
      fc.property(arb, ([n, from, to]) => {
        const c = catalogs[n]!;
        const r = upgradePath(c, from, to);
        if (!r.ok) return true;
        return r.hops.slice(0, -1).every((h) => c.latestInLine(c.minorLine(h.to)) === h.to);
      }),
    );
  });
});
