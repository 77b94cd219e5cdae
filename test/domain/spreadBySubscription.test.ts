import { describe, expect, it } from 'vitest';
import { spreadBySubscription, subscriptionOf } from '../../shared/domain/spreadBySubscription.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const id = (sub: string, name: string) =>
  `/subscriptions/${sub}/resourcegroups/rg/providers/microsoft.kubernetes/connectedclusters/${name}`;
const LETTER: Record<string, string> = { [A]: 'A', [B]: 'B', [C]: 'C' };
/** `A:a1` for cluster a1 of subscription A. */
const names = (ids: string[]) => ids.map((i) => `${LETTER[subscriptionOf(i)]}:${i.split('/').pop()}`);

describe('spreadBySubscription', () => {
  it.each([
    {
      what: 'ID order would take one subscription; the slots go round the subscriptions instead',
      pending: [id(A, 'a1'), id(A, 'a2'), id(A, 'a3'), id(B, 'b1'), id(B, 'b2'), id(C, 'c1')],
      inFlight: [],
      free: 4,
      want: ['A:a1', 'B:b1', 'C:c1', 'A:a2'],
    },
    {
      what: 'a subscription with clusters in flight waits for the others to catch up',
      pending: [id(A, 'a3'), id(B, 'b1'), id(B, 'b2'), id(B, 'b3')],
      inFlight: [id(A, 'a1'), id(A, 'a2')],
      free: 3,
      want: ['B:b1', 'B:b2', 'A:a3'],
    },
    {
      what: 'more free slots than pending clusters: all of them, none twice',
      pending: [id(B, 'b2'), id(A, 'a1'), id(B, 'b1')],
      inFlight: [],
      free: 10,
      want: ['A:a1', 'B:b1', 'B:b2'],
    },
    { what: 'no free slot: nothing', pending: [id(A, 'a1')], inFlight: [], free: 0, want: [] },
    {
      what: 'one subscription: plain ID order',
      pending: [id(A, 'a3'), id(A, 'a1'), id(A, 'a2')],
      inFlight: [id(A, 'x')],
      free: 2,
      want: ['A:a1', 'A:a2'],
    },
  ])('$what', ({ pending, inFlight, free, want }) => {
    expect(names(spreadBySubscription(pending, inFlight, free))).toEqual(want);
  });

  it('is deterministic whatever order the pending clusters come in', () => {
    const pending = [A, B, C].flatMap((s) => [1, 2, 3].map((n) => id(s, `n${n}`)));
    const first = spreadBySubscription(pending, [], 5);
    expect(spreadBySubscription([...pending].reverse(), [], 5)).toEqual(first);
  });

  it('reads the subscription of an ARM id in any case', () => {
    expect(subscriptionOf(`/SUBSCRIPTIONS/${A.toUpperCase()}/resourceGroups/x`)).toBe(A);
    expect(subscriptionOf('not-an-id')).toBe('');
  });
});
