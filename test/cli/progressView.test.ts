import { describe, expect, it } from 'vitest';
import { renderRollout, skipWords } from '../../local/progressView.js';
import { cliCommand } from '../../local/runDemo.js';

const zero = {
  pending: 0,
  inProgress: 0,
  awaitingApproval: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  deferred: 0,
  cancelled: 0,
};

describe('demo and rollout output', () => {
  it.each([
    [{}, 'none'],
    [{ ClusterOffline: 3 }, '3 offline'],
    [
      { AwaitingCrdApproval: 1, UnsupportedDistribution: 2 },
      '1 awaiting the manual CRD step, 2 on a distribution OSM does not support',
    ],
    [{ SomethingNew: 4 }, '4 SomethingNew'],
  ])('skip reasons in words: %j', (skipped, words) => {
    expect(skipWords(skipped)).toBe(words);
    expect(skipWords(skipped)).not.toContain('{');
  });

  it('a soaking wave shows until when', () => {
    const lines = renderRollout({
      id: 'r1',
      state: 'Running',
      soakUntil: '2026-12-03T10:42:07.123Z',
      counts: { ...zero, succeeded: 2, pending: 3 },
      waves: [
        { name: 'canary', state: 'Soaking', counts: { ...zero, succeeded: 2 } },
        { name: 'rest', state: 'Pending', counts: { ...zero, pending: 3 } },
      ],
    });
    expect(lines[1]).toContain('Soaking until 10:42:07 UTC');
    expect(lines[2]).toContain('Pending');
  });

  it.each([
    [{ written: 0, total: null }, 'Planning', 'planning: sweeping the fleet (Resource Graph)'],
    [{ written: 2000, total: 10000 }, 'Planning', 'planning: 2000/10000 cluster rows written'],
    [{ written: 3, total: 10, error: 'sweep failed' }, 'Failed', 'planning failed: sweep failed'],
  ])('planning progress %j while %s', (planning, state, line) => {
    const lines = renderRollout({
      id: 'r1',
      state,
      planning,
      counts: zero,
      waves: [{ name: 'all', state: 'Pending', counts: zero }],
    });
    expect(lines[1]).toBe(`  ${line}`);
    expect(lines).toHaveLength(3);
  });

  it('no planning line once planned', () => {
    const lines = renderRollout({
      id: 'r1',
      state: 'Running',
      planning: { written: 10, total: 10 },
      counts: zero,
      waves: [{ name: 'all', state: 'Running', counts: zero }],
    });
    expect(lines).toHaveLength(2);
  });

  it('the approve hint is the CLI, with --endpoint when the stack is not on 7071', () => {
    expect(cliCommand('http://127.0.0.1:7071')).toBe('npx osm-fleet');
    expect(cliCommand('http://127.0.0.1:7171')).toBe('npx osm-fleet --endpoint http://127.0.0.1:7171/api');
  });
});
