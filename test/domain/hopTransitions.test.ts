/**
 * The transition table of cluster rows (shared/domain/clusterHop/hopTransitions.ts) and the diagram in
 * docs/architecture.md generated from it: the doc must show the table as it is (`npm run docs:diagram`).
 * That the code keeps to the table is checked by the model-based test (test/model), on every row write.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HOP_TRANSITIONS,
  hopDiagram,
  isHopTransition,
} from '../../shared/domain/clusterHop/hopTransitions.js';
import { withHopDiagram } from '../../local/writeHopDiagram.js';

describe('HOP_TRANSITIONS', () => {
  it('docs/architecture.md shows the diagram generated from the table', () => {
    const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    expect(doc).toContain(hopDiagram());
    expect(withHopDiagram(doc)).toBe(doc);
  });

  it('lists each transition once, and the diagram has an edge for each pair of states', () => {
    const keys = HOP_TRANSITIONS.map((t) => `${t.from}>${t.to}>${t.by}>${t.nextHop ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const t of HOP_TRANSITIONS)
      expect(hopDiagram()).toContain(`${t.from === 'start' ? '[*]' : t.from} --> ${t.to}: `);
  });

  it.each([
    ['Pending', 'InProgress', 'dispatcher', false, true],
    ['InProgress', 'InProgress', 'cluster-checks', true, true],
    ['InProgress', 'Succeeded', 'cluster-checks', false, true],
    // Only the dispatcher starts work; a worker never moves a Pending row, a check never asks for approval.
    ['Pending', 'InProgress', 'cluster-steps', false, false],
    ['InProgress', 'AwaitingApproval', 'cluster-checks', false, false],
    ['Succeeded', 'Pending', 'command', false, false],
    ['InProgress', 'InProgress', 'cluster-steps', true, false],
  ] as const)('%s -> %s by %s (next hop %s): %s', (from, to, by, nextHop, listed) => {
    expect(isHopTransition(from, to, by, nextHop)).toBe(listed);
  });
});
