/** The HistoryStore contract, run against the in-memory double and the Table Storage adapter. */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { clusterId, historyEvent } from '../store/storeRecords.js';
import type { MakeStores } from './storesUnderTest.js';

const T = (m: number) => `2024-06-01T03:${String(m).padStart(2, '0')}:00.000Z`;

export function historyStoreContract(make: MakeStores): void {
  describe('HistoryStore contract', () => {
    it('lists one cluster newest first by time, whatever the order of appending; same instant: later appended first', async () => {
      const { history } = await make();
      const id = clusterId('h1');
      await history.append([historyEvent(id, T(2), 'second'), historyEvent(id, T(1), 'first')]);
      await history.append([historyEvent(id, T(3), 'third')]);
      await history.append([historyEvent(id, T(3), 'third-again')]);
      await history.append([historyEvent(clusterId('h2'), T(4), 'elsewhere')]);
      const got = (await history.list(id.toUpperCase())).items.map((e) => e.action);
      expect(got).toEqual(['third-again', 'third', 'second', 'first']);
    });

    it('an event with seq appended again is stored once, as last appended', async () => {
      const { history } = await make();
      const id = clusterId('h-seq');
      const e = { ...historyEvent(id, T(5), 'hop'), seq: 7 };
      await history.append([e]);
      await history.append([{ ...e, message: 'retried' }]);
      await history.append([{ ...e, seq: 8 }]);
      const got = (await history.list(id)).items;
      expect(got).toHaveLength(2);
      expect(got.find((x) => x.seq === 7)).toEqual({ ...e, message: 'retried' });
    });

    it('refuses an event whose time is not a valid instant, writing nothing', async () => {
      const { history } = await make();
      const id = clusterId('h-bad');
      await expect(history.append([historyEvent(id, 'not a time', 'x')])).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect((await history.list(id)).items).toEqual([]);
    });

    it('pages newest first without losing or repeating an event', async () => {
      const { history } = await make();
      const id = clusterId('h-page');
      await history.append(Array.from({ length: 9 }, (_, i) => historyEvent(id, T(10 + i), `a${i}`)));
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await history.list(id, { top: 4, ...(token ? { continuationToken: token } : {}) });
        seen.push(...page.items.map((e) => e.action));
        token = page.continuationToken;
      } while (token);
      expect(seen).toEqual(Array.from({ length: 9 }, (_, i) => `a${8 - i}`));
    });
  });
}
