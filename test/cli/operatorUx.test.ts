/**
 * The CLI's second pass against the local stack, as a child process: `compliance`, `rollout list` newest
 * first, cluster names as `plan` prints them, and a policy file with broken YAML.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import { osmExt, putPolicy, seedAndSettle, seedCluster, startRollout } from '../support/rolloutFlow.js';
import { cliEnv, runCli, show } from './runCli.js';

const S = SUBS[0]!;
const KEY = 'osm.osm.enablePermissiveTrafficPolicy';
let stack: FleetStack;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, env);

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  env = cliEnv({ OSM_FLEET_ENDPOINT: stack.host.url });
  await seedAndSettle(stack, [
    seedCluster(S, 'rg-cc', 'cc-ok', { extensions: [osmExt('1.2.6', { [KEY]: 'false' })] }),
    seedCluster(S, 'rg-cc', 'cc-drift', { extensions: [osmExt('1.2.6', { [KEY]: 'true' })] }),
    seedCluster(S, 'rg-cc', 'cc-old', { extensions: [osmExt('1.1.1', { [KEY]: 'false' })] }),
    seedCluster(S, 'rg-cc', 'cc-none'),
    seedCluster(S, 'rg-other', 'other-1'),
    seedCluster(S, 'rg-twin-a', 'twin'),
    seedCluster(SUBS[1]!, 'rg-twin-b', 'twin'),
  ]);
  const body = (rg: string) => ({
    target: { resourceGroups: [rg] },
    osm: { version: '1.2.6', configurationSettings: { [KEY]: 'false' } },
  });
  await putPolicy(stack, 'cc', body('rg-cc'));
  await putPolicy(stack, 'other', body('rg-other'));
  await waitFor(
    async () => (await stack.api('GET', '/api/policies/cc/compliance')).body?.summary?.clusters === 4,
  );
});
afterAll(async () => stack?.stop());

describe('osm-fleet compliance', () => {
  it('without a policy: one line per policy with its counts and the sweep age', async () => {
    const r = await cli('compliance');
    expect(r.code, show(r)).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^POLICY\s+VERSION\s+CLUSTERS\s+COMPLIANT\s+DRIFTED\s+BEHIND\s+MISSING\s+NOTELIGIBLE\s+FAILED\s+OTHER\s+SWEPT$/,
    );
    expect(lines.find((l) => l.startsWith('cc '))).toMatch(
      /^cc\s+1\.2\.6\s+4\s+1\s+1\s+1\s+1\s+0\s+0\s+0\s+\d+s ago$/,
    );
    expect(lines.find((l) => l.startsWith('other '))).toMatch(/^other\s+1\.2\.6\s+1\s+0\s+0\s+0\s+1\s/);
  });

  it('with a policy: the counts and the clusters not compliant, with drift keys and hop paths', async () => {
    const r = await cli('compliance', 'cc');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toMatch(/^policy cc \(OSM 1\.2\.6\), 4 clusters targeted, swept \d+s ago\n/);
    expect(r.stdout).toContain(
      'compliant 1, drifted 1, behind 1, missing 1, notEligible 0, failed 0, other 0',
    );
    expect(r.stdout).toMatch(
      /cc-drift\s+drifted\s+1\.2\.6\s+SettingsChanged\s+osm\.osm\.enablePermissiveTrafficPolicy=true \(policy: false\)/,
    );
    expect(r.stdout).toMatch(/cc-old\s+behind\s+1\.1\.1\s+VersionBehind\s+1\.1\.1 > 1\.2\.6/);
    expect(r.stdout).toMatch(/cc-none\s+missing\s+\(none\)\s+NotInstalled/);
    expect(r.stdout).not.toMatch(/cc-ok/);
    const only = await cli('compliance', 'cc', '--status', 'compliant');
    expect(only.stdout).toMatch(/cc-ok\s+compliant/);
  });

  it('--output json gives the API view; errors are one line', async () => {
    const r = await cli('compliance', 'cc', '-o', 'json', '--status', 'drifted');
    expect(r.code, show(r)).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.summary.counts.drifted).toBe(1);
    expect(v.clusters.items.map((c: { name: string }) => c.name)).toEqual(['cc-drift']);
    const all = JSON.parse((await cli('compliance', '-o', 'json')).stdout);
    expect(all.map((p: { policy: string }) => p.policy).sort()).toEqual(['cc', 'other']);
    const bad = await cli('compliance', 'cc', '--status', 'green');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^InvalidQueryParameter: status: must be one of compliant/);
    const missing = await cli('compliance', 'nope');
    expect(missing.stderr).toContain('PolicyNotFound');
  });
});

describe('osm-fleet rollout list', () => {
  it('lists the newest rollout first', async () => {
    const first = await startRollout(stack, 'other');
    await waitFor(
      async () => (await stack.api('GET', `/api/rollouts/${first}`)).body.state === 'Succeeded',
      30_000,
    );
    const second = await startRollout(stack, 'cc');
    const r = await cli('rollout', 'list', '-o', 'json');
    expect(r.code, show(r)).toBe(0);
    expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id)).toEqual([second, first]);
    const api = await stack.api('GET', '/api/rollouts?top=1');
    expect(api.body.items.map((x: { id: string }) => x.id)).toEqual([second]);
  });
});

describe('cluster names as plan prints them', () => {
  it('clusters show <name> finds the one cluster of that name; an ambiguous name lists the candidates', async () => {
    const one = await cli('clusters', 'show', 'cc-drift');
    expect(one.code, show(one)).toBe(0);
    expect(one.stdout).toContain('cc-drift');
    expect(one.stdout).toContain('rg-cc');
    const two = await cli('clusters', 'show', 'twin');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('cluster "twin": 2 clusters have that name; give one of');
    expect(two.stderr).toContain(`${S}/rg-twin-a/twin`);
    expect(two.stderr).toContain(`${SUBS[1]}/rg-twin-b/twin`);
    const none = await cli('clusters', 'uninstall', 'nobody');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('cluster "nobody": no cluster of that name in the inventory');
  });
});

describe('a policy file with broken YAML', () => {
  it('names the line and shows it, without a stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osm-fleet-yaml-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\ntarget:\n  resourceGroups: [rg-a\nosm:\n  version: 1.2.6\n');
    const r = await cli('policy', 'apply', '-f', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`-f ${file}: not valid YAML at line 4, column 1:`);
    expect(r.stderr).toContain('  4 | osm:\n      ^');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
