/**
 * The osm-fleet CLI against the local stack (emulator + Azurite + local Functions host), run as a child
 * process: policies, plan, rollouts with --watch, approvals, clusters, one-off operations, errors, exit codes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { osmExt, seedAndSettle, seedCluster } from '../support/rolloutFlow.js';
import { cliEnv, runCli, show } from './runCli.js';

const S = SUBS[0]!;
let stack: FleetStack;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, env);
const dir = mkdtempSync(join(tmpdir(), 'osm-fleet-cli-'));

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60_000 });
  env = cliEnv({ OSM_FLEET_ENDPOINT: stack.host.url });
  await seedAndSettle(stack, [
    seedCluster(S, 'rg-web', 'web-1'),
    seedCluster(S, 'rg-web', 'web-2', { extensions: [osmExt('1.1.1')] }),
    seedCluster(S, 'rg-fail', 'fail-1'),
    seedCluster(S, 'rg-crd', 'crd-1', { extensions: [osmExt('0.8.4')] }),
    seedCluster(S, 'rg-one', 'one-1'),
  ]);
  await stack.control.addInstallOutcome({
    clusterIds: [clusterIdOf(S, 'rg-fail', 'fail-1')],
    code: 'InjectedChartFailure',
    message: 'pre-install hook failed: injected by the test',
  });
});
afterAll(async () => stack?.stop());

const policyYaml = (name: string, rg: string) => `name: ${name}
description: ${name} meshes
target:
  resourceGroups: [${rg}]
osm:
  version: 1.2.6
rollout:
  waves:
    - { name: canary, count: 1, maxParallel: 1 }
    - { name: rest, percent: 100, maxParallel: 5 }
  maxFailurePercent: 0
`;

describe('osm-fleet policy', () => {
  it('applies YAML and JSON files, lists, shows and deletes', async () => {
    writeFileSync(join(dir, 'web.yaml'), policyYaml('web', 'rg-web'));
    writeFileSync(join(dir, 'crd.yml'), policyYaml('crd', 'rg-crd'));
    const fail = { target: { resourceGroups: ['rg-fail'] }, osm: { version: '1.2.6' } };
    writeFileSync(join(dir, 'fail.json'), JSON.stringify({ name: 'fail', ...fail }));
    writeFileSync(join(dir, 'tmp.json'), JSON.stringify(fail));
    const applied = await Promise.all([
      cli('policy', 'apply', '-f', join(dir, 'web.yaml')),
      cli('policy', 'apply', '-f', join(dir, 'crd.yml')),
      cli('policy', 'apply', '-f', join(dir, 'fail.json')),
      cli('policy', 'apply', '-f', join(dir, 'tmp.json'), '--name', 'tmp'),
    ]);
    for (const r of applied) expect(r.code, show(r)).toBe(0);
    expect(applied[0]!.stdout).toBe('policy web created (OSM 1.2.6)\n');
    expect(applied[3]!.stdout).toContain('policy tmp created');

    const [again, list, yaml, json] = await Promise.all([
      cli('policy', 'apply', '-f', join(dir, 'web.yaml')),
      cli('policy', 'list'),
      cli('policy', 'show', 'web'),
      cli('policy', 'show', 'web', '--output', 'json'),
    ]);
    expect(again.stdout).toContain('policy web configured');
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+VERSION\s+WAVES/);
    expect(list.stdout).toMatch(/^web\s+1\.2\.6\s+canary,rest\s/m);
    expect(list.stdout).toMatch(/^tmp\s+1\.2\.6\s+all\s/m);
    expect(yaml.stdout).toContain('name: web\n');
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'web', osm: { version: '1.2.6' } });

    const del = await cli('policy', 'delete', 'tmp');
    expect(del.stdout).toBe('policy tmp deleted\n');
    const gone = await cli('policy', 'show', 'tmp');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^PolicyNotFound: .*tmp/);
    expect(gone.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(gone.stdout).toBe('');
  });
});

describe('osm-fleet plan', () => {
  it('prints a table with action, from -> to, path, wave and reason; JSON with --output json', async () => {
    const [table, json] = await Promise.all([cli('plan', 'web'), cli('plan', 'web', '-o', 'json')]);
    expect(table.code, show(table)).toBe(0);
    expect(table.stdout).toContain('plan for policy web (OSM 1.2.6), 2 clusters: install 1, upgrade 1');
    expect(table.stdout).toMatch(/CLUSTER\s+ACTION\s+FROM -> TO\s+PATH\s+WAVE\s+REASON/);
    expect(table.stdout).toMatch(/web-1\s+install\s+\(none\) -> 1\.2\.6\s+1\.2\.6\s+\w+\s+NotInstalled/);
    expect(table.stdout).toMatch(/web-2\s+upgrade\s+1\.1\.1 -> 1\.2\.6\s+1\.2\.6\s+\w+\s+VersionBehind/);
    expect(JSON.parse(json.stdout)).toMatchObject({ policy: 'web', summary: { install: 1, upgrade: 1 } });
  });
});
