/**
 * Where the endpoint and key come from: the `--endpoint`/`--key` flags, else `OSM_FLEET_ENDPOINT`/
 * `OSM_FLEET_KEY`, else the config file `$XDG_CONFIG_HOME/osm-fleet/config.json` (default
 * `~/.config/osm-fleet/config.json`), else the endpoint of a running `npm start` (its context file
 * `local-stack.json` beside the config file, see localContext.ts), else `http://127.0.0.1:7071/api`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './errors.js';
import { localContextPath, readLocalContext } from './localContext.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:7071/api';
export const CONFIG_KEYS = ['endpoint', 'key'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type FileConfig = Partial<Record<ConfigKey, string>>;
export type Source = 'flag' | 'env' | 'file' | 'local stack' | 'default';

export interface Settings {
  endpoint: string;
  key?: string;
  sources: { endpoint: Source; key: Source | 'none' };
  file: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function configPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'osm-fleet', 'config.json');
}

export function readConfigFile(path: string): FileConfig {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`config file ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError(`config file ${path}: must hold a JSON object`);
  const out: FileConfig = {};
  for (const k of CONFIG_KEYS) {
    const v = (parsed as Record<string, unknown>)[k];
    if (typeof v === 'string' && v) out[k] = v;
  }
  return out;
}

export function resolveSettings(
  flags: { endpoint?: string; key?: string },
  env: Env = process.env,
): Settings {
  const file = configPath(env);
  const fromFile = readConfigFile(file);
  const pick = (flag?: string, envValue?: string, fileValue?: string): [string | undefined, Source] => {
    if (flag) return [flag, 'flag'];
    if (envValue) return [envValue, 'env'];
    if (fileValue) return [fileValue, 'file'];
    return [undefined, 'default'];
  };
  const [endpoint, endpointSource] = pick(flags.endpoint, env.OSM_FLEET_ENDPOINT, fromFile.endpoint);
  const [key, keySource] = pick(flags.key, env.OSM_FLEET_KEY, fromFile.key);
  const local = endpoint === undefined ? readLocalContext(localContextPath(file)) : undefined;
  return {
    endpoint: endpoint ?? local?.endpoint ?? DEFAULT_ENDPOINT,
    ...(key ? { key } : {}),
    sources: { endpoint: local ? 'local stack' : endpointSource, key: key ? keySource : 'none' },
    file,
  };
}

export function isConfigKey(k: string): k is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(k);
}

/** Sets (or with `value` undefined removes) one key; the file is readable by its owner only (it may hold the key). */
export function writeConfigValue(path: string, key: ConfigKey, value: string | undefined): void {
  const current = readConfigFile(path);
  if (value === undefined) delete current[key];
  else current[key] = value;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(current, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}
