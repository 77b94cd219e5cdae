/**
 * One local Functions host as its own process, configured from the environment exactly like the app in
 * Azure (see docs/configuration.md), for running several instances against the same Azurite and emulator
 * (scale-out tests, benchmarks). Prints `osm-fleet host listening on <url>` when ready; SIGTERM stops it.
 *   node --import tsx local/hostProcess.ts --port 7072 [--store-prefix t1] [--reconcile-ms 60000]
 *     [--retry-delay-sec 5] [--message-lease-sec 300] [--max-polling-ms 2000] [--quiet]
 */
import { parseArgs } from 'node:util';
import { setAppContextFactory } from '../functions/lib/appContext.js';
import { registrations } from '../functions/registrations.js';
import { loadConfig } from '../shared/config.js';
import { createAppContext } from '../shared/createAppContext.js';
import { jsonLogger } from '../shared/jsonLogger.js';
import { startLocalHost } from './localHost.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'store-prefix': { type: 'string' },
    'reconcile-ms': { type: 'string' },
    'retry-delay-sec': { type: 'string', default: '5' },
    /** How long a message being handled stays invisible (a killed host's messages come back after it). */
    'message-lease-sec': { type: 'string', default: '300' },
    /** Longest wait between polls of an empty queue (host.json maxPollingInterval is 2 s). */
    'max-polling-ms': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
const prefix = values['store-prefix'];
const log = values.quiet ? () => undefined : (line: string) => process.stderr.write(`${line}\n`);
const app = await createAppContext(loadConfig(process.env), {
  ...(prefix ? { tablePrefix: prefix, queuePrefix: `${prefix}-` } : {}),
  logger: values.quiet
    ? { info: () => undefined, warn: () => undefined, error: () => undefined }
    : jsonLogger((l) => log(l)),
});
setAppContextFactory(async () => app);
const host = await startLocalHost({
  registrations,
  consumer: app.store.queueConsumer,
  port: Number(values.port),
  log,
  retryDelaySec: Number(values['retry-delay-sec']),
  messageLeaseSec: Number(values['message-lease-sec']),
  ...(values['max-polling-ms'] ? { maxPollingIntervalMs: Number(values['max-polling-ms']) } : {}),
  maxDequeueCount: app.config.maxDequeueCount,
  ...(values['reconcile-ms'] ? { timerEveryMs: { reconcile: Number(values['reconcile-ms']) } } : {}),
});
process.stdout.write(`osm-fleet host listening on ${host.url}\n`);

const stop = async () => {
  await host.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
