// Keys built from ids that hold every character Table Storage forbids or that URLs and OData treat specially.
import { describe, expect, it } from 'vitest';
import { newStore } from '../support/storeFixture.js';
import { clusterRow, historyEvent, inventoryRecord, rolloutRecord } from './storeRecords.js';

const AWKWARD = [
  'slash/and\\back',
  'hash#query?pct%20amp&plus+eq=',
  "quote'single''double\"",
  'pipe|tilde~caret^star*colon:semi;',
  'tab\tnl\ncr\rdel\u007fc1\u0085',
  'space and (parens) [brackets] {braces} <angle>',
  'ÜNICODE-ünïcödé-日本語-🚀-ß',
  '..',
  '%2F%5C',
];

describe('keys with awkward characters', () => {
  it('rollout and cluster rows round-trip, filter, update with ETag', async () => {
    const { rollouts } = await newStore();
    for (const [i, text] of AWKWARD.entries()) {
      const rolloutId = `r-${i}-${text}`;
      const row = {
        ...clusterRow(rolloutId, 'c'),
        clusterId: `/subscriptions/s/resourcegroups/rg/x/${text}`.toLowerCase(),
      };
      await rollouts.create(rolloutRecord(rolloutId), [row]);
      expect((await rollouts.get(rolloutId))?.value.rollout.id).toBe(rolloutId);
      const got = await rollouts.getCluster(rolloutId, row.clusterId);
      expect(got?.value).toEqual(row);
      const listed = await rollouts.listClusters(rolloutId, { state: 'Pending' });
      expect(listed.items.map((r) => r.value.clusterId)).toEqual([row.clusterId]);
      await rollouts.updateCluster({ ...row, state: 'Succeeded' }, got?.etag ?? '');
      await rollouts.updateClusters([
        {
          value: { ...row, state: 'Failed' },
          etag: (await rollouts.getCluster(rolloutId, row.clusterId))?.etag ?? '',
        },
      ]);
      expect((await rollouts.getCluster(rolloutId, row.clusterId))?.value.state).toBe('Failed');
    }
    expect((await rollouts.list()).items).toHaveLength(AWKWARD.length);
  });

  it('inventory and history rows round-trip', async () => {
    const { inventory, history } = await newStore();
    for (const text of AWKWARD) {
      const base = inventoryRecord('c');
      const id = `${base.cluster.id}${text}`;
      const rec = { ...base, cluster: { ...base.cluster, id, name: text } };
      await inventory.upsertMany([rec]);
      const got = await inventory.get(id);
      expect(got?.value).toEqual(rec);
      await inventory.update({ ...rec, lease: { holder: text, until: 'later' } }, got?.etag ?? '');
      expect((await inventory.get(id))?.value.lease?.holder).toBe(text);
      await history.append([historyEvent(id, '2024-06-01T03:00:00.000Z', text)]);
      expect((await history.list(id)).items.map((e) => e.action)).toEqual([text]);
    }
  });
});
