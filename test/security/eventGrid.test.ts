/**
 * Hostile Event Grid deliveries at the webhook: malformed events, unknown event types, subjects that are not
 * a connected cluster, subscriptions outside FLEET_SUBSCRIPTIONS and oversized batches change nothing (no
 * ARM write, no rollout, no inventory row, same history) and each is logged with its reason; the validation
 * handshake answers; a valid event, last, does onboard (so the ignored ones were not ignored by accident).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_EVENT, WRITE_EVENT } from '../../shared/domain/clusterEvent.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import { rawHttp } from './support/rawHttp.js';
import { changedKeys, snapshotState } from './support/stateSnapshot.js';

const OUTSIDE = '33333333-3333-4333-8333-333333333333';
const target = clusterIdOf(SUBS[0]!, 'rg-e', 'e-1');
const outsider = clusterIdOf(OUTSIDE, 'rg-e', 'e-out');
/** The webhook's path with its key (the local stand-in for the eventgrid_extension system key). */
const hook = () => {
  const url = new URL(stack.host.eventGridUrl(EVENT_FUNCTION));
  return `${url.pathname}${url.search}`;
};
let stack: FleetStack;

const event = (id: string, subject: string, more: Record<string, unknown> = {}) => ({
  id,
  topic: `/subscriptions/${SUBS[0]!}`,
  subject,
  eventType: WRITE_EVENT,
  eventTime: new Date().toISOString(),
  data: { operationName: 'Microsoft.Kubernetes/connectedClusters/write', resourceUri: subject },
  dataVersion: '2',
  metadataVersion: '1',
  ...more,
});

