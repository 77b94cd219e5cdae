/**
 * Endpoint and key resolution of the CLI against a stack that requires FLEET_API_KEY: flag > env > config
 * file (XDG_CONFIG_HOME, else ~/.config), `config set|show`, and 401 without the key.
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { cliEnv, runCli, show } from './runCli.js';

const KEY = 'cli-test-key-0123456789';
let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ env: { FLEET_API_KEY: KEY }, reconcileEveryMs: 60_000, events: false });
});
afterAll(async () => stack?.stop());

describe('endpoint and key', () => {
  it('sends --key or OSM_FLEET_KEY; without one the API answers Unauthorized (exit 1)', async () => {
    const url = stack.host.url;
    const [none, flag, envKey, wrongEnvRightFlag] = await Promise.all([
      runCli(['policy', 'list'], cliEnv({ OSM_FLEET_ENDPOINT: url })),
      runCli(['policy', 'list', '--endpoint', url, '--key', KEY], cliEnv()),
      runCli(['policy', 'list'], cliEnv({ OSM_FLEET_ENDPOINT: url, OSM_FLEET_KEY: KEY })),
      runCli(['--key', KEY, 'policy', 'list'], cliEnv({ OSM_FLEET_ENDPOINT: url, OSM_FLEET_KEY: 'wrong' })),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Unauthorized: a valid key is required/);
    for (const r of [flag, envKey, wrongEnvRightFlag]) {
      expect(r.code, show(r)).toBe(0);
      expect(r.stdout).toBe('no policies\n');
    }
  });

  it('reads the config file under XDG_CONFIG_HOME or ~/.config; config set writes it (mode 600)', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'osm-fleet-xdg-'));
    mkdirSync(join(xdg, 'osm-fleet'));
    writeFileSync(
      join(xdg, 'osm-fleet', 'config.json'),
      JSON.stringify({ endpoint: stack.host.url, key: KEY }),
    );
    const home = cliEnv();
    const [fromXdg, set] = await Promise.all([
      runCli(['policy', 'list'], cliEnv({ XDG_CONFIG_HOME: xdg })),
      runCli(['config', 'set', 'endpoint', stack.host.url], home),
    ]);
    expect(fromXdg.code, show(fromXdg)).toBe(0);
    expect(set.stdout).toBe(`endpoint set in ${join(home.HOME!, '.config', 'osm-fleet', 'config.json')}\n`);
    expect(statSync(join(home.HOME!, '.config', 'osm-fleet', 'config.json')).mode & 0o777).toBe(0o600);

    await runCli(['config', 'set', 'key', KEY], home);
    const [fromHome, shown, badKey] = await Promise.all([
      runCli(['policy', 'list'], home),
      runCli(['config', 'show'], { ...home, OSM_FLEET_ENDPOINT: 'http://127.0.0.1:9/api' }),
      runCli(['config', 'set', 'colour', 'blue'], home),
    ]);
    expect(fromHome.code, show(fromHome)).toBe(0);
    expect(shown.stdout).toMatch(
      /^endpoint: http:\/\/127\.0\.0\.1:9\/api \(env\)\nkey: +\*{8}6789 \(file\)\n/,
    );
    expect(shown.stdout).not.toContain(KEY);
    expect(badKey.code).toBe(2);
  });
});
