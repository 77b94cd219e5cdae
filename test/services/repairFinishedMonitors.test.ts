/**
 * The monitor steps of ended rollouts (repairLostMessages.ts, `repairFinishedMonitors`): a rollout is
 * Succeeded once its clusters are, while their Azure Monitor onboarding may still run; a monitor message
 * lost then is sent again by the timer, within MONITOR_REPAIR_WINDOW_MS and only where monitoring is on.
 */
import { describe, expect, it } from 'vitest';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import {
  MONITOR_REPAIR_WINDOW_MS,
  repairFinishedMonitors,
} from '../../shared/services/repairLostMessages.js';
import { clusterRow, rolloutRecord, testPolicy, WORKSPACE } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { cluster } from '../domain/fixtures.js';

const monitored = testPolicy({ monitor: { enabled: true, logAnalyticsWorkspaceResourceId: WORKSPACE } });

async function ended(
  deps: ReturnType<typeof fakeDeps>,
  id: string,
  opts: { finishedMinutesAgo: number; monitorOn?: boolean; row?: Partial<RolloutClusterRecord> },
) {
  const now = deps.clock.now().getTime();
  const record = rolloutRecord(opts.monitorOn === false ? testPolicy() : monitored, id);
  record.rollout.state = 'Succeeded';
  record.rollout.finishedAt = new Date(now - opts.finishedMinutesAgo * 60_000).toISOString();
  const row = clusterRow(cluster(`${id}-c`), {
    rolloutId: id,
    state: 'Succeeded',
    hop: 1,
    monitor: 'Pending',
    updatedAt: new Date(now - 10 * 60_000).toISOString(), // well past 2 heartbeats + a check delay
    ...opts.row,
  });
  await deps.rollouts.create(record, [row]);
  return row;
}

describe('repairFinishedMonitors', () => {
  it('sends a lost monitor step again, with the operation id when one is recorded', async () => {
    const deps = fakeDeps();
    const a = await ended(deps, 'r-a', { finishedMinutesAgo: 5 });
    const b = await ended(deps, 'r-b', {
      finishedMinutesAgo: 30,
      row: {
        monitor: 'InProgress',
        monitorProgress: {
          attempts: 1,
          operation: {
            kind: 'put',
            extensionName: 'azuremonitor-containers',
            operationId: 'mop-1',
            startedAt: '2026-11-25T09:00:00.000Z',
            deadline: '2026-11-25T09:30:00.000Z',
          },
        },
      },
    });
    expect(await repairFinishedMonitors(deps)).toBe(2);
    const sent = deps.queue.sent.map((m) => ({
      q: m.queue,
      id: m.message.clusterId,
      op: m.message.operationId,
    }));
    expect(sent).toEqual(
      expect.arrayContaining([
        { q: 'monitor-steps', id: a.clusterId, op: undefined },
        { q: 'monitor-steps', id: b.clusterId, op: 'mop-1' },
      ]),
    );
    expect(sent.every((m) => m.q === 'monitor-steps')).toBe(true);
  });

  it('leaves alone: a recent step, a backoff not yet due, a settled monitor, monitoring off, an old rollout', async () => {
    const deps = fakeDeps();
    const now = deps.clock.now().getTime();
    await ended(deps, 'r-recent', {
      finishedMinutesAgo: 5,
      row: { updatedAt: new Date(now - 30_000).toISOString() },
    });
    await ended(deps, 'r-backoff', {
      finishedMinutesAgo: 5,
      row: { monitor: 'InProgress', retryAt: new Date(now + 20 * 60_000).toISOString() },
    });
    await ended(deps, 'r-done', { finishedMinutesAgo: 5, row: { monitor: 'Succeeded' } });
    await ended(deps, 'r-off', { finishedMinutesAgo: 5, monitorOn: false });
    await ended(deps, 'r-old', { finishedMinutesAgo: MONITOR_REPAIR_WINDOW_MS / 60_000 + 1 });
    expect(await repairFinishedMonitors(deps)).toBe(0);
    expect(deps.queue.sent).toEqual([]);
  });
});
