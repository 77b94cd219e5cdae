/** Issue 14 item 5: duplicate cluster events of one delivery coalesce to the last per cluster. */
import { describe, expect, it } from 'vitest';
import { DELETE_EVENT, WRITE_EVENT, coalesceClusterEvents } from '../../shared/domain/clusterEvent.js';

const SUB = '11111111-1111-4111-8111-111111111111';
const OUT = '33333333-3333-4333-8333-333333333333';
const id = (name: string, sub = SUB) =>
  `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
const ev = (eid: string, cluster: string, kind: 'w' | 'd', second: number) => ({
  id: eid,
  subject: cluster,
  eventType: kind === 'w' ? WRITE_EVENT : DELETE_EVENT,
  eventTime: new Date(Date.UTC(2026, 11, 3, 9, 0, second)).toISOString(),
  data: {
    operationName: `Microsoft.Kubernetes/connectedClusters/${kind === 'w' ? 'write' : 'delete'}`,
    resourceUri: cluster,
  },
});
const ids = (events: unknown[]) => events.map((e) => (e as { id?: string } | null)?.id ?? String(e));

const CASES: [string, unknown[], string[]][] = [
  ['one event stays', [ev('a', id('x'), 'w', 1)], ['a']],
  ['the last write of one cluster wins', [ev('a', id('x'), 'w', 1), ev('b', id('x'), 'w', 2)], ['b']],
  ['a delete after a write wins', [ev('a', id('x'), 'w', 1), ev('b', id('x'), 'd', 2)], ['b']],
  ['a write after a delete wins', [ev('a', id('x'), 'd', 1), ev('b', id('x'), 'w', 2)], ['b']],
  ['same time: the later in the batch wins', [ev('a', id('x'), 'w', 1), ev('b', id('x'), 'd', 1)], ['b']],
  ['by eventTime, not position', [ev('a', id('x'), 'd', 5), ev('b', id('x'), 'w', 2)], ['a']],
  ['cluster ids compare case-insensitively', [ev('a', id('x'), 'w', 1), ev('b', id('X'), 'w', 2)], ['b']],
  [
    'other clusters are kept, in order',
    [ev('a', id('x'), 'w', 1), ev('b', id('y'), 'w', 1), ev('c', id('x'), 'w', 2)],
    ['b', 'c'],
  ],
  [
    'ignored events are all kept (each is logged with its reason)',
    [null, { id: 'm' }, ev('o', id('x', OUT), 'w', 1), ev('p', id('x', OUT), 'w', 2)],
    ['null', 'm', 'o', 'p'],
  ],
];

describe('coalesceClusterEvents', () => {
  it.each(CASES)('%s', (_name, events, kept) => {
    const r = coalesceClusterEvents(events, [SUB]);
    expect(ids(r.kept)).toEqual(kept);
    expect(r.superseded).toBe(events.length - kept.length);
  });

  it('300 events for one cluster leave one', () => {
    const events = Array.from({ length: 300 }, (_, i) => ev(`e${i}`, id('x'), 'w', i % 60));
    expect(coalesceClusterEvents(events, [SUB]).kept).toHaveLength(1);
  });
});
