/**
 * The audit actor (issue 14, item 8; docs/security.md): `x-ms-client-principal-name` is believed only when
 * App Service Authentication vouches for it (WEBSITE_AUTH_ENABLED, config.trustClientPrincipal); otherwise a
 * client could write any name into the history. Exercised through the local host and the real httpEndpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAppContextFactory } from '../../functions/lib/appContext.js';
import { httpEndpoint } from '../../functions/lib/httpEndpoint.js';
import { startLocalHost, type LocalHost } from '../../local/localHost.js';
import type { AppContext } from '../../shared/appContext.js';
import type { StorageQueueConsumer } from '../../shared/store/storageQueueConsumer.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

/** A route that answers with the actor the endpoint computed, as every real route records it. */
const whoami = httpEndpoint({
  name: 'whoami',
  methods: ['POST'],
  route: 'whoami',
  handle: async ({ actor }) => ({ status: 200, body: { actor } }),
});

let host: LocalHost;
const app: AppContext = {
  deps: fakeDeps(),
  version: 'test',
  checkHealth: async () => ({ storage: 'ok', arm: 'ok' }),
};

beforeAll(async () => {
  setAppContextFactory(async () => app);
  host = await startLocalHost({
    registrations: [whoami],
    consumer: {} as StorageQueueConsumer,
    port: 0,
    log: () => {},
  });
});
afterAll(async () => host?.stop());

async function actor(headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${host.url}/api/whoami`, { method: 'POST', headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as { actor: string }).actor;
}

describe('the audit actor', () => {
  it('ignores a client-sent principal name when no authentication platform is in front', async () => {
    app.trustClientPrincipal = false;
    expect(await actor({ 'x-ms-client-principal-name': 'mallory@example.com' })).toBe('api:key');
    expect(await actor({})).toBe('api:key');
  });

  it('records the principal App Service Authentication set, when it is on', async () => {
    app.trustClientPrincipal = true;
    expect(await actor({ 'x-ms-client-principal-name': 'alice@example.com' })).toBe('api:alice@example.com');
    expect(await actor({})).toBe('api:key');
    expect(await actor({ 'x-ms-client-principal-name': 'a'.repeat(1000) })).toBe(`api:${'a'.repeat(256)}`);
  });
});
