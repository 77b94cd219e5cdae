import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, TerminalError, TransientError } from '../../shared/domain/errors.js';
import { classifyArmFailure, classifyFailedOperation } from '../../shared/services/classifyArmFailure.js';

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
