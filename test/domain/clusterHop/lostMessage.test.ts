/** The lost-message repair's rule for one row (hopRows.ts, `lostMessage`), table-driven. */
import { describe, expect, it } from 'vitest';
import { lostMessage } from '../../../shared/domain/clusterHop/hopRows.js';
import type { RolloutClusterRecord } from '../../../shared/domain/records.js';
import { clusterRow } from '../../fakes/clusterRows.js';
import { cluster } from '../fixtures.js';

const now = new Date('2026-11-25T10:00:00.000Z');
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
const settings = { checkDelayMs: 15_000 }; // heartbeat 60 s: a check is lost after 135 s, a step after 90 s
const c = cluster('l-1');
const op = (operationId?: string) => ({
  kind: 'put' as const,
  extensionName: 'osm',
  targetVersion: '1.2.6',
  startedAt: ago(600),
  deadline: ago(-600),
  ...(operationId ? { operationId } : {}),
});
const mop = { attempts: 1, operation: { ...op('mop-1'), extensionName: 'azuremonitor-containers' } };
const row = (over: Partial<RolloutClusterRecord>) => clusterRow(c, { path: ['1.2.6'], ...over });

type Case = [string, RolloutClusterRecord, string];
const cases: Case[] = [
  ['InProgress without an operation, fresh', row({ updatedAt: ago(60) }), '-'],
  ['InProgress without an operation, old: the step', row({ updatedAt: ago(100) }), 'cluster-steps'],
  [
    'InProgress with an operation, within two heartbeats',
    row({ operation: op('op-1'), updatedAt: ago(120) }),
    '-',
  ],
  [
    'InProgress with an operation, old: its check',
    row({ operation: op('op-1'), updatedAt: ago(140) }),
    'cluster-checks op-1',
  ],
  ['parked until later (retryAt)', row({ updatedAt: ago(900), retryAt: ago(-60) }), '-'],
  ['Pending (the dispatcher’s)', row({ state: 'Pending', updatedAt: ago(900) }), '-'],
  [
    'Succeeded, no monitor',
    row({ state: 'Succeeded', hop: 1, monitor: 'NotRequested', updatedAt: ago(900) }),
    '-',
  ],
  [
    'Succeeded, monitor Pending, fresh',
    row({ state: 'Succeeded', hop: 1, monitor: 'Pending', updatedAt: ago(60) }),
    '-',
  ],
  [
    'Succeeded, monitor Pending, old: the monitor step',
    row({ state: 'Succeeded', hop: 1, monitor: 'Pending', updatedAt: ago(140) }),
    'monitor-steps',
  ],
  [
    'monitor InProgress with its operation, old: its check',
    row({ state: 'Succeeded', hop: 1, monitor: 'InProgress', monitorProgress: mop, updatedAt: ago(140) }),
    'monitor-steps mop-1',
  ],
  [
    'monitor waiting out a backoff',
    row({ state: 'Succeeded', hop: 1, monitor: 'InProgress', updatedAt: ago(900), retryAt: ago(-600) }),
    '-',
  ],
  ['monitor Failed', row({ state: 'Succeeded', hop: 1, monitor: 'Failed', updatedAt: ago(900) }), '-'],
];

describe('lostMessage', () => {
  it.each(cases)('%s -> %s', (_name, r, want) => {
    const sends = lostMessage(r, now, settings);
    const got = sends.map((s) => [s.queue, s.message.operationId].filter(Boolean).join(' ')).join(',') || '-';
    expect(got).toBe(want);
    for (const s of sends) expect(s.message.hop).toBe(s.queue === 'monitor-steps' ? r.path.length : r.hop);
  });
});
