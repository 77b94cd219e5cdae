/**
 * Every change of a cluster row's `state` in a rollout, with who makes it: the transition table the decisions
 * (decideStep, decideCheck, decidePoison) and the services that move rows in bulk (the dispatcher in
 * reconcileRollout, rollout commands, Event Grid's delete, the planning worker) keep to. The model-based test
 * (test/model) fails on a change it observes that is not listed here, and the diagram in
 * docs/architecture.md is `hopDiagram()`'s output (test/domain/hopTransitions.test.ts compares them).
 */
import type { ClusterState } from '../rolloutState.js';

export type RowActor =
  'planning' | 'dispatcher' | 'cluster-steps' | 'cluster-checks' | 'poison' | 'command' | 'event';

export interface HopTransition {
  /** `start`: the row as planned (written by the planning worker). */
  from: ClusterState | 'start';
  to: ClusterState;
  by: RowActor;
  /** What it means, for the diagram. */
  when: string;
  /** The row stays InProgress and moves to its next hop (a change of state may move `hop` too). */
  nextHop?: true;
}

export const HOP_TRANSITIONS: readonly HopTransition[] = [
  { from: 'start', to: 'Pending', by: 'planning', when: 'work to do' },
  { from: 'start', to: 'Skipped', by: 'planning', when: 'compliant or not supported' },
  { from: 'Pending', to: 'InProgress', by: 'dispatcher', when: 'a slot in its wave' },
  { from: 'Pending', to: 'Deferred', by: 'dispatcher', when: 'not Connected' },
  { from: 'Deferred', to: 'Pending', by: 'dispatcher', when: 'Connected again' },
  { from: 'Deferred', to: 'InProgress', by: 'dispatcher', when: 'Connected again, a slot' },
  { from: 'InProgress', to: 'AwaitingApproval', by: 'cluster-steps', when: 'CRD hop not approved' },
  { from: 'InProgress', to: 'Cancelled', by: 'cluster-steps', when: 'rollout cancelled, no PUT yet' },
  { from: 'InProgress', to: 'Deferred', by: 'cluster-steps', when: 'not Connected' },
  { from: 'InProgress', to: 'Deferred', by: 'cluster-checks', when: 'Offline while running' },
  { from: 'InProgress', to: 'Skipped', by: 'cluster-steps', when: 'cluster deleted or Expired' },
  { from: 'InProgress', to: 'Skipped', by: 'cluster-checks', when: 'cluster deleted' },
  { from: 'InProgress', to: 'Failed', by: 'cluster-steps', when: 'terminal ARM error, out-of-band change' },
  {
    from: 'InProgress',
    to: 'Failed',
    by: 'cluster-checks',
    when: 'operation failed, stuck or never applied',
  },
  { from: 'InProgress', to: 'InProgress', by: 'cluster-checks', when: 'hop done, next hop', nextHop: true },
  { from: 'InProgress', to: 'Succeeded', by: 'cluster-checks', when: 'last hop done' },
  { from: 'InProgress', to: 'Failed', by: 'poison', when: 'message failed every delivery' },
  { from: 'AwaitingApproval', to: 'Pending', by: 'command', when: 'approve' },
  { from: 'Failed', to: 'Pending', by: 'command', when: 'retry-failed' },
  { from: 'Pending', to: 'Cancelled', by: 'command', when: 'cancel' },
  { from: 'Deferred', to: 'Cancelled', by: 'command', when: 'cancel' },
  { from: 'AwaitingApproval', to: 'Cancelled', by: 'command', when: 'cancel' },
  { from: 'Pending', to: 'Cancelled', by: 'planning', when: 'cancelled while planning' },
  { from: 'Pending', to: 'Skipped', by: 'event', when: 'cluster deleted' },
  { from: 'InProgress', to: 'Skipped', by: 'event', when: 'cluster deleted' },
  { from: 'Deferred', to: 'Skipped', by: 'event', when: 'cluster deleted' },
  { from: 'AwaitingApproval', to: 'Skipped', by: 'event', when: 'cluster deleted' },
];

/** Whether a row change from `from` to `to` by `by` is in the table (`nextHop`: InProgress at its next hop). */
export function isHopTransition(
  from: ClusterState,
  to: ClusterState,
  by: RowActor,
  nextHop = false,
): boolean {
  return HOP_TRANSITIONS.some(
    (t) => t.from === from && t.to === to && t.by === by && (t.nextHop ?? false) === nextHop,
  );
}

/** The table as a mermaid state diagram: one edge per (from, to), labelled with who and when. */
export function hopDiagram(): string {
  const edges = new Map<string, string[]>();
  for (const t of HOP_TRANSITIONS) {
    const key = `${t.from === 'start' ? '[*]' : t.from} --> ${t.to}`;
    edges.set(key, [...(edges.get(key) ?? []), `${t.by} (${t.when})`]);
  }
  const lines = [...edges].map(([edge, labels]) => `  ${edge}: ${labels.join('<br/>')}`);
  const final = ['Succeeded', 'Failed', 'Skipped', 'Cancelled'].map((s) => `  ${s} --> [*]`);
  return ['```mermaid', 'stateDiagram-v2', ...lines, ...final, '```'].join('\n');
}
