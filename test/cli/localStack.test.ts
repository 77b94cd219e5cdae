/**
 * `npm start` and the CLI together, as a new user runs them: flags and help without a stack trace, a busy
 * port named with its flag, a stack on other ports found by the CLI through the local context file, and
 * a reader that closes the pipe early (`| head`) ends the CLI quietly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../local/startAzurite.js';
import { waitFor } from '../support/fleetStack.js';
import { cliEnv, runCli, show } from './runCli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(|node:internal|ERR_PARSE_ARGS/);

function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('npm start flags', () => {
  it('--help prints the flags and exits 0; an unknown flag prints them too, exit 2, no stack', async () => {
    const help = start(['--help'], cliEnv());
    expect(await help.exited).toBe(0);
    expect(help.out()).toContain('--port <n>');
    expect(help.out()).toContain('--azurite-port <n>');
    const bad = start(['--bogus'], cliEnv());
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toContain("Unknown option '--bogus'");
    expect(bad.err()).toContain('--emulator-port <n>');
    noStack(bad.err());
  });

  it('a busy port is named with the flag that moves it, exit 1, no stack', async () => {
    const server: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    try {
      const [emu = 0, az = 0] = await freePorts(2);
      const run = start(
        ['--port', String(port), '--emulator-port', String(emu), '--azurite-port', String(az)],
        cliEnv(),
      );
      expect(await run.exited).toBe(1);
      expect(run.err()).toContain(`port ${port} is already in use (EADDRINUSE)`);
      expect(run.err()).toContain('--port <n>');
      noStack(run.err());
    } finally {
      server.close();
    }
  });
});

describe('a stack on other ports', () => {
  let stack: ReturnType<typeof start>;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    env = cliEnv();
    // Azurite takes three consecutive ports: pick a base whose next two are free as well.
    const [api = 0, emu = 0] = await freePorts(2);
    port = api;
    const azurite = 20000 + (process.pid % 20000);
    stack = start(
      [
        '--port',
        String(api),
        '--emulator-port',
        String(emu),
        '--azurite-port',
        String(azurite),
        '--no-demo',
        '--clusters',
        '12',
      ],
      env,
    );
    await waitFor(
      async () => stack.out().includes('Ctrl-C stops everything'),
      90_000,
      () => stack.out() + stack.err(),
    );
  }, 120_000);
  afterAll(async () => {
    stack?.child.kill('SIGINT');
    await stack?.exited;
  });

  it('prints the CLI line in its banner, and the CLI finds it without --endpoint', async () => {
    expect(stack.out()).toMatch(/CLI\s+npx osm-fleet --endpoint http:\/\/127\.0\.0\.1:\d+\/api rollout list/);
    const shown = await runCli(['config', 'show'], env);
    expect(shown.code, show(shown)).toBe(0);
    expect(shown.stdout).toContain(`http://127.0.0.1:${port}/api (local stack)`);
    expect(shown.stdout.match(/\(none\)/g)).toHaveLength(1); // key: (none), once
    const policies = await runCli(['policy', 'list'], env);
    expect(policies.code, show(policies)).toBe(0);
  });

  it('ends quietly when the reader closes the pipe (osm-fleet ... | head)', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', 'cli/main.ts', 'completion', 'bash'],
      {
        cwd: ROOT,
        env,
      },
    );
    child.stdout?.destroy(); // the reader is gone before the CLI writes
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
  });

  it('removes its context file on Ctrl-C: the CLI falls back to the default', async () => {
    const file = join(env.HOME!, '.config', 'osm-fleet', 'local-stack.json');
    expect(existsSync(file)).toBe(true);
    stack.child.kill('SIGINT');
    await stack.exited;
    expect(existsSync(file)).toBe(false);
    const shown = await runCli(['config', 'show'], env);
    expect(shown.stdout).toContain('http://127.0.0.1:7071/api (default)');
  });
});
