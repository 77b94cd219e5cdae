/** A one-off install on a distribution the Arc OSM extension does not list: refused unless asked for. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';
import { extensionOf, seedAndSettle, seedCluster, waitRollout } from '../support/rolloutFlow.js';

const S = SUBS[0]!;
const RG = 'rg-k3s';
const clusters = ['k-plain', 'k-new', 'k-old'].map((n) => seedCluster(S, RG, n, { distribution: 'k3s' }));
const osmPath = (name: string) => `/api/clusters/${S}/${RG}/${name}/osm`;
let stack: FleetStack;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, clusters);
}, 30_000);
afterAll(async () => stack?.stop());

describe('one-off install on an unsupported distribution', () => {
  it('is refused 422 UnsupportedDistribution by default, and nothing is sent to ARM', async () => {
    const r = await stack.api('PUT', osmPath('k-plain'), { version: '1.2.6' });
    expectError(r, 422, 'UnsupportedDistribution');
    expect(await extensionOf(stack, clusters[0]!.id)).toBeUndefined();
    expect((await stack.control.stats()).putsPerCluster[clusters[0]!.id.toLowerCase()] ?? 0).toBe(0);
  });

  it.each([
    ['includeUnsupportedDistributions', 1],
    ['includeUnsupportedDistribution', 2], // the deprecated spelling, still accepted
  ] as const)('installs with %s: true', async (field, i) => {
    const c = clusters[i]!;
    const r = await stack.api('PUT', osmPath(c.name), { version: '1.2.6', [field]: true });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body).toMatchObject({ action: 'install', to: '1.2.6' });
    expect((await waitRollout(stack, r.body.rolloutId)).state).toBe('Succeeded');
    expect((await extensionOf(stack, c.id))?.resource.properties.currentVersion).toBe('1.2.6');
  });
});
