import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import type { OsmCatalogData } from '../../shared/domain/osmCatalog.js';
import {
  DEFAULT_OSM_CATALOG_DATA,
  OsmCatalog,
  defaultOsmCatalog as cat,
} from '../../shared/domain/osmCatalog.js';

const data = (): OsmCatalogData => JSON.parse(JSON.stringify(DEFAULT_OSM_CATALOG_DATA)) as OsmCatalogData;

describe('default OSM catalog', () => {
  it('lists the Arc extension versions in release order, rebuilds after their base', () => {
    expect(cat.versions()).toEqual([
      '0.8.2', '0.8.3', '0.8.4', '0.9.0', '0.9.1', '0.9.2', '0.11.1',
      '1.0.0', '1.0.0-1', '1.1.1', '1.1.1-1', '1.2.3', '1.2.6',
    ]); // prettier-ignore
    expect(cat.latest()).toBe('1.2.6');
  });

  it('has published lines only (no 0.10 for Arc)', () => {
    expect(cat.lines()).toEqual(['0.8', '0.9', '0.11', '1.0', '1.1', '1.2']);
    expect(cat.nextLine('0.9')).toBe('0.11');
    expect(cat.nextLine('0.10')).toBe('0.11');
    expect(cat.nextLine('1.2')).toBeUndefined();
  });

  it.each([
    ['0.8', '0.8.4'],
    ['0.9', '0.9.2'],
    ['0.10', undefined],
    ['0.11', '0.11.1'],
    ['1.0', '1.0.0-1'],
    ['1.1', '1.1.1-1'],
    ['1.2', '1.2.6'],
  ])('latestInLine(%s) = %s', (line, v) => expect(cat.latestInLine(line)).toBe(v));

  it.each([
    ['1.0.0', '1.0.0-1', -1],
    ['1.0.0-1', '1.0.0', 1],
    ['1.0.0-1', '1.1.1', -1],
    ['1.1.1-1', '1.2.3', -1],
    ['0.9.2', '0.11.1', -1],
    ['0.11.1', '1.0.0', -1],
    ['v1.2.6', '1.2.6', 0],
    ['1.2.3', '1.2.6', -1],
    ['0.10.0', '0.9.2', 1], // well-formed but unpublished versions still compare
  ])('compare(%s, %s) = %i', (a, b, r) => expect(cat.compare(a, b)).toBe(r));

  it('compare refuses malformed versions with a ValidationError', () => {
    expect(() => cat.compare('latest', '1.2.6')).toThrow(ValidationError);
    expect(() => cat.compare('1.2.6-beta', '1.2.6')).toThrow(/1\.2\.6-beta/);
  });

  it.each([
    ['1.2.6', '1.2.6'],
    [' v1.2.6 ', '1.2.6'],
    ['V1.0.0-1', '1.0.0-1'],
    ['1.0.0-2', undefined],
    ['0.10.0', undefined],
    ['1.2.4', undefined], // upstream release never shipped as an Arc extension
    ['', undefined],
    ['1.2', undefined],
  ])('normalize(%j) = %s', (v, n) => {
    expect(cat.normalize(v)).toBe(n);
    expect(cat.has(v)).toBe(n !== undefined);
  });

  it('knows major, minor line and the release data', () => {
    expect(cat.major('0.11.1')).toBe(0);
    expect(cat.major('1.0.0-1')).toBe(1);
    expect(cat.minorLine('1.0.0-1')).toBe('1.0');
    expect(cat.release('1.0.0-1')).toEqual({ version: '1.0.0-1', released: '2022-03-24', osm: '1.0.0' });
    expect(cat.release('9.9.9')).toBeUndefined();
  });

  it.each([
    ['0.11.1', 'osm.OpenServiceMesh.'],
    ['0.8.2', 'osm.OpenServiceMesh.'],
    ['1.0.0', 'osm.osm.'],
    ['1.0.0-1', 'osm.osm.'],
    ['1.2.6', 'osm.osm.'],
    ['1.3.0', 'osm.osm.'], // unpublished but well-formed: the scheme still follows from the version
  ])('settingsPrefix(%s) = %s', (v, p) => expect(cat.settingsPrefix(v)).toBe(p));

  it.each([
    ['0.8.4', '0.9.2', true, true],
    ['0.9.2', '0.11.1', true, true],
    ['0.11.1', '1.0.0', false, false],
    ['1.0.0-1', '1.1.1-1', true, false],
    ['1.1.1-1', '1.2.6', true, false],
    ['1.0.0', '1.0.0-1', false, false],
    ['1.2.3', '1.2.6', false, false],
    ['0.8.2', '0.8.4', false, false],
  ])('CRD rules for %s -> %s: changes %s, manual step %s', (a, b, changes, step) => {
    expect(cat.changesCrds(a, b)).toBe(changes);
    expect(cat.needsCrdStep(a, b)).toBe(step);
  });
});

