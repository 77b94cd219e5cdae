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
    seedCluster(S, 'rg-held', 'held-1', { connectivityStatus: 'Connecting' }),
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

describe('osm-fleet rollout', () => {
  it('start --watch: bars per wave, the summary, exit 0; a failing rollout exits 1', async () => {
    const [ok, failed] = await Promise.all([
      cli('rollout', 'start', 'web', '--watch', '--interval', '0.3'),
      cli('rollout', 'start', 'fail', '--watch', '--interval', '0.3'),
    ]);
    expect(ok.code, show(ok)).toBe(0);
    expect(ok.stdout).toMatch(/^rollout \S+ started \(planning: the fleet is being swept and planned\)/);
    // The watch's first frame is the POST's answer, Planning; then the waves once planned.
    expect(ok.stdout).toMatch(
      /^rollout \S+: Planning\n {2}planning: sweeping the fleet \(Resource Graph\)$/m,
    );
    expect(ok.stdout).toMatch(/^ {2}canary +\[#+\] +1\/1 +Completed/m);
    expect(ok.stdout).toMatch(/^ {2}rest +\[#+\] +1\/1 +Completed/m);
    expect(ok.stdout).toMatch(/summary: rollout \S+ of policy web: Succeeded; 2 succeeded, 0 failed/);

    expect(failed.code, show(failed)).toBe(1);
    expect(failed.stdout).toMatch(/summary: rollout \S+ of policy fail: (Failed|Halted)/);
    expect(failed.stdout).toMatch(/Failed \(1\):\nCLUSTER.*\n.*rg-fail\/fail-1\s.*InjectedChartFailure/);
    expect(failed.stdout).toContain('next: osm-fleet rollout retry-failed');
    const id = /rollout (\S+) started/.exec(failed.stdout)![1]!;

    const [status, list, rows] = await Promise.all([
      cli('rollout', 'status', id, '-o', 'json'),
      cli('rollout', 'list'),
      cli('rollout', 'clusters', id, '--state', 'failed'),
    ]);
    expect(status.code).toBe(1); // the rollout failed: status says so in its exit code too
    expect(JSON.parse(status.stdout)).toMatchObject({ id, policy: 'fail', counts: { failed: 1 } });
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+fail\\s+(Failed|Halted)\\s+api\\s+1\\s`, 'm'));
    expect(rows.stdout).toMatch(/rg-fail\/fail-1\s+all\s+Failed/);
  });

  it('waits for approval, then approve --all finishes it', async () => {
    const waiting = await cli('rollout', 'start', 'crd', '--watch', '--interval', '0.3');
    expect(waiting.code, show(waiting)).toBe(0);
    expect(waiting.stdout).toMatch(/summary: .*Running; .*1 awaiting CRD approval/);
    expect(waiting.stdout).toMatch(/AwaitingApproval \(1\):\n.*\n.*rg-crd\/crd-1\s.*AwaitingCrdApproval/);
    const id = /rollout (\S+) started/.exec(waiting.stdout)![1]!;
    expect(waiting.stdout).toContain(`osm-fleet rollout approve ${id} --all`);

    await stack.control.markCrdPrepared(clusterIdOf(S, 'rg-crd', 'crd-1'));
    const approved = await cli('rollout', 'approve', id, '--all', '--watch', '--interval', '0.3');
    expect(approved.code, show(approved)).toBe(0);
    expect(approved.stdout).toContain(`rollout ${id}: approved all waiting clusters`);
    expect(approved.stdout).toMatch(/summary: .*crd: Succeeded; 1 succeeded/);
  });
});

describe('osm-fleet clusters', () => {
  it('lists with filters, shows a cluster with its history, installs and uninstalls', async () => {
    const [all, filtered, json, history] = await Promise.all([
      cli('clusters', 'list', '--all'),
      cli('clusters', 'list', '--policy', 'web', '--version', '1.2.6', '--state', 'connected'),
      cli('clusters', 'list', '--top', '2', '-o', 'json'),
      cli('clusters', 'show', `${S}/rg-web/web-1`),
    ]);
    expect(all.stdout).toMatch(/^CLUSTER\s+CONNECTIVITY\s+DISTRIBUTION\s+OSM\s+POLICIES/);
    expect(all.stdout).toMatch(new RegExp(`^${S}/rg-one/one-1\\s+Connected\\s+aks\\s+-`, 'm'));
    expect(filtered.stdout.trim().split('\n')).toHaveLength(3);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    expect(json.stderr).toContain('more available');
    expect(history.code, show(history)).toBe(0);
    expect(history.stdout).toMatch(/^osm:\s+1\.2\.6 \(extension osm, Succeeded\)/m);
    expect(history.stdout).toMatch(/history \(newest first\):\nAT\s+ACTOR\s+ACTION/);
    expect(history.stdout).toMatch(/rollout:\S+\s+InstallSucceeded\s+Succeeded\s+\(none\) -> 1\.2\.6/);

    const armId = clusterIdOf(S, 'rg-one', 'one-1');
    const install = await cli(
      'clusters',
      'install',
      armId,
      '--version',
      '1.2.6',
      '--set',
      'osm.osm.envoyLogLevel=warning',
      '--watch',
      '--interval',
      '0.3',
    );
    expect(install.code, show(install)).toBe(0);
    expect(install.stdout).toContain(`${S}/rg-one/one-1: install (none) -> 1.2.6 via 1.2.6`);
    expect(install.stdout).toMatch(/summary: .*: Succeeded; 1 succeeded/);
    const ext = (await stack.control.getCluster(armId)).extensions[0];
    expect(ext?.runningSettings['osm.osm.envoyLogLevel']).toBe('warning');

    const again = await cli(
      'clusters',
      'upgrade',
      `${S}/rg-one/one-1`,
      '--version',
      '1.2.6',
      '--set',
      'osm.osm.envoyLogLevel=warning',
    );
    expect(again.stdout).toContain('noChange');
    const uninstall = await cli('clusters', 'uninstall', `${S}/rg-one/one-1`);
    expect(uninstall.code, show(uninstall)).toBe(0);
    expect(uninstall.stdout).toMatch(/rg-one\/one-1: uninstall of OSM 1\.2\.6 started \(operation \S+\)/);
  });
});

describe('osm-fleet clusters install on a cluster not Connected yet', () => {
  it('is accepted and says it is Deferred until the cluster connects', async () => {
    const held = await cli('clusters', 'install', `${S}/rg-held/held-1`, '--version', '1.2.6');
    expect(held.code, show(held)).toBe(0);
    expect(held.stdout).toContain(`${S}/rg-held/held-1: skip (none) -> 1.2.6`);
    expect(held.stdout).toContain(
      'Deferred: connectivity is Connecting; deferred until the cluster is Connected',
    );
    expect(held.stdout).toMatch(/rollout \S+: osm-fleet rollout status \S+ --watch/);
  });
});

describe('errors and exit codes', () => {
  it('usage errors exit 2, API errors exit 1 with code: message and no stack', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nosm: { version: latest }\ncolour: blue\n');
    const results = await Promise.all([
      cli('policy', 'frobnicate'),
      cli('rollout', 'approve', 'some-id'),
      cli('clusters', 'show', 'not/a/cluster/id'),
      cli('clusters', 'install', `${S}/rg-one/one-1`),
      cli('policy', 'apply', '-f', join(dir, 'missing.yaml')),
      cli('plan'),
      cli('--output', 'xml', 'policy', 'list'),
      cli('plan', 'nope'),
      cli('clusters', 'show', 'not-a-guid/rg/x'),
      cli('rollout', 'status', 'nope', '--endpoint', 'http://127.0.0.1:9'),
      cli('policy', 'apply', '-f', join(dir, 'bad.yaml')),
    ]);
    for (const r of results.slice(0, 7)) expect(r.code, show(r)).toBe(2);
    expect(results[1]!.stderr).toContain('error: approve: give either cluster ids or --all');
    expect(results[3]!.stderr).toContain('--version is required');
    expect(results[4]!.stderr).toMatch(/-f .*missing\.yaml: cannot read it \(ENOENT\)/);
    const [notFound, badPath, refused, invalid] = results.slice(7);
    expect(invalid!.code).toBe(1);
    expect(invalid!.stderr).toMatch(/^InvalidPolicy: .*\n( {2}- .*\n){2}$/);
    expect(invalid!.stderr).toContain('  - colour: is not a known field\n');
    expect(invalid!.stderr).toContain('  - osm.version: ');
    expect(notFound!.code).toBe(1);
    expect(notFound!.stderr).toBe('PolicyNotFound: policy "nope" does not exist\n');
    expect(badPath!.code).toBe(1);
    expect(badPath!.stderr).toBe('InvalidPathParameter: subscriptionId: must be a subscription GUID\n');
    expect(refused!.code).toBe(1);
    expect(refused!.stderr).toMatch(/^ConnectionFailed: GET http:\/\/127\.0\.0\.1:9\/api\/rollouts\/nope: /);
    for (const r of results) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints a bash completion script from the command tree', async () => {
    const r = await cli('completion', 'bash');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -o default -F _osm_fleet_complete osm-fleet');
    expect(r.stdout).toMatch(
      /"rollout"\) words="start list status clusters pause resume cancel retry-failed approve /,
    );
  });
});
