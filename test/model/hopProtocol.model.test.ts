/**
 * Model-based test of the hop protocol (issue 15): the real cluster workers (the monitor step included), the poison worker,
 * createRollout and the timer's reconcileFleet over the in-memory doubles, driven through random
 * interleavings of deliveries, duplicates, lost messages, crashes between any two effects, ARM's answers
 * (429, 500, 409, timeouts, terminal 400s, lost PUTs, failed operations) and connectivity changes. After
 * every action: never two operations in flight on one extension, never a downgrade, never a lost setting,
 * never a hop judged done that ARM did not do, every row event in history exactly once. Once the faults
 * stop: every cluster terminal, every failure explained by a fault, ARM's extension matching each row.
 * What it drives and checks: test/model/system.ts, invariants.ts, endChecks.ts; docs/reliability.md.
 * Longer runs with a random seed: `npm run bench:model -- --runs 20000`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action } from './actions.js';
import { actionArb, paramsArb } from './actions.js';
import { runModel } from './modelRun.js';

const SEED = 42;
const RUNS = 1000;

describe('hop protocol model', () => {
  it(`holds every invariant over ${RUNS} random runs (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb, fc.array(actionArb, { maxLength: 80 }), async (p, actions) => {
        const report = await runModel(actions, p.maxParallel);
        if (report.violations.length > 0)
          throw new Error(
            `${report.violations.join('\n')}\n--- trace\n${report.trace.slice(-60).join('\n')}`,
          );
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  // Seam defects fixed before: each scenario fails if its defect comes back. Each was checked by putting the
  // defect back in a scratch copy of the service (the mutation named in the comment) and seeing the test
  // fail with the violation quoted, then reverting.

  it('replays: a late hop of a multi-hop path whose PUT left no trace is sent again (hopAttempts per hop)', async () => {
    // Mutation: checkClusterStep's putAgain bounds `row.attempts` instead of `hopAttempts` ->
    // "hop3 Failed OperationNotApplied at hop 2, which no injected fault explains".
    const steps: Action[] = [];
    for (let hop = 0; hop < 2; hop++)
      steps.push(
        { t: 'deliver', pick: 0, cluster: 'hop3', queue: 'cluster-steps' },
        { t: 'settle', pick: 0, outcome: 'ok', cluster: 'hop3' },
        { t: 'deliver', pick: 0, cluster: 'hop3', queue: 'cluster-checks' },
      );
    // Hop 2 (1.1.1-1 -> 1.2.6): the worker writes its intent and dies before the PUT; its message is lost.
    steps.push(
      { t: 'crash', pick: 0, at: 3, cluster: 'hop3', queue: 'cluster-steps' },
      { t: 'drop', pick: 0, cluster: 'hop3' },
    );
    const report = await runModel(steps, 4);
    expect(report.violations).toEqual([]);
    expect(report.trace).toContain('cluster-checks hop3 hop 2 #1: done StepResent');
  });

  it('replays: a settings-only hop whose worker died before its PUT is not judged done until ARM has the settings', async () => {
    // Mutation: observeHop's settings-only test removed (a check without an operation id trusts the version) ->
    // "hop 0 (-> 1.2.6) of .../settings judged done, the extension lacks the policy's settings".
    const report = await runModel(
      [
        { t: 'crash', pick: 0, at: 3, cluster: 'settings', queue: 'cluster-steps' },
        { t: 'drop', pick: 0, cluster: 'settings' },
      ],
      4,
    );
    expect(report.violations).toEqual([]);
    expect(report.trace).toContain('cluster-checks settings hop 0 #1: done StepResent');
  });

  it('replays: a worker dying between the row write and the history append; the redelivery appends the event', async () => {
    // Mutation: recordLastEventIfRedelivered returns at once -> ".../install: event 2 (InstallSucceeded)
    // never reached history".
    const report = await runModel(
      [
        { t: 'deliver', pick: 0, cluster: 'install', queue: 'cluster-steps' },
        { t: 'settle', pick: 0, outcome: 'ok', cluster: 'install' },
        { t: 'crash', pick: 0, at: 2, cluster: 'install', queue: 'cluster-checks' },
      ],
      4,
    );
    expect(report.violations).toEqual([]);
    // The timer's lost-message repair sent the monitor step (its send died with the worker) before the check
    // came back, so the redelivered check finds nothing left to do.
    expect(report.trace).toContain('cluster-checks install hop 0 #2: ignored NotInProgress');
  });

  it('replays: the same crash with the message lost; the lost-message repair appends the event', async () => {
    // Mutation: repairLostMessages no longer calls recordLastEvent -> "hop2: event 2 (UpgradeHopSucceeded)
    // replaced before it reached history, by cluster-steps #1 sent by timer".
    const report = await runModel(
      [
        { t: 'deliver', pick: 0, cluster: 'hop2', queue: 'cluster-steps' },
        { t: 'settle', pick: 0, outcome: 'ok', cluster: 'hop2' },
        { t: 'crash', pick: 0, at: 2, cluster: 'hop2', queue: 'cluster-checks' },
        { t: 'drop', pick: 0, cluster: 'hop2' },
      ],
      4,
    );
    expect(report.violations).toEqual([]);
  });

  // Found by this model test (they were D1 and D2 in docs/reliability.md, "Found by the model test"); the
  // action lists are fast-check's shrunk counterexamples.

  it('replays D1: a duplicate step’s first delivery does not replace an event its crashed twin left unappended', async () => {
    // Mutation: writeClusterRow without recordReplacedEvents -> "hop2: event 2 (UpgradeHopSucceeded) replaced
    // before it reached history, by cluster-steps #1 sent by worker".
    const report = await runModel(
      [
        { t: 'concurrent', a: 0, b: 0 },
        { t: 'settle', pick: 0, outcome: 'ok' },
        { t: 'crash', pick: 0, at: 2 },
      ],
      1,
    );
    expect(report.violations).toEqual([]);
  });

  it('replays D2: two deliveries that both find an old intent make one PUT, not two', async () => {
    // Mutation: decideStep without claimIntent (an old intent PUT at once) -> "second operation on
    // .../hop2/osm while op-1 is in flight".
    const report = await runModel(
      [
        { t: 'crash', pick: 0, at: 3 },
        { t: 'concurrent', a: 0, b: 0 },
      ],
      1,
    );
    expect(report.violations).toEqual([]);
    // The loser of the claim reads the row again and finds the extension busy with the claimed PUT.
    expect(report.trace).toContain('cluster-steps hop2 hop 0 #3: done OperationResumed');
  });

  it('replays: a row that settled Failed, its worker dead before the append and its message lost: the rollout’s end appends its events', async () => {
    // Found by `bench:chaos --model-runs 20000` (seeds 1335711122, 1589783889; shrunk) once a hop's events
    // waited on the row. Mutation: reconcileRollout without the append at `done` -> ".../hop2: event 0
    // (RolloutPlanned) never reached history".
    for (const actions of [
      [
        { t: 'armError', method: 'getCluster', error: 'terminal400' },
        { t: 'crash', pick: 0, at: 2 },
        { t: 'drop', pick: 0 },
      ],
      [
        { t: 'deliver', pick: 0 },
        { t: 'settle', pick: 0, outcome: 'fail' },
        { t: 'crash', pick: 0, at: 2 },
        { t: 'drop', pick: 0 },
      ],
    ] as Action[][]) {
      const report = await runModel(actions, 1);
      expect(report.violations).toEqual([]);
    }
  });

  it('replays: a monitor PUT that ARM dropped is put again, not checked forever', async () => {
    // Found by `bench:chaos --model-runs 20000` (shrunk): the monitor's operation was unknown to ARM, the step
    // went back to "ensure" without the id, found the id still on the row and checked it again, forever.
    // Mutation: decideMonitor's `forgotten` keeps the operation id -> "the system never came to rest".
    const report = await runModel(
      [
        { t: 'deliver', pick: 2 },
        { t: 'settle', pick: 0, outcome: 'ok' },
        { t: 'tick', ms: 15000 },
        { t: 'deliver', pick: 2 },
        { t: 'crash', pick: 3, at: 1 },
        { t: 'putFault', fault: 'neverApplied' },
        { t: 'crash', pick: 5, at: 1 },
        { t: 'tick', ms: 600000 },
        { t: 'duplicate', pick: 3 },
      ],
      3,
    );
    expect(report.violations).toEqual([]);
  });

  it('replays: a monitor message lost after the rollout ended is sent again by the timer', async () => {
    // Found by `bench:chaos --model-runs 20000` (shrunk). Mutation: repairFinishedMonitors returns at once ->
    // "install: Azure Monitor onboarding ends Pending".
    const report = await runModel(
      [
        { t: 'deliver', pick: 0 },
        { t: 'deliver', pick: 1 },
        { t: 'settle', pick: 0, outcome: 'ok' },
        { t: 'settle', pick: 0, outcome: 'ok' },
        { t: 'duplicate', pick: 0 },
        { t: 'crash', pick: 0, at: 2 },
        { t: 'concurrent', a: 2, b: 5 },
        { t: 'drop', pick: 6 },
      ],
      3,
    );
    expect(report.violations).toEqual([]);
    expect(report.trace).toContain('monitor-steps install hop 1 #1: done MonitorInstalled');
  });
});
