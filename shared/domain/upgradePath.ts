/**
 * Upgrade paths between Arc OSM extension versions (vendor/reference/osm.md, "Upgrade rules"):
 * - one minor line at a time, through the newest published version of each line in between
 *   (0.9.2 -> 1.2.6 = 0.11.1, 1.0.0-1, 1.1.1-1, 1.2.6; the unpublished 0.10 line is not a stop);
 * - within one line, a single hop to the target (patch or rebuild: `1.0.0 -> 1.0.0-1` is an upgrade);
 * - the last hop lands exactly on the target, even an older patch of the target's line;
 * - no downgrade (release order, rebuilds after their base);
 * - 0.x -> 1.0 is an ordinary minor step; a jump to a higher major >= 2 (1.x -> 2.x, or 0.x -> 2.x) is
 *   refused unless `allowMajorUpgrade`, and then it is ONE hop marked `reinstall: true` (uninstall and a
 *   fresh install of the target, so no intermediate versions); its CRD flags follow the same rule as any
 *   hop.
 * Expected refusals are values, never exceptions.
 */
import type { OsmCatalog } from './osmCatalog.js';

export interface Hop {
  from: string;
  to: string;
  /** Some upstream minor in (line(from), line(to)] changed CRDs. */
  changesCrds: boolean;
  /** changesCrds and `from` is older than the catalog's `selfUpgradingCrdsFrom` (0.10): manual CRD step. */
  needsCrdStep: boolean;
  /** Present (true) only on a major-version jump allowed by `allowMajorUpgrade`: uninstall + install. */
  reinstall?: true;
}

export type UpgradePathRefusal =
  'DowngradeRefused' | 'MajorUpgradeRefused' | 'UnknownInstalledVersion' | 'UnknownTargetVersion';

export type UpgradePathResult =
  { ok: true; hops: Hop[] } | { ok: false; reason: UpgradePathRefusal; message: string };

export interface UpgradePathOptions {
  /** Allow a jump to a higher major version (>= 2) as a single reinstall hop. Default false. */
  allowMajorUpgrade?: boolean;
}

/** The hops from the installed version `from` to the target `to`; `[]` when they are the same. */
export function upgradePath(
  catalog: OsmCatalog,
  from: string,
  to: string,
  opts: UpgradePathOptions = {},
): UpgradePathResult {
  const start = catalog.normalize(from);
  if (start === undefined)
    return refuse(
      'UnknownInstalledVersion',
      `installed version "${from}" is not a published Arc OSM extension version`,
    );
  const target = catalog.normalize(to);
  if (target === undefined)
    return refuse(
      'UnknownTargetVersion',
      `target version "${to}" is not a published Arc OSM extension version`,
    );

  const order = catalog.compare(start, target);
  if (order === 0) return { ok: true, hops: [] };
  if (order > 0)
    return refuse(
      'DowngradeRefused',
      `${target} is older than the installed ${start}; OSM cannot be downgraded`,
    );

  const fromMajor = catalog.major(start);
  const toMajor = catalog.major(target);
  if (toMajor > Math.max(fromMajor, 1)) {
    if (!opts.allowMajorUpgrade)
      return refuse(
        'MajorUpgradeRefused',
        `${start} -> ${target} is a major-version upgrade (${fromMajor}.x -> ${toMajor}.x); it needs a reinstall, which the policy does not allow`,
      );
    return { ok: true, hops: [{ ...hop(catalog, start, target), reinstall: true }] };
  }

  const hops: Hop[] = [];
  const targetLine = catalog.minorLine(target);
  let at = start;
  let line = catalog.minorLine(start);
  while (line !== targetLine) {
    const next = catalog.nextLine(line);
    if (next === undefined || next === targetLine) break;
    const stop = catalog.latestInLine(next)!;
    hops.push(hop(catalog, at, stop));
    at = stop;
    line = next;
  }
  hops.push(hop(catalog, at, target));
  return { ok: true, hops };
}

function hop(catalog: OsmCatalog, from: string, to: string): Hop {
  return {
    from,
    to,
    changesCrds: catalog.changesCrds(from, to),
    needsCrdStep: catalog.needsCrdStep(from, to),
  };
}

function refuse(reason: UpgradePathRefusal, message: string): UpgradePathResult {
  return { ok: false, reason, message };
}
