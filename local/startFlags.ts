/**
 * The flags of `npm start`, their help, and the checks made before anything starts: an unknown flag or
 * `--help` prints the flags (no stack), and a port already in use is named with the flag that moves it.
 */
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

export const START_FLAGS = {
  port: { type: 'string', default: '7071', help: 'port of the API, dashboard and webhook' },
  'emulator-port': { type: 'string', default: '8443', help: 'port of the Arc fleet emulator (HTTPS)' },
  'azurite-port': {
    type: 'string',
    default: '10000',
    help: 'first of three Azurite ports (blob, queue = +1, table = +2)',
  },
  clusters: { type: 'string', default: '200', help: 'demo clusters to seed' },
  subscriptions: { type: 'string', default: '3', help: 'demo subscriptions' },
  'install-ms': { type: 'string', default: '3000', help: 'how long an emulated extension install takes' },
  'reconcile-seconds': { type: 'string', default: '5', help: 'timer interval' },
  'no-demo': { type: 'boolean', default: false, help: 'do not create the demo policy and rollout' },
  verbose: { type: 'boolean', default: false, help: 'print the JSON logs' },
  help: { type: 'boolean', default: false, help: 'print these flags' },
} as const;

type Flags = {
  -readonly [K in keyof typeof START_FLAGS]: (typeof START_FLAGS)[K]['default'] extends boolean
    ? boolean
    : string;
};

export type StartArgs = { ok: true; flags: Flags } | { ok: false; exitCode: number; text: string };

export function startUsage(): string {
  const rows = Object.entries(START_FLAGS).map(([name, f]) => {
    const left = `  --${name}${f.type === 'string' ? ' <n>' : ''}`;
    const def = f.type === 'string' ? ` (default ${f.default})` : '';
    return `${left.padEnd(26)} ${f.help}${def}`;
  });
  return `usage: npm start -- [flags]\n\n${rows.join('\n')}`;
}

export function parseStartArgs(argv: readonly string[]): StartArgs {
  const options = Object.fromEntries(
    Object.entries(START_FLAGS).map(([k, f]) => [k, { type: f.type, default: f.default }]),
  ) as { [K in keyof typeof START_FLAGS]: { type: (typeof START_FLAGS)[K]['type']; default: never } };
  let flags: Flags;
  try {
    flags = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Flags;
  } catch (e) {
    return { ok: false, exitCode: 2, text: `error: ${(e as Error).message}\n\n${startUsage()}` };
  }
  if (flags.help) return { ok: false, exitCode: 0, text: startUsage() };
  for (const [name, f] of Object.entries(START_FLAGS)) {
    if (f.type !== 'string') continue;
    const v = flags[name as keyof Flags] as string;
    if (!/^\d+$/.test(v) || Number(v) < 1)
      return { ok: false, exitCode: 2, text: `error: --${name} must be a positive integer, not "${v}"` };
    if (name.endsWith('port') && Number(v) > 65535 - 2)
      return { ok: false, exitCode: 2, text: `error: --${name} must be a port number, not "${v}"` };
  }
  return { ok: true, flags };
}

/** The ports the stack listens on, each with the flag that sets it. */
export function stackPorts(flags: Flags): { port: number; flag: string }[] {
  const azurite = Number(flags['azurite-port']);
  return [
    { port: Number(flags.port), flag: '--port' },
    { port: Number(flags['emulator-port']), flag: '--emulator-port' },
    { port: azurite, flag: '--azurite-port' },
    { port: azurite + 1, flag: '--azurite-port (queue = +1)' },
    { port: azurite + 2, flag: '--azurite-port (table = +2)' },
  ];
}

/** The first port already taken, as a sentence naming it and its flag; undefined when all are free. */
export async function busyPort(ports: readonly { port: number; flag: string }[], host = '127.0.0.1') {
  for (const p of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(p.port, host, () => server.close(() => resolve(true)));
    });
    if (!free)
      return `port ${p.port} is already in use (EADDRINUSE): another osm-fleet stack or program listens there; choose another with ${p.flag.split(' ')[0]} <n>, e.g. ${p.flag.split(' ')[0]} ${p.port + 100}`;
  }
  return undefined;
}
