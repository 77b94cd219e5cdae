/** The extension's own account of a failure, as ARM (camelCase) and Resource Graph (PascalCase) show it. */
import { describe, expect, it } from 'vitest';
import { clusterFromArm, extensionError, extensionFromGraph } from '../../shared/azure/extensionInfo.js';

const TERMINATING = 'unable to create new content in namespace arc-osm-system because it is being terminated';

describe('extensionError', () => {
  it.each([
    [
      'errorInfo wins',
      { code: 'ExtensionOperationFailed', message: TERMINATING },
      [],
      { code: 'ExtensionOperationFailed', message: TERMINATING },
    ],
    [
      'no errorInfo: the first Error-level status',
      null,
      [
        { code: 'Info', level: 'Information', message: 'fine' },
        {
          code: 'InstallationFailed',
          level: 'Error',
          displayStatus: 'Failed',
          message: `Error: {${TERMINATING}}`,
        },
      ],
      { code: 'InstallationFailed', message: `Error: {${TERMINATING}}` },
    ],
    [
      'errorInfo with a message only',
      { message: 'boom' },
      undefined,
      { code: 'ExtensionError', message: 'boom' },
    ],
    ['nothing wrong', null, [{ code: 'Ok', level: 'Information', message: 'deployed' }], undefined],
    ['null everything (as recorded ARM bodies have it)', null, null, undefined],
  ])('%s', (_name, errorInfo, statuses, expected) => {
    expect(extensionError(errorInfo, statuses)).toEqual(expected);
  });

  it('Resource Graph rows (PascalCase keys) carry it too', () => {
    const ext = extensionFromGraph('osm', {
      ExtensionType: 'microsoft.openservicemesh',
      ProvisioningState: 'Failed',
      ErrorInfo: { Code: 'ExtensionOperationFailed', Message: TERMINATING },
    });
    expect(ext.error).toEqual({ code: 'ExtensionOperationFailed', message: TERMINATING });
  });
});

describe('clusterFromArm', () => {
  it('reads systemData.createdAt (the resource creation time), and leaves it out when null', () => {
    const body = (createdAt: string | null) => ({
      id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/c',
      properties: { connectivityStatus: 'Connecting' },
      systemData: { createdAt, createdBy: null },
    });
    expect(clusterFromArm(body('2026-11-25T09:30:00.1234567Z')).createdAt).toBe(
      '2026-11-25T09:30:00.1234567Z',
    );
    expect(clusterFromArm(body(null))).not.toHaveProperty('createdAt');
  });
});
