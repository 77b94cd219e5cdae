import { describe, expect, it } from 'vitest';
import { historyRowKey } from '../../shared/store/tableHistoryStore.js';
import { ValidationError } from '../../shared/domain/errors.js';
import { newStore } from '../support/storeFixture.js';
import { clusterId, historyEvent } from './storeRecords.js';

describe('TableHistoryStore', () => {
  it('lists a cluster newest first, pages, and keeps clusters apart', async () => {
    const { history } = await newStore();
    const id = clusterId('audited');
    const other = clusterId('other');
    const events = Array.from({ length: 120 }, (_, i) =>
      historyEvent(id, new Date(Date.UTC(2024, 5, 1, 3, 0, i)).toISOString(), `Step${i}`),
    );
    // appended out of order, in two calls
    await history.append(events.slice(60));
    await history.append([...events.slice(0, 60), historyEvent(other, events[0]?.at ?? '', 'Elsewhere')]);
    const first = await history.list(id.toUpperCase(), { top: 100 });
    expect(first.items[0]?.action).toBe('Step119');
    expect(first.items[99]?.action).toBe('Step20');
    const rest = await history.list(id, { top: 100, continuationToken: first.continuationToken ?? '' });
    expect(rest.items.map((e) => e.action).at(-1)).toBe('Step0');
    expect(rest.continuationToken).toBeUndefined();
    expect((await history.list(other)).items).toEqual([
      historyEvent(other, events[0]?.at ?? '', 'Elsewhere'),
    ]);
    expect(first.items[0]).toEqual(events[119]);
  });

  it('events at the same instant: the later appended is listed first', async () => {
    const { history } = await newStore();
    const id = clusterId('same-ms');
    const at = '2024-06-01T03:00:00.000Z';
    await history.append([historyEvent(id, at, 'First'), historyEvent(id, at, 'Second')]);
    await history.append([historyEvent(id, at, 'Third')]);
    expect((await history.list(id)).items.map((e) => e.action)).toEqual(['Third', 'Second', 'First']);
  });

  it('an event with seq is stored once however often it is appended; seq orders the same instant', async () => {
    const { history } = await newStore();
    const id = clusterId('outbox');
    const at = '2024-06-01T03:00:00.000Z';
    const started = { ...historyEvent(id, at, 'UpgradeStarted'), actor: 'rollout:r1', seq: 1 };
    const done = { ...historyEvent(id, at, 'UpgradeSucceeded'), actor: 'rollout:r1', seq: 2 };
    const otherRollout = { ...started, actor: 'rollout:r2' };
    await history.append([started]);
    await history.append([done]);
    await history.append([started]); // the same event again (a worker took a crashed one's row over)
    await history.append([otherRollout, done]);
    const listed = (await history.list(id)).items;
    expect(listed).toHaveLength(3);
    expect(listed[0]).toEqual(done); // seq 2 before seq 1 at the same instant
    expect(listed.slice(1)).toEqual(expect.arrayContaining([started, otherRollout]));
  });

  it('row keys sort newest first and refuse a bad instant', () => {
    const key = (at: string, seq?: number) =>
      historyRowKey({ at, actor: 'rollout:r1', ...(seq !== undefined ? { seq } : {}) });
    const a = key('2024-06-01T03:00:00.000Z');
    const b = key('2024-06-01T03:00:00.001Z');
    expect(b < a).toBe(true);
    expect(key('2024-06-01T03:00:00.000Z', 7)).toBe(key('2024-06-01T03:00:00.000Z', 7));
    expect(key('2024-06-01T03:00:00.000Z', 8) < key('2024-06-01T03:00:00.000Z', 7)).toBe(true);
    expect(() => key('yesterday')).toThrow(ValidationError);
  });
});
