/**
 * Issue 14 item 5 at the local webhook: a delivery without the eventgrid_extension key (the Functions host's
 * scheme: `code`) is refused and changes nothing; 300 write events for one cluster in one delivery cost a
 * bounded number of ARM reads (counted at the emulator), not one evaluation per event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_EVENT } from '../../shared/domain/clusterEvent.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import { SUBS, clusterIdOf, startFleetStack, type FleetStack } from '../support/fleetStack.js';

const cluster = clusterIdOf(SUBS[0]!, 'rg-b', 'burst');
let stack: FleetStack;

const event = (i: number) => ({
  id: `burst-${i}`,
  topic: `/subscriptions/${SUBS[0]!}`,
  subject: cluster,
  eventType: WRITE_EVENT,
  eventTime: new Date(Date.now() - 60_000 + i).toISOString(),
  data: { operationName: 'Microsoft.Kubernetes/connectedClusters/write', resourceUri: cluster },
  dataVersion: '2',
  metadataVersion: '1',
});

const deliver = (url: string, events: unknown[]) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
    body: JSON.stringify(events),
  });

const reads = async () => (await stack.control.stats()).requestsBySubscription[SUBS[0]!] ?? 0;
const handled = () => stack.logs.filter((l) => l.includes('"p":"cluster event handled"')).length;

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 600_000, events: false });
  await stack.control.seed({
    explicit: [{ subscriptionId: SUBS[0]!, resourceGroup: 'rg-b', name: 'burst', distribution: 'aks' }],
  });
});
afterAll(async () => stack?.stop());

describe('Event Grid webhook: key and batches', () => {
  it('without the key, or with a wrong one: 401, nothing handled, no ARM read', async () => {
    const before = await reads();
    const url = new URL(stack.host.eventGridUrl(EVENT_FUNCTION));
    const wrong = new URL(url);
    wrong.searchParams.set('code', 'not-the-key');
    const none = new URL(url);
    none.searchParams.delete('code');
    for (const u of [none, wrong]) {
      const res = await deliver(u.toString(), [event(0)]);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('Unauthorized');
    }
    expect(handled()).toBe(0);
    expect(await reads()).toBe(before);
  });

  it('300 events for one cluster in one delivery: one evaluation, a bounded number of ARM reads', async () => {
    const before = await reads();
    const res = await deliver(
      stack.host.eventGridUrl(EVENT_FUNCTION),
      Array.from({ length: 300 }, (_, i) => event(i)),
    );
    expect(res.status).toBe(200);
    expect(handled()).toBe(1);
    const spent = (await reads()) - before;
    expect(spent).toBeGreaterThan(0); // the cluster was looked at
    expect(spent).toBeLessThanOrEqual(4);
    expect(
      stack.logs.some((l) => l.includes('cluster events coalesced') && l.includes('"superseded":299')),
    ).toBe(true);
  });
});
