// The CLI starts the emulator, seeds it, prints the endpoint and CA path, and stops on SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorControl } from '../../emulator/emulatorControl.js';

describe('emulator CLI', () => {
  it('serves a seeded fleet on the printed endpoint with the printed CA', async () => {
    const caDir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'emulator/cli.ts',
        '--port',
        '0',
        '--clusters',
        '25',
        '--subscriptions',
        '2',
        '--ca-dir',
        caDir,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('CA certificate:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
      });
      const endpoint = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      const caFile = /CA certificate: (.+)/.exec(out)?.[1]?.trim() ?? '';
      expect(caFile).toBe(join(caDir, 'ca.pem'));
      expect(out).toMatch(/seeded 25 clusters over subscriptions [0-9a-f-]{36}, [0-9a-f-]{36}/);
      const stats = await new EmulatorControl(endpoint, readFileSync(caFile, 'utf8')).stats();
      expect(stats.clusters).toBe(25);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
