/**
 * The Arc OSM extension's published versions and the rules attached to them, as DATA (a new release is a
 * data change, not a code change) plus a read-only view over it. Facts from vendor/reference/osm.md.
 *
 * Version strings: `X.Y.Z` or a rebuild `X.Y.Z-N`, ordered after its base. Lookups tolerate a leading
 * `v` and surrounding blanks (`v1.2.6` is `1.2.6`); anything else not in `releases` is unknown.
 */
import { ValidationError } from './errors.js';
import type { OsmVersion } from './parseOsmVersion.js';
import {
  compareOsmLines,
  compareOsmVersions,
  parseOsmLineStart,
  parseOsmVersion,
} from './parseOsmVersion.js';
import { validateOsmCatalogData } from './validateOsmCatalogData.js';

export interface OsmReleaseData {
  /** The extension version ARM accepts, e.g. `1.0.0-1`. */
  version: string;
  /** Release date, ISO `YYYY-MM-DD`. */
  released: string;
  /** The upstream OSM version it wraps, e.g. `1.0.0`. */
  osm: string;
}

export interface OsmCatalogData {
  /** Published extension versions, oldest first within each line (a rebuild after its base). */
  releases: OsmReleaseData[];
  /** Upstream minor lines whose CRDs changed, e.g. `0.9`. */
  crdChangingMinors: string[];
  /** Hops starting at or after this upstream version (or line) upgrade their CRDs themselves. */
  selfUpgradingCrdsFrom: string;
  /** Settings key prefix per version range: each applies from its `from` up to the next one's. */
  settingsSchemes: { from: string; prefix: string }[];
}

const release = (version: string, released: string, osm = version.replace(/-\d+$/, '')) => ({
  version,
  released,
  osm,
});

export const DEFAULT_OSM_CATALOG_DATA: OsmCatalogData = {
  releases: [
    release('0.8.2', '2021-04-01'),
    release('0.8.3', '2021-04-21'),
    release('0.8.4', '2021-05-20'),
    release('0.9.0', '2021-06-17'),
    release('0.9.1', '2021-07-06'),
    release('0.9.2', '2021-08-24'),
    release('0.11.1', '2021-11-02'),
    release('1.0.0', '2022-02-07'),
    release('1.0.0-1', '2022-03-24'),
    release('1.1.1', '2022-07-01'),
    release('1.1.1-1', '2022-08-15'),
    release('1.2.3', '2023-02-07'),
    release('1.2.6', '2024-02-14'),
  ],
  crdChangingMinors: ['0.9', '0.10', '0.11', '1.1', '1.2'],
  selfUpgradingCrdsFrom: '0.10',
  settingsSchemes: [
    { from: '0.0.0', prefix: 'osm.OpenServiceMesh.' },
    { from: '1.0.0', prefix: 'osm.osm.' },
  ],
};

interface Entry {
  data: OsmReleaseData;
  v: OsmVersion;
  upstream: OsmVersion;
}

export class OsmCatalog {
  private readonly byVersion = new Map<string, Entry>();
  /** Lines oldest first, each with its newest release. */
  private readonly lineList: { line: string; newest: Entry }[] = [];
  private readonly crdMinors: OsmVersion[];
  private readonly selfUpgradingFrom: OsmVersion;
  private readonly schemes: { from: OsmVersion; prefix: string }[];

  private constructor(readonly data: Readonly<OsmCatalogData>) {
    const sorted = data.releases
      .map((r) => ({ data: r, v: must(r.version), upstream: must(r.osm) }))
      .sort((a, b) => compareOsmVersions(a.v, b.v));
    for (const e of sorted) {
      this.byVersion.set(e.v.text, e);
      const last = this.lineList[this.lineList.length - 1];
      if (last?.line === e.v.line) last.newest = e;
      else this.lineList.push({ line: e.v.line, newest: e });
    }
    this.crdMinors = data.crdChangingMinors.map(mustLine);
    this.selfUpgradingFrom = mustLine(data.selfUpgradingCrdsFrom);
    this.schemes = data.settingsSchemes.map((s) => ({ from: mustLine(s.from), prefix: s.prefix }));
  }

