import { describe, expect, it } from 'vitest';
import {
  ARM_REACTIONS,
  armFailureMeaning,
  armReaction,
  classifyArmFailure,
  classifyFailedOperation,
  type ArmCallSite,
  type ArmReaction,
  type FailureMeaning,
} from '../../shared/domain/armFailure.js';
import { ConflictError, NotFoundError, TerminalError, TransientError } from '../../shared/domain/errors.js';

/** Texts as ARM and the Arc agents write them (emulator/agentOutcome.ts, public reports; docs/emulator.md). */
const CASES: [string, string | undefined, string | undefined, FailureMeaning][] = [
  [
    'agent: release namespace still terminating',
    'ExtensionOperationFailed',
    'InnerError [extensionconfigs.clusterconfig.azure.com "osm" is forbidden: unable to create new content in namespace arc-osm-system because it is being terminated]',
    'namespaceTerminating',
  ],
  [
    'helm: name still in use',
    'HelmInstallFailed',
    "cannot re-use a name that is still in use; can't reuse a name that is still in use",
    'namespaceTerminating',
  ],
  [
    'namespace terminating, other words',
    undefined,
    'namespace arc-osm-system is still terminating',
    'namespaceTerminating',
  ],
  [
    'async operation failed: conflicting operation (UpdateFailed)',
    'UpdateFailed',
    'Update failed for this resource, as there is a conflicting operation in progress. Please try after sometime.',
    'conflict',
  ],
  [
    'synchronous 409 text, any code',
    'Conflict',
    'There is a conflicting operation in progress on the resource',
    'conflict',
  ],
  [
    'ARM code AnotherOperationInProgress',
    'AnotherOperationInProgress',
    'Another operation is in progress',
    'conflict',
  ],
  ['code only, case-insensitive', 'operationInProgress', '', 'conflict'],
  [
    'helm failure is terminal',
    'ExtensionOperationFailed',
    'Helm installation failed : timed out',
    'terminal',
  ],
  [
    'UpdateFailed for another reason is terminal',
    'UpdateFailed',
    'Update failed: invalid configuration setting',
    'terminal',
  ],
  ['nothing said', undefined, undefined, 'terminal'],
];

describe('armFailureMeaning', () => {
  it.each(CASES)('%s', (_name, code, message, meaning) => {
    expect(armFailureMeaning(code, message)).toBe(meaning);
  });
});

const CONFLICT =
  'Update failed for this resource, as there is a conflicting operation in progress. Please try after sometime.';
const TERMINATING = 'unable to create new content in namespace arc-osm-system because it is being terminated';

describe('classifyArmFailure: a conflicting operation is a retry whichever way ARM reports it', () => {
  it.each([
    ['synchronous 409', new ConflictError(CONFLICT, 'UpdateFailed'), 'retry', 'OperationInProgress'],
    [
      'refused as a 400 with the conflict text',
      new TerminalError('UpdateFailed', CONFLICT),
      'retry',
      'OperationInProgress',
    ],
    [
      '409 of an unregistered provider',
      new ConflictError('register it', 'MissingSubscriptionRegistration'),
      'terminal',
      'MissingSubscriptionRegistration',
    ],
    [
      'terminating namespace',
      new TerminalError('ExtensionOperationFailed', TERMINATING),
      'waitNamespace',
      'NamespaceTerminating',
    ],
    [
      'other 400',
      new TerminalError('InvalidRequestContent', 'bad body'),
      'terminal',
      'InvalidRequestContent',
    ],
    ['throttled', new TransientError('slow down', 3000, 'ArmThrottled'), 'retry', 'ArmThrottled'],
    ['cluster gone', new NotFoundError('no cluster'), 'clusterGone', 'ClusterNotFound'],
  ] as const)('%s', (_name, err, kind, reason) => {
    expect(classifyArmFailure(err, 15_000)).toMatchObject({ kind, reason });
  });

  it('a failed async operation: conflict -> retry after two check delays; namespace -> long wait; else terminal', () => {
    expect(classifyFailedOperation('UpdateFailed', CONFLICT, 15_000)).toEqual({
      kind: 'retry',
      reason: 'OperationInProgress',
      message: CONFLICT,
      delayMs: 30_000,
    });
    expect(classifyFailedOperation('ExtensionOperationFailed', TERMINATING, 15_000)).toMatchObject({
      kind: 'waitNamespace',
      delayMs: 120_000,
    });
    expect(classifyFailedOperation('HelmInstallFailed', 'timed out', 15_000)).toEqual({
      kind: 'terminal',
      reason: 'HelmInstallFailed',
      message: 'timed out',
    });
  });

  it('a store failure or a bug is no ARM outcome', () => {
    expect(classifyArmFailure(new Error('bug'), 15_000)).toBeUndefined();
  });
});

/** Every call site's reaction to every meaning, as a table: one reaction per site and meaning. */
const REACTIONS: [ArmCallSite, ArmReaction, ArmReaction, ArmReaction, ArmReaction][] = [
  // site                  retry             waitNamespace     terminal         clusterGone
  ['hopClusterRead', 'requeue', 'requeue', 'fail', 'endDeleted'],
  ['hopPut', 'requeue', 'waitInDeadline', 'fail', 'endDeleted'],
  ['hopCheckRead', 'requeue', 'fail', 'fail', 'endDeleted'],
  ['hopOperationRead', 'requeue', 'fail', 'fail', 'forgotten'],
  ['hopOperationFailed', 'waitInDeadline', 'waitInDeadline', 'fail', 'endDeleted'],
  ['monitorOperationRead', 'requeue', 'requeue', 'attemptFailed', 'forgotten'],
  ['monitorExtensionRead', 'requeue', 'attemptFailed', 'fail', 'fail'],
  ['monitorPut', 'attemptFailed', 'attemptFailed', 'fail', 'fail'],
  ['monitorDataCollection', 'requeue', 'requeue', 'fail', 'fail'],
  ['connectWatchRead', 'requeue', 'requeue', 'endWatch', 'endWatch'],
];

describe('ARM_REACTIONS: each call site reacts to each meaning one way', () => {
  it('lists every call site', () => {
    expect(Object.keys(ARM_REACTIONS).sort()).toEqual(REACTIONS.map((r) => r[0]).sort());
  });
  it.each(REACTIONS)('%s', (site, retry, waitNamespace, terminal, clusterGone) => {
    expect(ARM_REACTIONS[site]).toEqual({ retry, waitNamespace, terminal, clusterGone });
  });
  it("armReaction carries the failure's reason, message and delay", () => {
    const f = classifyArmFailure(new TransientError('slow down', 3000, 'ArmThrottled'), 15_000)!;
    expect(armReaction('hopPut', f)).toEqual({
      reaction: 'requeue',
      reason: 'ArmThrottled',
      message: 'slow down',
      delayMs: 3000,
    });
    expect(armReaction('hopPut', classifyArmFailure(new NotFoundError('gone'), 15_000)!)).toEqual({
      reaction: 'endDeleted',
      reason: 'ClusterNotFound',
      message: 'gone',
      delayMs: 0,
    });
  });
  it('a throttled answer waits at least a second, whatever Retry-After says', () => {
    expect(classifyArmFailure(new TransientError('x', 0), 15_000)).toMatchObject({ delayMs: 1000 });
  });
});
