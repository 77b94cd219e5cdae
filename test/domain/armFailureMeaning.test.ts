import { describe, expect, it } from 'vitest';
import { armFailureMeaning, type FailureMeaning } from '../../shared/domain/armFailureMeaning.js';

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
