// Starts the real Azurite (Table, Queue and Blob emulator) as a child process on free loopback ports, waits
// until every service accepts connections, and stops it again. The child also exits by itself when its
// stdin closes, i.e. when this process dies without calling stop() (Ctrl-C, SIGKILL of the runner).
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** Keep data in this folder; without it Azurite runs with `--inMemoryPersistence`. */
  location?: string;
  host?: string;
  /** Fixed ports; by default free ports are picked. */
  ports?: { blob: number; queue: number; table: number };
  startTimeoutMs?: number;
}

export interface Azurite {
  connectionString: string;
  blobUrl: string;
  queueUrl: string;
  tableUrl: string;
  pid: number;
  stop(): Promise<void>;
}

// Preloaded into the Azurite process: exit when the parent's end of the stdin pipe closes.
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

async function startOnce(options: AzuriteOptions): Promise<Azurite> {
  const host = options.host ?? '127.0.0.1';
  const ports = options.ports ?? (await pickPorts(host));
  const bin = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const args = [
    '--import',
    WATCHDOG,
    bin,
    '--silent',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--loose',
    ...['--blobHost', host, '--blobPort', String(ports.blob)],
    ...['--queueHost', host, '--queuePort', String(ports.queue)],
    ...['--tableHost', host, '--tablePort', String(ports.table)],
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = () => stopChild(child, exited);
  try {
    await waitUntilListening(host, [ports.blob, ports.queue, ports.table], exited, options.startTimeoutMs);
  } catch (e) {
    await stop();
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
    pid: child.pid ?? -1,
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

async function pickPorts(host: string): Promise<{ blob: number; queue: number; table: number }> {
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
  ports: number[],
  exited: Promise<number | null>,
  timeoutMs = 20_000,
): Promise<void> {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    while (!(await canConnect(host, port))) {
      if (gone !== undefined) throw new Error(`Azurite exited with code ${gone}`);
      if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
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
