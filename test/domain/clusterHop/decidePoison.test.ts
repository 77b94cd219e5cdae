/** decidePoison (the poison queues): what a message that failed every delivery leaves on its row. */
import { describe, expect, it } from 'vitest';
import { decidePoison } from '../../../shared/domain/clusterHop/decidePoison.js';
import type { QueueName, RolloutClusterRecord } from '../../../shared/domain/records.js';
import { clusterRow } from '../../fakes/clusterRows.js';
import { cluster } from '../fixtures.js';

const c = cluster('p-1');
const row = (over: Partial<RolloutClusterRecord>) => clusterRow(c, { rolloutId: 'r1', ...over });
const msg = { rolloutId: 'r1', clusterId: c.id.toLowerCase(), hop: 1 };

type Case = [
  string,
  RolloutClusterRecord | undefined,
  QueueName,
  string,
  string | undefined,
  string | undefined,
];

const cases: Case[] = [
  ['no row', undefined, 'cluster-steps', 'ignored RowNotFound', undefined, undefined],
  [
    'a step of the row’s hop: the hop fails',
    row({ state: 'InProgress', hop: 1 }),
    'cluster-steps',
    'stalled PoisonMessage',
    'Failed',
    'InstallFailed',
  ],
  [
    'a check of the row’s hop: the hop fails',
    row({ state: 'InProgress', hop: 1 }),
    'cluster-checks',
    'stalled PoisonMessage',
    'Failed',
    'InstallFailed',
  ],
  [
    'the row moved to another hop since',
    row({ state: 'InProgress', hop: 2 }),
    'cluster-steps',
    'ignored RowMovedOn',
    undefined,
    undefined,
  ],
  [
    'the row ended since',
    row({ state: 'Succeeded', hop: 1 }),
    'cluster-checks',
    'ignored RowMovedOn',
    undefined,
    undefined,
  ],
  [
    'a monitor step: the onboarding fails for good',
    row({ state: 'Succeeded', monitor: 'InProgress' }),
    'monitor-steps',
    'stalled PoisonMessage',
    undefined,
    'MonitorFailed',
  ],
  [
    'a monitor step of a settled onboarding',
    row({ state: 'Succeeded', monitor: 'Succeeded' }),
    'monitor-steps',
    'ignored MonitorSettled',
    undefined,
    undefined,
  ],
];

describe('decidePoison', () => {
  it.each(cases)('%s', (_name, r, queue, result, state, action) => {
    const d = decidePoison(r, queue, msg);
    expect(`${d.result.outcome} ${d.result.reason}`).toBe(result);
    expect(d.change?.set.state).toBe(state);
    expect(d.change?.event?.action?.endsWith(action ?? '-')).toBe(action === undefined ? undefined : true);
    expect(d.sends).toEqual([]);
    if (queue === 'monitor-steps' && d.change) {
      expect(d.change.set.monitor).toBe('Failed');
      expect(d.change.set.state).toBeUndefined(); // the OSM state is never touched by the monitor
    }
  });
});
