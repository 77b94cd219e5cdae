/**
 * The configuration settings to send on a create, upgrade or reconfigure (vendor/reference/osm.md, "Configuration
 * setting keys"). ARM resets settings that are not sent again, so the result is:
 *   the cluster's current settings, ALL of them (including keys osm-fleet never set),
 *   translated to the target version's key scheme (`osm.OpenServiceMesh.x` <-> `osm.osm.x`, both ways,
 *   as the catalog's schemes say; keys outside every OSM prefix are kept as they are),
 *   overlaid by the policy's settings (translated too: a policy may write either scheme),
 *   plus `enablePrivilegedInitContainer=true` (target scheme) on OpenShift, even over a policy "false".
 * Nothing is dropped. When two current keys land on the same translated key (both schemes present), the
 * value of the key in the current version's scheme wins (it is the one in effect), then the key already in
 * the target scheme, then the alphabetically first; a loser with a different value is listed in
 * `collisions`. Likewise a policy key already in the target scheme wins over its other-scheme twin.
 * Throws ValidationError only when `targetVersion` is malformed (a bug upstream: policies are validated).
 */
import type { OsmCatalog } from './osmCatalog.js';
import { parseOsmVersion } from './parseOsmVersion.js';
import { isOpenShift } from './supportedDistributions.js';

export interface SettingsMergeInput {
  current: Readonly<Record<string, string>>;
  /** The installed version, or null for an install. Used only to tell which duplicate key is in effect. */
  currentVersion: string | null;
  desired: Readonly<Record<string, string>>;
  targetVersion: string;
  distribution: string;
  catalog: OsmCatalog;
}

export interface SettingChange {
  /** The key as sent (target scheme). */
  key: string;
  /** The value in effect before (for a translated key, the old key's value); null when unset. */
  from: string | null;
  to: string;
  /** policy: the policy's value; translated: same value under the target scheme's key; forced: OpenShift. */
  origin: 'policy' | 'translated' | 'forced';
}

/** A key whose value on the cluster differs from what osm-fleet wants (policy or forced): changed out of band. */
export interface SettingDrift {
  key: string;
  current: string;
  desired: string;
}

export interface SettingsMerge {
  settings: Record<string, string>;
  /** Every sent key whose value differs from the cluster's value under that exact key. */
  changes: SettingChange[];
  drift: SettingDrift[];
  /** Current keys sent under another name (an ARM PATCH may need to null the old name). */
  renamed: { from: string; to: string }[];
  /** Two current keys translated to the same key with different values: `kept` was sent, `dropped` not. */
  collisions: { key: string; kept: string; dropped: string; droppedValue: string }[];
}

export const PRIVILEGED_INIT_CONTAINER_SETTING = 'enablePrivilegedInitContainer';

/** `key` under the key scheme of `targetVersion`; keys outside every OSM prefix are returned as they are. */
export function translateKey(catalog: OsmCatalog, key: string, targetVersion: string): string {
  return translateWith(catalog.settingsPrefixes(), catalog.settingsPrefix(targetVersion), key);
}

export function mergeSettings(input: SettingsMergeInput): SettingsMerge {
  const { catalog } = input;
  const prefixes = catalog.settingsPrefixes();
  const target = catalog.settingsPrefix(input.targetVersion);
  const inEffect =
    input.currentVersion !== null && parseOsmVersion(input.currentVersion)
      ? catalog.settingsPrefix(input.currentVersion)
      : undefined;
  const rank = (source: string, key: string) =>
    inEffect !== undefined && source.startsWith(inEffect) ? 0 : source === key ? 1 : 2;
  const translate = (key: string) => translateWith(prefixes, target, key);

  const raw = new Map(Object.entries(input.current));
  const effective = new Map<string, { source: string; value: string }>();
  const renamed: SettingsMerge['renamed'] = [];
  const collisions: SettingsMerge['collisions'] = [];
  for (const [source, value] of raw) {
    const key = translate(source);
    if (key !== source) renamed.push({ from: source, to: key });
    const held = effective.get(key);
    if (!held) {
      effective.set(key, { source, value });
      continue;
    }
    const wins = rank(source, key) - rank(held.source, key) || (source < held.source ? -1 : 1);
    const [kept, dropped] = wins < 0 ? [{ source, value }, held] : [held, { source, value }];
    effective.set(key, kept);
    if (kept.value !== dropped.value)
      collisions.push({ key, kept: kept.source, dropped: dropped.source, droppedValue: dropped.value });
  }

  const intended = new Map<string, { source: string; value: string }>();
  for (const [source, value] of Object.entries(input.desired)) {
    const key = translate(source);
    const held = intended.get(key);
    if (!held || rank2(source, key) < rank2(held.source, key)) intended.set(key, { source, value });
  }
  let forcedKey: string | undefined;
  if (isOpenShift(input.distribution)) {
    const key = target + PRIVILEGED_INIT_CONTAINER_SETTING;
    if (intended.get(key)?.value !== 'true') forcedKey = key;
    intended.set(key, { source: key, value: 'true' });
  }

  const sent = new Map<string, string>();
  for (const [key, e] of effective) sent.set(key, e.value);
  for (const [key, e] of intended) sent.set(key, e.value);

  const changes: SettingChange[] = [];
  for (const [key, to] of sent) {
    if (raw.get(key) === to) continue;
    const from = effective.get(key)?.value ?? null;
    const origin = from === to ? 'translated' : key === forcedKey ? 'forced' : 'policy';
    changes.push({ key, from, to, origin });
  }
  const drift: SettingDrift[] = [];
  for (const [key, want] of intended) {
    const have = effective.get(key);
    if (have && have.value !== want.value) drift.push({ key, current: have.value, desired: want.value });
  }
  return { settings: Object.fromEntries(sent), changes, drift, renamed, collisions };
}

/** Among a policy's twins, the key already written in the target scheme wins, then the first by name. */
function rank2(source: string, key: string): string {
  return `${source === key ? 0 : 1}${source}`;
}

function translateWith(prefixes: readonly string[], target: string, key: string): string {
  for (const p of prefixes) if (key.startsWith(p)) return target + key.slice(p.length);
  return key;
}