describe('OsmCatalog.fromData', () => {
  it('takes a new release with a CRD change from data alone', () => {
    const d = data();
    d.releases.push({ version: '1.3.0', released: '2025-01-10', osm: '1.3.0' });
    d.crdChangingMinors.push('1.3');
    const c = OsmCatalog.fromData(d);
    expect(c.latest()).toBe('1.3.0');
    expect(c.lines().at(-1)).toBe('1.3');
    expect(c.changesCrds('1.2.6', '1.3.0')).toBe(true);
    expect(c.needsCrdStep('1.2.6', '1.3.0')).toBe(false);
    expect(cat.has('1.3.0')).toBe(false); // the default catalog is untouched
  });

  it('does not share or expose mutable data', () => {
    const d = data();
    const c = OsmCatalog.fromData(d);
    d.releases.push({ version: '1.3.0', released: '2025-01-10', osm: '1.3.0' });
    expect(c.has('1.3.0')).toBe(false);
    expect(Object.isFrozen(c.data)).toBe(true);
  });

  const broken: [string, (d: OsmCatalogData) => void, RegExp][] = [
    ['no releases', (d) => (d.releases = []), /releases/],
    ['a malformed version', (d) => (d.releases[0]!.version = 'v0.8.2'), /releases\[0\]\.version/],
    ['a duplicate version', (d) => d.releases.push({ ...d.releases[12]! }), /listed twice/],
    ['a bad date', (d) => (d.releases[1]!.released = '21/04/2021'), /ISO date/],
    ['an upstream of another line', (d) => (d.releases[6]!.osm = '0.10.0'), /not of its line/],
    [
      'a rebuild before its base',
      (d) => d.releases.splice(7, 2, d.releases[8]!, d.releases[7]!),
      /same line/,
    ],
    ['a bad CRD minor', (d) => d.crdChangingMinors.push('one'), /crdChangingMinors\[5\]/],
    ['a bad self-upgrade start', (d) => (d.selfUpgradingCrdsFrom = 'x'), /selfUpgradingCrdsFrom/],
    ['schemes out of order', (d) => d.settingsSchemes.reverse(), /settingsSchemes/],
    ['overlapping prefixes', (d) => (d.settingsSchemes[1]!.prefix = 'osm.'), /is a prefix of/],
    ['an unknown field', (d) => Object.assign(d, { extra: 1 }), /extra/],
  ];
  it.each(broken)('refuses %s with a ValidationError naming the field', (_name, breakIt, msg) => {
    const d = data();
    breakIt(d);
    let err: unknown;
    try {
      OsmCatalog.fromData(d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe('InvalidOsmCatalog');
    expect(JSON.stringify((err as ValidationError).details) + (err as Error).message).toMatch(msg);
  });

  it('refuses non-objects', () => {
    expect(() => OsmCatalog.fromData(null)).toThrow(ValidationError);
    expect(() => OsmCatalog.fromData('1.2.6')).toThrow(ValidationError);
  });
});
