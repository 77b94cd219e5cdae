// npm run emulator -- --clusters 500 --subscriptions 3 --port 8443
import { parseArgs } from 'node:util';
import { createEmulator } from './createEmulator.js';
import { seedFleet } from './seedFleet.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8443' },
    host: { type: 'string', default: '127.0.0.1' },
    clusters: { type: 'string', default: '0' },
    subscriptions: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'osm-fraction': { type: 'string', default: '0.3' },
    'offline-fraction': { type: 'string', default: '0.02' },
    'install-ms': { type: 'string' },
    'ca-dir': { type: 'string' },
    'no-throttling': { type: 'boolean', default: false },
  },
});

const emulator = await createEmulator({
  port: Number(values.port),
  host: values.host,
  caDir: values['ca-dir'],
  config: {
    ...(values['install-ms'] ? { installMs: Number(values['install-ms']) } : {}),
    ...(values['no-throttling'] ? { throttling: { enabled: false } } : {}),
  },
});
const clusters = Number(values.clusters);
if (clusters > 0) {
  const result = seedFleet(emulator.context, {
    seed: Number(values.seed),
    clusters,
    subscriptions: Number(values.subscriptions),
    osm: {
      fraction: Number(values['osm-fraction']),
      versions: { '1.0.0': 1, '1.1.1': 2, '1.2.3': 2, '1.2.6': 3 },
    },
    offlineFraction: Number(values['offline-fraction']),
  });
  console.log(`seeded ${result.clusters} clusters over subscriptions ${result.subscriptions.join(', ')}`);
}
console.log(`Arc fleet emulator listening on ${emulator.endpoint}`);
console.log(`CA certificate: ${emulator.caFile}`);
console.log(`Control surface: ${emulator.endpoint}/_emulator/stats`);

async function shutdown(): Promise<void> {
  await emulator.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
