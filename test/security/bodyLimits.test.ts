/**
 * Body size limits on every HTTP route of the registration table: a body over MAX_BODY_BYTES is a 413 with
 * the error shape (also on routes that read no body, and whatever the content-type says); a declared
 * content-length over the host's limit is refused at once, before the body arrives; nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRegistration } from '../../functions/lib/functionRegistration.js';
import { MAX_BODY_BYTES } from '../../functions/lib/httpEndpoint.js';
import { registrations } from '../../functions/registrations.js';
import { policyBody } from '../support/apiExpect.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { samplePath } from '../support/routeSamples.js';
import { rawHttp, type RawResponse } from './support/rawHttp.js';
import { changedKeys, snapshotState } from './support/stateSnapshot.js';

const http = registrations.filter((r): r is HttpRegistration => r.kind === 'http');
const calls = http.flatMap((r) =>
  r.methods.map((method) => ({ name: r.name, method: String(method), path: samplePath(r.route) })),
);
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 600_000, events: false });
});
afterAll(async () => stack?.stop());

function expect413(res: RawResponse, what: string): void {
  expect(res.status, `${what}: ${res.text.slice(0, 200)}`).toBe(413);
  expect(String(res.headers['content-type'])).toMatch(/application\/json/);
  expect(JSON.parse(res.text)).toEqual({ error: { code: 'PayloadTooLarge', message: expect.any(String) } });
}

describe('body limits', () => {
  it.each(calls)('$method $path ($name): a body over the limit is 413', async ({ method, path }) => {
    const before = await snapshotState(stack);
    const pad = 'x'.repeat(MAX_BODY_BYTES + 1);
    for (const [type, body] of [
      ['application/json', JSON.stringify({ policy: 'sample', pad })],
      ['text/plain', pad],
      ['application/json', `[${'1,'.repeat(MAX_BODY_BYTES / 2)}1]`],
    ] as const)
      expect413(
        await rawHttp(stack.host.url, { method, path, body, headers: { 'content-type': type } }),
        path,
      );
    expect(changedKeys(before, await snapshotState(stack))).toEqual([]);
  });

  it('a body of exactly the limit is not refused for its size', async () => {
    const text = JSON.stringify({ osm: { version: '1.2.6' }, description: '' });
    const body = text.replace(
      '"description":""',
      `"description":"${'d'.repeat(MAX_BODY_BYTES - text.length)}"`,
    );
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    const res = await rawHttp(stack.host.url, { method: 'PUT', path: '/api/policies/edge', body });
    expect(res.status, res.text.slice(0, 200)).toBe(422); // description is over its own 1024-char cap
  });

  it('a declared content-length over the host limit is refused before the body is sent', async () => {
    const started = Date.now();
    const res = await rawHttp(
      stack.host.url,
      { method: 'PUT', path: '/api/policies/huge', body: '{"a":', contentLength: 10 * 1024 * 1024 * 1024 },
      3_000,
    );
    expect413(res, 'declared 10 GiB');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await stack.api('GET', '/api/policies/huge')).status).toBe(404);
  });

  it('junk after a declared content-length never hides the answer of the request it follows', async () => {
    for (let i = 0; i < 5; i++) {
      const name = `junk-${i}`;
      expect((await stack.api('PUT', `/api/policies/${name}`, policyBody())).status).toBe(201);
      // The server reads 2 bytes of body; the rest ("xxx…") is no HTTP request. The DELETE is carried out,
      // so its own 204 must be what the client reads, not the 400 of the junk behind it.
      const body = `{}${'x'.repeat(2_000)}`;
      const res = await rawHttp(stack.host.url, {
        method: 'DELETE',
        path: `/api/policies/${name}`,
        body,
        contentLength: 2,
      });
      expect(res.status, res.text.slice(0, 200)).toBe(204);
      expect((await stack.api('GET', `/api/policies/${name}`)).status).toBe(404);
    }
  });
});
