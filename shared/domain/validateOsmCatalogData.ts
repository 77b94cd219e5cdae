/** Checks OSM catalog data (shape and meaning) before a catalog is built from it. */
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { OsmCatalogData } from './osmCatalog.js';
import {
  compareOsmLines,
  compareOsmVersions,
  parseOsmLineStart,
  parseOsmVersion,
} from './parseOsmVersion.js';
import { zodToValidationError } from './zodToValidationError.js';

const CODE = 'InvalidOsmCatalog';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const schema = z.strictObject({
  releases: z.array(z.strictObject({ version: z.string(), released: z.string(), osm: z.string() })).min(1),
  crdChangingMinors: z.array(z.string()),
  selfUpgradingCrdsFrom: z.string(),
  settingsSchemes: z.array(z.strictObject({ from: z.string(), prefix: z.string() })).min(1),
});

/**
 * Returns the data when it makes sense; otherwise throws ValidationError (code `InvalidOsmCatalog`) with
 * one detail per problem. Rules: versions canonical (`1.2.6`, `1.0.0-1`) and unique; dates ISO; each
 * release wraps an upstream `X.Y.Z` of its own minor line; within a line, list order is version order and
 * dates do not go back; minors and scheme starts well-formed; schemes in ascending order, the first one
 * covering the oldest release, prefixes ending in `.` and none a prefix of another.
 */
export function validateOsmCatalogData(input: unknown): OsmCatalogData {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw zodToValidationError(parsed.error.issues, CODE);
  const data = parsed.data;
  const problems: { path: string; message: string }[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });

  const seen = new Set<string>();
  const lastOfLine = new Map<string, { v: NonNullable<ReturnType<typeof parseOsmVersion>>; date: string }>();
  let oldest: ReturnType<typeof parseOsmVersion>;
  data.releases.forEach((r, i) => {
    const at = `releases[${i}]`;
    const v = parseOsmVersion(r.version);
    if (!v || v.text !== r.version) return bad(`${at}.version`, `"${r.version}" is not a version like 1.2.6`);
    if (seen.has(v.text)) bad(`${at}.version`, `${v.text} is listed twice`);
    seen.add(v.text);
    if (!ISO_DATE.test(r.released) || Number.isNaN(Date.parse(r.released)))
      bad(`${at}.released`, `"${r.released}" is not an ISO date (YYYY-MM-DD)`);
    const up = parseOsmVersion(r.osm);
    if (!up || up.text !== r.osm || up.build >= 0)
      bad(`${at}.osm`, `"${r.osm}" is not an upstream OSM version like 1.2.6`);
    else if (compareOsmLines(up, v) !== 0)
      bad(`${at}.osm`, `${r.version} wraps ${r.osm}, which is not of its line ${v.line}`);
    const prev = lastOfLine.get(v.line);
    if (prev && compareOsmVersions(prev.v, v) >= 0)
      bad(`${at}.version`, `${v.text} is listed after ${prev.v.text} of the same line`);
    if (prev && r.released < prev.date)
      bad(`${at}.released`, `${v.text} is dated before ${prev.v.text} of the same line`);
    lastOfLine.set(v.line, { v, date: r.released });
    if (!oldest || compareOsmVersions(v, oldest) < 0) oldest = v;
  });

  data.crdChangingMinors.forEach((m, i) => {
    if (!parseOsmLineStart(m)) bad(`crdChangingMinors[${i}]`, `"${m}" is not a minor line like 0.10`);
  });
  if (!parseOsmLineStart(data.selfUpgradingCrdsFrom))
    bad('selfUpgradingCrdsFrom', `"${data.selfUpgradingCrdsFrom}" is not a version or line like 0.10`);

  let prevFrom: ReturnType<typeof parseOsmLineStart>;
  data.settingsSchemes.forEach((s, i) => {
    const at = `settingsSchemes[${i}]`;
    const from = parseOsmLineStart(s.from);
    if (!from) bad(`${at}.from`, `"${s.from}" is not a version like 1.0.0`);
    else if (prevFrom && compareOsmVersions(prevFrom, from) >= 0)
      bad(`${at}.from`, `${s.from} does not come after the previous scheme's start`);
    else if (i === 0 && oldest && compareOsmVersions(from, oldest) > 0)
      bad(`${at}.from`, `the first scheme must cover the oldest release ${oldest.text}`);
    prevFrom = from ?? prevFrom;
    if (!/^[A-Za-z0-9_.-]+\.$/.test(s.prefix))
      bad(`${at}.prefix`, `"${s.prefix}" must be a key prefix ending in "."`);
    data.settingsSchemes.forEach((o, j) => {
      if (j !== i && o.prefix.startsWith(s.prefix))
        bad(`${at}.prefix`, `"${s.prefix}" is a prefix of settingsSchemes[${j}].prefix "${o.prefix}"`);
    });
  });

  if (problems.length) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ValidationError(`OSM catalog: ${first.path}: ${first.message}${more}`, problems, CODE);
  }
  return data;
}
