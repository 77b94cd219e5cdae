/**
 * The local stack's context file: `npm start` writes where its API listens to `local-stack.json` beside
 * the CLI's config file (and removes it on Ctrl-C); the CLI uses it when neither a flag, the environment
 * nor the config file names an endpoint. A file whose stack is gone (its pid no longer runs) is ignored.
 * The key is never written there (set it with `osm-fleet config set key` or OSM_FLEET_KEY).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface LocalContext {
  endpoint: string;
  pid: number;
  startedAt: string;
}

export function localContextPath(configFile: string): string {
  return join(dirname(configFile), 'local-stack.json');
}

export function writeLocalContext(path: string, context: LocalContext): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the file if it is still this process's (a second stack may have taken it over). */
export function removeLocalContext(path: string, pid = process.pid): void {
  if (readLocalContext(path, () => true)?.pid === pid) rmSync(path, { force: true });
}

/** The context of a running stack, or undefined (no file, unreadable, or its process gone). */
export function readLocalContext(
  path: string,
  alive: (pid: number) => boolean = isAlive,
): LocalContext | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LocalContext> | null;
    if (typeof parsed?.endpoint !== 'string' || typeof parsed.pid !== 'number') return undefined;
    if (!alive(parsed.pid)) return undefined;
    return { endpoint: parsed.endpoint, pid: parsed.pid, startedAt: String(parsed.startedAt ?? '') };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
