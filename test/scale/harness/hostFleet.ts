/**
 * Several `local/hostProcess.ts` children sharing one Azurite and one emulator (same store prefix), for
 * scale-out tests and the chaos benchmark: start, SIGKILL, restart, stop. Every child is tracked so that
 * `stopAll` (called from afterAll, also on failure, and on process exit) leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The hosts' Event Grid webhook key (FLEET_EVENTGRID_KEY): deliveries carry it as `code`. */
export const SCALE_EVENTGRID_KEY = 'scale-eventgrid-key';

export interface HostEnv {
  subscriptions: string[];
  storage: string;
  armEndpoint: string;
  caFile: string;
  /** Extra environment (FLEET_OPERATION_DEADLINE_MINUTES, ...). */
  extra?: Record<string, string>;
}

export interface HostOptions {
  prefix: string;
  reconcileMs: number;
  retryDelaySec?: number;
  /** How long a message being handled stays invisible (`--message-lease-sec`; default the host's 300 s). */
  messageLeaseSec?: number;
  /** Longest idle wait between queue polls (the host's default is host.json's 2 s). */
  maxPollingMs?: number;
  /** Keep the last lines of each child's log (stderr) for diagnosis; default 200. */
  keepLines?: number;
  quiet?: boolean;
}

export interface RunningHost {
  index: number;
  url: string;
  child: ChildProcess;
  log: string[];
  alive: boolean;
  /** Timer `reconcile` runs this host finished (its "reconcile finished" lines; none with --quiet). */
  reconcilePasses: number;
}

export class HostFleet {
  readonly hosts: (RunningHost | undefined)[] = [];
  kills = 0;
  /** Warning and error phrases counted across every host (e.g. 'warn: lost step message re-sent'). */
  readonly phrases = new Map<string, number>();
  private readonly onExit = () => this.killAllNow();

  constructor(
    private readonly env: HostEnv,
    private readonly options: HostOptions,
  ) {
    process.once('exit', this.onExit);
  }

  /** Starts host `index` (again, after a kill) and waits for its "listening" line. */
  async start(index: number, timeoutMs = 30_000): Promise<RunningHost> {
    const o = this.options;
    const args = ['--import', 'tsx', 'local/hostProcess.ts', '--port', '0', '--store-prefix', o.prefix];
    args.push('--reconcile-ms', String(o.reconcileMs), '--retry-delay-sec', String(o.retryDelaySec ?? 1));
    if (o.maxPollingMs) args.push('--max-polling-ms', String(o.maxPollingMs));
    if (o.messageLeaseSec) args.push('--message-lease-sec', String(o.messageLeaseSec));
    if (o.quiet) args.push('--quiet');
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FLEET_SUBSCRIPTIONS: this.env.subscriptions.join(','),
        AzureWebJobsStorage: this.env.storage,
        ARM_ENDPOINT: this.env.armEndpoint,
        ARM_CA_FILE: this.env.caFile,
        ARM_STATIC_TOKEN: 'scale-test-token',
        FLEET_EVENTGRID_KEY: SCALE_EVENTGRID_KEY,
        KEY_VAULT_URL: this.env.armEndpoint,
        FLEET_CHECK_DELAY_SECONDS: '1',
        ...this.env.extra,
      },
    });
    const host: RunningHost = { index, url: '', child, log: [], alive: true, reconcilePasses: 0 };
    this.hosts[index] = host;
    const keep = o.keepLines ?? 200;
    // CAMPAIGN_LOG_DIR=<dir>: every log line of host i also goes to <dir>/host-<i>.log (diagnosis).
    const logDir = process.env.CAMPAIGN_LOG_DIR;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (logDir) appendFileSync(join(logDir, `host-${index}.log`), chunk);
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        host.log.push(line);
        if (line.includes('reconcile: reconcile finished')) host.reconcilePasses++;
        const json = /"level":"(warn|error)","msg":"([^"]+)"/.exec(line);
        const poller = /^\[(warn|error)\] ([\w-]+): ([^(:]{0,60})/.exec(line);
        const phrase = json
          ? `${json[1]}: ${json[2]}`
          : poller
            ? `${poller[1]}: ${poller[2]}: ${poller[3]}`
            : '';
        if (phrase) this.phrases.set(phrase, (this.phrases.get(phrase) ?? 0) + 1);
      }
      if (host.log.length > keep) host.log.splice(0, host.log.length - keep);
    });
    child.once('exit', () => (host.alive = false));
    host.url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`host ${index} did not start: ${host.log.join('\n')}`)),
        timeoutMs,
      );
      let out = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const m = /osm-fleet host listening on (\S+)/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`host ${index} exited (${code ?? signal}): ${host.log.slice(-20).join('\n')}`));
      });
    });
    return host;
  }

  /** kill -9, as a crashed instance: no cleanup, in-flight messages stay invisible. */
  kill(index: number): void {
    const host = this.hosts[index];
    if (!host?.alive || host.child.pid === undefined) return;
    process.kill(host.child.pid, 'SIGKILL');
    host.alive = false;
    this.kills++;
  }

  url(index: number): string {
    const host = this.hosts[index];
    if (!host?.alive) throw new Error(`host ${index} is not running`);
    return host.url;
  }

  /** Resolves once some running host has finished `n` more reconcile passes than now: passes that began after this call. */
  async reconcilePassesAfterNow(n = 2, timeoutMs = 30_000): Promise<void> {
    const start = this.hosts.map((h) => h?.reconcilePasses ?? 0);
    const deadline = Date.now() + timeoutMs;
    while (!this.hosts.some((h, i) => h?.alive && h.reconcilePasses >= (start[i] ?? 0) + n)) {
      if (Date.now() > deadline) throw new Error(`no host finished ${n} reconcile passes in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  logs(): string {
    return this.hosts.map((h, i) => `--- host ${i}\n${(h?.log ?? []).slice(-30).join('\n')}`).join('\n');
  }

  /** SIGTERM every child, SIGKILL the ones still there after `graceMs`. */
  async stopAll(graceMs = 3_000): Promise<void> {
    const running = this.hosts.filter((h): h is RunningHost => !!h?.alive);
    await Promise.all(
      running.map(
        (h) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              if (h.child.pid !== undefined && h.alive) process.kill(h.child.pid, 'SIGKILL');
              resolve();
            }, graceMs);
            h.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            if (h.child.pid !== undefined) process.kill(h.child.pid, 'SIGTERM');
          }),
      ),
    );
    process.off('exit', this.onExit);
  }

  private killAllNow(): void {
    for (const h of this.hosts)
      if (h?.alive && h.child.pid !== undefined)
        try {
          process.kill(h.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
  }
}