  /** Builds a catalog from data; throws ValidationError (code `InvalidOsmCatalog`) naming each problem. */
  static fromData(input: unknown): OsmCatalog {
    const parsed = validateOsmCatalogData(input);
    const copy: OsmCatalogData = {
      releases: parsed.releases.map((r) => Object.freeze({ ...r })),
      crdChangingMinors: [...parsed.crdChangingMinors],
      selfUpgradingCrdsFrom: parsed.selfUpgradingCrdsFrom,
      settingsSchemes: parsed.settingsSchemes.map((x) => Object.freeze({ ...x })),
    };
    return new OsmCatalog(Object.freeze(copy));
  }

  /** The catalog's own spelling of `v` (`v1.2.6` -> `1.2.6`), or undefined when `v` is not published. */
  normalize(v: string): string | undefined {
    const p = parseOsmVersion(v);
    return p && this.byVersion.has(p.text) ? p.text : undefined;
  }

  has(v: string): boolean {
    return this.normalize(v) !== undefined;
  }

  release(v: string): OsmReleaseData | undefined {
    const p = parseOsmVersion(v);
    return p && this.byVersion.get(p.text)?.data;
  }

  /** Every published version, in order (a rebuild right after its base). */
  versions(): string[] {
    return [...this.byVersion.keys()];
  }

  /**
   * Release order of two well-formed versions (published or not): -1, 0 or 1. `1.0.0 < 1.0.0-1 < 1.1.1`.
   * Throws ValidationError on a malformed version.
   */
  compare(a: string, b: string): -1 | 0 | 1 {
    return compareOsmVersions(parse(a), parse(b));
  }

  /** The minor line of a well-formed version: `0.9.2` -> `0.9`. */
  minorLine(v: string): string {
    return parse(v).line;
  }

  major(v: string): number {
    return parse(v).major;
  }

  /** Published minor lines, oldest first: `0.8`, `0.9`, `0.11`, `1.0`, ... (no `0.10`: never published). */
  lines(): string[] {
    return this.lineList.map((l) => l.line);
  }

  /** The newest published version of a line (`1.0` -> `1.0.0-1`), or undefined for an unpublished line. */
  latestInLine(line: string): string | undefined {
    return this.lineList.find((l) => l.line === line.trim())?.newest.v.text;
  }

  /** The next published line after `line`, or undefined when it is the newest. */
  nextLine(line: string): string | undefined {
    const start = mustLine(line);
    return this.lineList.find((l) => compareOsmLines(l.newest.v, start) > 0)?.line;
  }

  latest(): string {
    return this.lineList[this.lineList.length - 1]!.newest.v.text;
  }

  /**
   * Whether going from `from` to `to` crosses a CRD change: some CRD-changing upstream minor m with
   * line(from) < m <= line(to). Published versions are judged by the upstream version they wrap.
   */
  changesCrds(from: string, to: string): boolean {
    const a = this.upstream(from);
    const b = this.upstream(to);
    return this.crdMinors.some((m) => compareOsmLines(a, m) < 0 && compareOsmLines(m, b) <= 0);
  }

  /** A hop needs the manual CRD step when it changes CRDs and starts before `selfUpgradingCrdsFrom`. */
  needsCrdStep(from: string, to: string): boolean {
    return this.changesCrds(from, to) && compareOsmVersions(this.upstream(from), this.selfUpgradingFrom) < 0;
  }

  /** The configuration-settings key prefix of a well-formed version (published or not): `osm.osm.`. */
  settingsPrefix(v: string): string {
    const p = parse(v);
    let prefix = this.schemes[0]!.prefix;
    for (const s of this.schemes) if (compareOsmVersions(s.from, p) <= 0) prefix = s.prefix;
    return prefix;
  }

  /** Every settings prefix the catalog knows, oldest scheme first. */
  settingsPrefixes(): string[] {
    return this.schemes.map((s) => s.prefix);
  }

  private upstream(v: string): OsmVersion {
    const p = parse(v);
    return this.byVersion.get(p.text)?.upstream ?? p;
  }
}

function parse(v: string): OsmVersion {
  const p = parseOsmVersion(v);
  if (!p)
    throw new ValidationError(
      `"${v}" is not an OSM extension version such as 1.2.6 or 1.0.0-1`,
      [],
      'InvalidVersion',
    );
  return p;
}

const must = parse;

function mustLine(v: string): OsmVersion {
  const p = parseOsmLineStart(v);
  if (!p) throw new ValidationError(`"${v}" is not an OSM minor line such as 0.10`, [], 'InvalidVersion');
  return p;
}

export const defaultOsmCatalog: OsmCatalog = OsmCatalog.fromData(DEFAULT_OSM_CATALOG_DATA);