/** [event, the reason its log line must give]. */
const IGNORED: [unknown, string][] = [
  [{ id: 'm-1' }, 'MalformedEvent'],
  [{ ...event('m-2', target), subject: 42 }, 'MalformedEvent'],
  [{ ...event('m-3', target), data: 'not an object' }, 'MalformedEvent'],
  [event('m-4', 'x'.repeat(5000)), 'MalformedEvent'],
  [event('t-1', target, { eventType: 'Microsoft.Resources.ResourceActionSuccess' }), 'UnhandledEventType'],
  [event('t-2', target, { eventType: 'Microsoft.Storage.BlobCreated' }), 'UnhandledEventType'],
  [
    event('t-3', target, { eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent' }),
    'UnhandledEventType',
  ],
  [
    event('s-1', `${target}/providers/Microsoft.KubernetesConfiguration/extensions/osm`),
    'NotAConnectedCluster',
  ],
  [event('s-2', `/subscriptions/${SUBS[0]!}/resourceGroups/rg-e`), 'NotAConnectedCluster'],
  [event('s-3', 'garbage'), 'NotAConnectedCluster'],
  [event('s-4', target.replace('rg-e', '..')), 'NotAConnectedCluster'],
  [event('s-5', `${target}' or 1==1`), 'NotAConnectedCluster'],
  [event('s-6', target, { data: { resourceUri: `${target}/providers/X/y/z` } }), 'NotAConnectedCluster'],
  [
    event('s-7', target, {
      data: { operationName: 'Microsoft.Kubernetes/connectedClusters/listClusterUserCredential/action' },
    }),
    'NotAConnectedClusterWrite',
  ],
  [event('o-1', outsider), 'SubscriptionOutOfScope'],
  [
    event('o-2', outsider, {
      eventType: DELETE_EVENT,
      data: { operationName: 'Microsoft.Kubernetes/connectedClusters/delete' },
    }),
    'SubscriptionOutOfScope',
  ],
];

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 600_000, events: false });
  await stack.control.seed({
    explicit: [
      { subscriptionId: SUBS[0]!, resourceGroup: 'rg-e', name: 'e-1', distribution: 'aks' },
      { subscriptionId: OUTSIDE, resourceGroup: 'rg-e', name: 'e-out' },
    ],
  });
  const put = await stack.api('PUT', '/api/policies/onboard', {
    osm: { version: '1.2.6' },
    autoOnboard: true,
  });
  expect(put.status).toBe(201);
});
afterAll(async () => stack?.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  rawHttp(stack.host.url, {
    method: 'POST',
    path: hook(),
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });

const reasons = () =>
  stack.logs
    .filter((l) => l.startsWith('{') && l.includes('cluster event ignored'))
    .map((l) => JSON.parse(l) as { reason: string; eventId?: string });

describe('Event Grid webhook', () => {
  it('the validation handshake echoes the code; without one it is a 400', async () => {
    const validation = [
      {
        id: 'v',
        eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
        subject: '',
        eventTime: new Date().toISOString(),
        data: { validationCode: 'code-123' },
      },
    ];
    const ok = await post(JSON.stringify(validation), { 'aeg-event-type': 'SubscriptionValidation' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ validationResponse: 'code-123' });
    const bad = await post(JSON.stringify([{ id: 'v', data: {} }]), {
      'aeg-event-type': 'SubscriptionValidation',
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).error.code).toBe('InvalidValidationEvent');
  });

  it('hostile events change nothing and each is logged with its reason', async () => {
    const before = await snapshotState(stack);
    const logged = reasons().length;
    for (const [e, reason] of IGNORED) {
      const res = await post(JSON.stringify([e]), { 'aeg-event-type': 'Notification' });
      expect(res.status, `${reason}: ${res.text}`).toBe(200);
      const id = (e as { id: string }).id;
      expect(reasons().find((r) => r.eventId === id)?.reason, `log line for ${id}`).toBe(reason);
    }
    for (const junk of ['null', '42', '"text"', '[null, 1, "x", []]', '{"eventType": {"$gt": ""}}']) {
      const res = await post(junk, { 'aeg-event-type': 'Notification' });
      expect(res.status, `${junk}: ${res.text}`).toBe(200);
    }
    expect(reasons().length - logged).toBe(IGNORED.length + 1 + 1 + 1 + 4 + 1);
    expect(
      reasons()
        .slice(IGNORED.length + logged)
        .every((r) => r.reason === 'MalformedEvent'),
    ).toBe(true);
    expect(changedKeys(before, await snapshotState(stack))).toEqual([]);
  });

  it('a body that is not JSON, or an oversized batch, is refused, logged and changes nothing', async () => {
    const before = await snapshotState(stack);
    const notJson = await post('{"id": ');
    expect(notJson.status).toBe(400);
    const batch = JSON.stringify(Array.from({ length: 5_001 }, (_, i) => event(`b-${i}`, target)));
    const big = await post(batch, { 'aeg-event-type': 'Notification' });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).error.code).toBe('BatchTooLarge');
    expect(stack.logs.some((l) => l.includes('BatchTooLarge'))).toBe(true);
    const huge = await post(JSON.stringify([event('h', target, { pad: 'x'.repeat(5 * 1024 * 1024) })]));
    expect(huge.status).toBe(413);
    expect(stack.logs.some((l) => l.includes('refused, body over'))).toBe(true);
    expect(reasons().some((r) => r.eventId?.startsWith('b-') || r.eventId === 'h')).toBe(false);
    expect(changedKeys(before, await snapshotState(stack))).toEqual([]);
  });

  it('control: the same delivery with a valid event onboards the cluster', async () => {
    const res = await post(JSON.stringify([event('ok-1', target)]), { 'aeg-event-type': 'Notification' });
    expect(res.status).toBe(200);
    const rollouts = await waitFor(
      async () => {
        const page = await stack.app.deps.rollouts.list();
        return page.items.length > 0 && page.items;
      },
      10_000,
      () => stack.logs.filter((l) => l.includes('ok-1') || l.includes('handled')).join('\n'),
    );
    expect(rollouts.map((r) => [r.value.policy.name, r.value.trigger])).toEqual([['onboard', 'event']]);
  });
});
