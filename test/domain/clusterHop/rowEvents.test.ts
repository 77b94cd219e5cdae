import { describe, expect, it } from 'vitest';
import {
  MAX_HELD_EVENTS,
  eventsMayWait,
  planEventWrite,
  unsureEvents,
} from '../../../shared/domain/clusterHop/rowEvents.js';
import type { RowHistoryEvent } from '../../../shared/domain/records.js';
import type { ClusterState } from '../../../shared/domain/rolloutState.js';

const ev = (seq: number, action = `E${seq}`): RowHistoryEvent => ({
  at: '2026-12-04T00:00:00.000Z',
  action,
  result: 'Recorded',
  seq,
});
const seqs = (events: readonly RowHistoryEvent[]) => events.map((e) => e.seq);
const held = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ev(from + i));

describe('eventsMayWait: the states the hop writes again', () => {
  it.each<[ClusterState, boolean]>([
    ['Pending', true],
    ['InProgress', true],
    ['AwaitingApproval', false],
    ['Deferred', false],
    ['Succeeded', false],
    ['Failed', false],
    ['Skipped', false],
    ['Cancelled', false],
  ])('%s -> %s', (state, wait) => expect(eventsMayWait(state)).toBe(wait));
});

describe('unsureEvents', () => {
  it.each<
    [string, { heldEvents?: RowHistoryEvent[]; lastEvent?: RowHistoryEvent }, number | undefined, number[]]
  >([
    ['no outbox', {}, undefined, []],
    ['the last event, nothing known', { lastEvent: ev(3) }, undefined, [3]],
    ['held then last, oldest first', { heldEvents: [ev(0), ev(1)], lastEvent: ev(2) }, undefined, [0, 1, 2]],
    ['those known stored are left out', { heldEvents: [ev(0), ev(1)], lastEvent: ev(2) }, 1, [2]],
    ['all known stored', { heldEvents: [ev(0)], lastEvent: ev(1) }, 1, []],
    ['seq 0 (RolloutPlanned) unknown', { lastEvent: ev(0) }, undefined, [0]],
  ])('%s', (_, row, stored, want) => expect(seqs(unsureEvents(row, stored))).toEqual(want));
});

describe('planEventWrite', () => {
  const cases: {
    name: string;
    row: { heldEvents?: RowHistoryEvent[]; lastEvent?: RowHistoryEvent };
    state: ClusterState;
    stored?: number;
    want: { before: number[]; held: number[]; after: number[] };
  }[] = [
    {
      name: 'a hop goes on: the planned event and the new one wait on the row, nothing appended',
      row: { lastEvent: ev(0, 'RolloutPlanned') },
      state: 'InProgress',
      want: { before: [], held: [0], after: [] },
    },
    {
      name: 'the hop settles: everything unsure and the new event, appended after the write as one batch',
      row: { heldEvents: [ev(0)], lastEvent: ev(1) },
      state: 'Succeeded',
      want: { before: [], held: [0, 1], after: [0, 1, 2] },
    },
    {
      name: 'settles with nothing unsure: only the new event',
      row: { heldEvents: [ev(0)], lastEvent: ev(1) },
      state: 'Failed',
      stored: 1,
      want: { before: [], held: [], after: [2] },
    },
    {
      name: 'a new hop after a settled one this process appended: the old events are dropped',
      row: { heldEvents: [ev(0), ev(1)], lastEvent: ev(2) },
      state: 'InProgress',
      stored: 2,
      want: { before: [], held: [], after: [] },
    },
    {
      name: 'a new hop after one another instance appended: the old events are carried (may be stored)',
      row: { heldEvents: [ev(0), ev(1)], lastEvent: ev(2) },
      state: 'InProgress',
      want: { before: [], held: [0, 1, 2], after: [] },
    },
    {
      name: 'the row holds MAX_HELD_EVENTS unsure: they are appended before the write',
      row: { heldEvents: held(MAX_HELD_EVENTS - 1), lastEvent: ev(MAX_HELD_EVENTS - 1) },
      state: 'InProgress',
      want: { before: seqs(held(MAX_HELD_EVENTS)), held: [], after: [] },
    },
    {
      name: 'Deferred settles (nothing moves the row for a while)',
      row: { lastEvent: ev(0) },
      state: 'Deferred',
      want: { before: [], held: [0], after: [0, 1] },
    },
  ];
  it.each(cases)('$name', ({ row, state, stored, want }) => {
    const next = ev((row.lastEvent?.seq ?? 0) + 1);
    const w = planEventWrite(row, state, next, stored);
    expect({ before: seqs(w.before), held: seqs(w.heldEvents), after: seqs(w.after) }).toEqual(want);
    expect(w.lastEvent).toBe(next);
  });

  it.each(cases)('no event is dropped unless known stored: $name', ({ row, state, stored }) => {
    const next = ev((row.lastEvent?.seq ?? 0) + 1);
    const w = planEventWrite(row, state, next, stored);
    const kept = new Set([...seqs(w.before), ...seqs(w.heldEvents), next.seq]);
    for (const e of unsureEvents(row)) expect(kept.has(e.seq) || e.seq <= (stored ?? -1)).toBe(true);
    expect(w.heldEvents.length).toBeLessThan(MAX_HELD_EVENTS);
  });
});
