/**
 * `npm start`: osm-fleet on this machine, end to end. Starts Azurite (data under .local/azurite), the Arc
 * fleet emulator seeded with a demo fleet, and the local Functions stand-in serving the API, the timer, the
 * queue workers and the Event Grid webhook. Unless --no-demo, it creates the demo policy, starts a rollout,
 * shows its progress per wave and prints a summary; then keeps serving until Ctrl-C.
 */
import { mkdirSync } from 'node:fs';
import { createEmulator } from '../emulator/createEmulator.js';
import { seedFleet } from '../emulator/seedFleet.js';
import { setAppContextFactory } from '../functions/lib/appContext.js';
import { registrations } from '../functions/registrations.js';
import { loadConfig } from '../shared/config.js';
import { createAppContext } from '../shared/createAppContext.js';
import { EVENT_FUNCTION } from '../shared/functionNames.js';
import { jsonLogger } from '../shared/jsonLogger.js';
import { DEMO_POLICY } from './demoPolicy.js';
import { demoSeed } from './demoSeed.js';
import { demoSubscriptionId } from './demoFleet.js';
import { startLocalHost } from './localHost.js';
import { runDemo } from './runDemo.js';
import { startAzurite } from './startAzurite.js';
import { busyPort, parseStartArgs, stackPorts } from './startFlags.js';
import { configPath } from '../cli/config.js';
import { localContextPath, removeLocalContext, writeLocalContext } from '../cli/localContext.js';

const parsed = parseStartArgs(process.argv.slice(2));
if (!parsed.ok) {
  (parsed.exitCode ? console.error : console.log)(parsed.text);
  process.exit(parsed.exitCode);
}
const flags = parsed.flags;
const busy = await busyPort(stackPorts(flags));
if (busy) {
  console.error(`error: ${busy}`);
  process.exit(1);
}
const num = (k: keyof typeof flags) => Number(flags[k]);
mkdirSync('.local', { recursive: true });
const started = Date.now();

const azuritePort = num('azurite-port');
const azurite = await startAzurite({
  location: '.local/azurite',
  ports: { blob: azuritePort, queue: azuritePort + 1, table: azuritePort + 2 },
});
const emulator = await createEmulator({
  port: num('emulator-port'),
  caDir: '.local/emulator',
  config: { installMs: num('install-ms'), installJitterMs: Math.round(num('install-ms') / 3) },
});
const subscriptions = Array.from({ length: num('subscriptions') }, (_, i) => demoSubscriptionId(i));
const seeded = seedFleet(emulator.context, demoSeed(num('clusters'), subscriptions));

const env = {
  ...process.env,
  FLEET_SUBSCRIPTIONS: process.env.FLEET_SUBSCRIPTIONS ?? subscriptions.join(','),
  AzureWebJobsStorage: azurite.connectionString,
  ARM_ENDPOINT: emulator.endpoint,
  ARM_CA_FILE: emulator.caFile,
  ARM_STATIC_TOKEN: 'local-static-token',
  KEY_VAULT_URL: emulator.endpoint, // the emulator's Key Vault secrets endpoint
  FLEET_CHECK_DELAY_SECONDS: process.env.FLEET_CHECK_DELAY_SECONDS ?? '2',
};
const logLines: string[] = [];
const log = (line: string) =>
  flags.verbose ? console.log(line) : logLines.push(line) > 2000 && logLines.splice(0, 1000);
const app = await createAppContext(loadConfig(env), {
  logger: flags.verbose ? jsonLogger() : jsonLogger((l) => log(l)),
});
setAppContextFactory(async () => app);
const host = await startLocalHost({
  registrations,
  consumer: app.store.queueConsumer,
  port: num('port'),
  log,
  timerEveryMs: { reconcile: num('reconcile-seconds') * 1000 },
  retryDelaySec: 5,
  maxDequeueCount: app.config.maxDequeueCount,
});
await emulator.context.events.add({
  url: host.eventGridUrl(EVENT_FUNCTION),
});

const contextFile = localContextPath(configPath());
writeLocalContext(contextFile, {
  endpoint: `${host.url}/api`,
  pid: process.pid,
  startedAt: new Date().toISOString(),
});
const cliLine =
  num('port') === 7071
    ? 'npx osm-fleet rollout list'
    : `npx osm-fleet --endpoint ${host.url}/api rollout list`;

console.log(`osm-fleet is running locally (started in ${((Date.now() - started) / 1000).toFixed(1)} s)
  API            ${host.url}/api   (try: curl ${host.url}/api/health)
  Dashboard      ${host.url}/api/dashboard${app.apiKey ? '?code=<FLEET_API_KEY>' : ''}
  Arc emulator   ${emulator.endpoint}   CA file ${emulator.caFile}   (control: ${emulator.endpoint}/_emulator/stats)
  Azurite        tables ${azurite.tableUrl}  queues ${azurite.queueUrl}  blobs ${azurite.blobUrl}
  Fleet          ${seeded.clusters} demo clusters over subscriptions ${subscriptions.join(', ')}
  CLI            ${cliLine}   (on this machine plain \`npx osm-fleet\` finds this stack: ${contextFile})
Ctrl-C stops everything.`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping...');
  removeLocalContext(contextFile);
  await host.stop();
  await emulator.close();
  await azurite.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

if (!flags['no-demo']) await runDemo(host.url, DEMO_POLICY);
