// Starts the real Azurite (Table, Queue and Blob emulator) as child processes on free loopback ports, one
// process per service (Azurite's own per-service entry points), waits until every service accepts
// connections, and stops them again. One process per service, like the separate services of a storage
// account: Azurite's in-memory store costs CPU that grows with what it holds (docs/performance.md), and in
// one process the queue's work and the table's work queue up behind each other on one core. Each child also
// exits by itself when its stdin closes, i.e. when this process dies without calling stop() (Ctrl-C,
// SIGKILL of the runner).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export type AzuriteService = 'blob' | 'queue' | 'table';
const SERVICES: readonly AzuriteService[] = ['blob', 'queue', 'table'];

export interface AzuriteOptions {
  /** Keep data in this folder; without it Azurite runs with `--inMemoryPersistence`. */
  location?: string;
  /**
   * The queue service's folder when the others run in memory. Azurite's in-memory queue store keeps each
   * message body as an extent of its own, and its garbage collector, once a minute, deletes the extents of
   * the messages gone one by one, each removal linear in the number of extents: at 20,000 messages a minute
   * that takes a whole core for 30 to 60 s, and no queue request is answered meanwhile (docs/performance.md).
   * On disk the bodies share extent files and the collector has next to nothing to do. Azure's queues
   * have no such pause; a bench that runs thousands of messages a minute sets this.
   */
  queueLocation?: string;
  host?: string;
  /** Fixed ports; by default free ports are picked. */
  ports?: Record<AzuriteService, number>;
  startTimeoutMs?: number;
}

export interface Azurite {
  connectionString: string;
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  /** The process of each service. */
  pids: Record<AzuriteService, number>;
  stop(): Promise<void>;
}

// Preloaded into each Azurite process: exit when the parent's end of the stdin pipe closes.
const WATCHDOG =
  'data:text/javascript,process.stdin.on("end",()=>process.exit(0));process.stdin.on("error",()=>process.exit(0));process.stdin.resume();process.stdin.unref();';

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      lastError = e; // most likely a port taken between picking it and Azurite binding it
      if (options.ports) break;
    }
  }
  throw lastError;
}

interface Child {
  service: AzuriteService;
  process: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function spawnService(service: AzuriteService, host: string, port: number, location?: string): Child {
  const bin = createRequire(import.meta.url).resolve(`azurite/dist/src/${service}/main.js`);
  const args = [
    // Extra node flags for Azurite, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it under a bench.
    ...(process.env.AZURITE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    '--import',
    WATCHDOG,
    bin,
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--loose',
    ...[`--${service}Host`, host, `--${service}Port`, String(port)],
    ...(location ? ['--location', location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { service, process: child, exited, stderr: () => stderr };
}

async function startOnce(options: AzuriteOptions): Promise<Azurite> {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? (await pickPorts(host));
  const where = (s: AzuriteService) => (s === 'queue' && options.queueLocation) || options.location;
  const children = SERVICES.map((s) => spawnService(s, host, ports[s], where(s)));
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c.process, c.exited)));
  };
  try {
    await Promise.all(
      children.map((c) => waitUntilListening(host, ports[c.service], c.exited, options.startTimeoutMs)),
    );
  } catch (e) {
    await stop();
    const stderr = children.map((c) => c.stderr()).join('');
    throw new Error(`Azurite did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  const base = (port: number) => `http://${host}:${port}/${AZURITE_ACCOUNT}`;
  const blobUrl = base(ports.blob);
  const queueUrl = base(ports.queue);
  const tableUrl = base(ports.table);
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blobUrl};QueueEndpoint=${queueUrl};TableEndpoint=${tableUrl};`,
    blobUrl,
    queueUrl,
    tableUrl,
    pids: Object.fromEntries(children.map((c) => [c.service, c.process.pid ?? -1])) as Azurite['pids'],
    stop,
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function pickPorts(host: string): Promise<Record<AzuriteService, number>> {
  const [blob = 0, queue = 0, table = 0] = await freePorts(3, host);
  return { blob, queue, table };
}

/** `count` distinct ports that were free a moment ago: listen on port 0 (all at once), read, close. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, host, () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        }),
    ),
  );
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function waitUntilListening(
  host: string,
  port: number,
  exited: Promise<number | null>,
  timeoutMs = 20_000,
): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(host, port))) {
    if (gone !== undefined) throw new Error(`Azurite exited with code ${gone}`);
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
