/**
 * Arc OSM extension version strings: `1.2.6`, or a rebuild such as `1.0.0-1`. A `-N` suffix is a rebuild of
 * the extension released AFTER its base version (unlike a semver prerelease, which sorts before it), so the
 * order here is numeric on major, minor, patch, then "no suffix" before `-0`, `-1`, `-2`, ...
 * A leading `v`/`V` and surrounding blanks are tolerated; the canonical form has neither.
 */
export interface OsmVersion {
  major: number;
  minor: number;
  patch: number;
  /** The rebuild number, or -1 for a plain version. */
  build: number;
  /** Canonical text: `1.0.0-1`. */
  text: string;
  /** Minor line: `0.9`, `1.2`. */
  line: string;
}

const PATTERN = /^\s*[vV]?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:-(\d{1,6}))?\s*$/;
const LINE_PATTERN = /^\s*[vV]?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?\s*$/;

/** Parses a version; `undefined` when it is not of the form `X.Y.Z` or `X.Y.Z-N`. */
export function parseOsmVersion(v: string): OsmVersion | undefined {
  const m = PATTERN.exec(v);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const build = m[4] === undefined ? -1 : Number(m[4]);
  const core = `${major}.${minor}.${patch}`;
  return {
    major,
    minor,
    patch,
    build,
    text: build < 0 ? core : `${core}-${build}`,
    line: `${major}.${minor}`,
  };
}

/** Parses a minor line (`0.10`) or a full version (`0.10.0`) into its lowest version of that line. */
export function parseOsmLineStart(v: string): OsmVersion | undefined {
  const full = parseOsmVersion(v);
  if (full) return full;
  const m = LINE_PATTERN.exec(v);
  return m ? parseOsmVersion(`${m[1]}.${m[2]}.0`) : undefined;
}

/** -1, 0 or 1: release order of two parsed versions (rebuilds after their base). */
export function compareOsmVersions(a: OsmVersion, b: OsmVersion): -1 | 0 | 1 {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch || a.build - b.build;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** -1, 0 or 1: order of two minor lines (`0.9` < `0.11` < `1.0`). */
export function compareOsmLines(a: OsmVersion, b: OsmVersion): -1 | 0 | 1 {
  const d = a.major - b.major || a.minor - b.minor;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}
