// loadConfig, table-driven: defaults, both storage forms, and a clear error naming each bad setting.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { ValidationError } from '../../shared/domain/errors.js';

const S1 = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const S2 = '1C2E7582-2CF1-4EEB-BFD4-DC0383F1A6A1';
const WS = `/subscriptions/${S1}/resourceGroups/rg-mon/providers/Microsoft.OperationalInsights/workspaces/ws1`;
const base = { FLEET_SUBSCRIPTIONS: S1, AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

describe('loadConfig: valid environments', () => {
  it('applies the defaults', () => {
    expect(loadConfig({ ...base, UNRELATED: 'x', PATH: '/bin' })).toEqual({
      subscriptions: [S1],
      trustClientPrincipal: false,
      storage: { kind: 'connectionString', connectionString: 'UseDevelopmentStorage=true' },
      arm: { endpoint: 'https://management.azure.com' },
      operationDeadlineMinutes: 30,
      checkDelaySeconds: 15,
      planSweepMaxAgeSeconds: 60,
      connectWatchMinutes: 1440,
      maxDequeueCount: 5,
    });
  });

  it.each([
    [
      'App Service Authentication on (the platform sets it)',
      { WEBSITE_AUTH_ENABLED: 'True' },
      { trustClientPrincipal: true },
    ],
    ['App Service Authentication off', { WEBSITE_AUTH_ENABLED: 'False' }, { trustClientPrincipal: false }],
    [
      'subscriptions are trimmed, lower-cased, de-duplicated',
      { FLEET_SUBSCRIPTIONS: ` ${S1}, ${S2},${S1.toUpperCase()},` },
      { subscriptions: [S1, S2.toLowerCase()] },
    ],
    [
      'local emulator settings',
      {
        ARM_ENDPOINT: 'https://127.0.0.1:8443/',
        ARM_CA_FILE: '.emulator/ca.pem',
        ARM_STATIC_TOKEN: 'tok',
        FLEET_API_KEY: 'k',
      },
      {
        arm: { endpoint: 'https://127.0.0.1:8443', caFile: '.emulator/ca.pem', staticToken: 'tok' },
        apiKey: 'k',
      },
    ],
    [
      'numbers and identities',
      {
        FLEET_OPERATION_DEADLINE_MINUTES: '45',
        FLEET_CHECK_DELAY_SECONDS: '5',
        FLEET_MAX_DEQUEUE_COUNT: '3',
        FLEET_PLAN_SWEEP_MAX_AGE_SECONDS: '10',
        AZURE_CLIENT_ID: 'cid',
        FLEET_LOG_ANALYTICS_WORKSPACE_ID: WS,
      },
      {
        operationDeadlineMinutes: 45,
        checkDelaySeconds: 5,
        planSweepMaxAgeSeconds: 10,
        maxDequeueCount: 3,
        azureClientId: 'cid',
        logAnalyticsWorkspaceId: WS,
      },
    ],
    [
      "the default workspace's region and customer ID",
      {
        FLEET_LOG_ANALYTICS_WORKSPACE_ID: WS,
        FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: 'westeurope',
        FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID: '7F3C9A52-1D2E-4B8A-9C0F-5E6D7A8B9C01',
      },
      {
        logAnalyticsWorkspaceId: WS,
        logAnalyticsWorkspaceFacts: {
          location: 'westeurope',
          customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01',
        },
      },
    ],
    [
      'empty optional values count as unset',
      { FLEET_API_KEY: '', ARM_ENDPOINT: '', FLEET_CHECK_DELAY_SECONDS: '' },
      { arm: { endpoint: 'https://management.azure.com' }, checkDelaySeconds: 15 },
    ],
    [
      'explicit Azurite connection string',
      {
        AzureWebJobsStorage:
          'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=k;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;',
      },
      {
        storage: {
          kind: 'connectionString',
          connectionString: expect.stringContaining('TableEndpoint=http://127.0.0.1:10002'),
        },
      },
    ],
  ])('%s', (_name, env, expected) => {
    expect(loadConfig({ ...base, ...env })).toMatchObject(expected);
  });

  it('identity-based storage', () => {
    const config = loadConfig({
      FLEET_SUBSCRIPTIONS: S1,
      AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.windows.net',
      AzureWebJobsStorage__queueServiceUri: 'https://acct.queue.core.windows.net',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: 'uami',
    });
    expect(config.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://acct.table.core.windows.net',
      queueServiceUri: 'https://acct.queue.core.windows.net',
      credential: 'managedidentity',
      clientId: 'uami',
    });
  });
});

describe('loadConfig: errors name each bad setting', () => {
  it.each([
    ['nothing set', {}, ['FLEET_SUBSCRIPTIONS', 'AzureWebJobsStorage']],
    ['empty subscription list', { ...base, FLEET_SUBSCRIPTIONS: ' , ' }, ['FLEET_SUBSCRIPTIONS']],
    ['not a GUID', { ...base, FLEET_SUBSCRIPTIONS: `${S1},sub-two` }, ['FLEET_SUBSCRIPTIONS']],
    ['plain http ARM endpoint', { ...base, ARM_ENDPOINT: 'http://127.0.0.1:8443' }, ['ARM_ENDPOINT']],
    ['ARM endpoint not a URL', { ...base, ARM_ENDPOINT: 'management' }, ['ARM_ENDPOINT']],
    [
      'bad numbers',
      {
        ...base,
        FLEET_CHECK_DELAY_SECONDS: '1.5',
        FLEET_MAX_DEQUEUE_COUNT: '0',
        FLEET_OPERATION_DEADLINE_MINUTES: 'ten',
        FLEET_CONNECT_WATCH_MINUTES: '20000',
      },
      [
        'FLEET_CHECK_DELAY_SECONDS',
        'FLEET_CONNECT_WATCH_MINUTES',
        'FLEET_MAX_DEQUEUE_COUNT',
        'FLEET_OPERATION_DEADLINE_MINUTES',
      ],
    ],
    [
      'half of identity storage',
      { FLEET_SUBSCRIPTIONS: S1, AzureWebJobsStorage__tableServiceUri: 'https://a.table.core.windows.net' },
      ['AzureWebJobsStorage__queueServiceUri'],
    ],
    [
      'bad storage URI',
      {
        FLEET_SUBSCRIPTIONS: S1,
        AzureWebJobsStorage__tableServiceUri: 'acct',
        AzureWebJobsStorage__queueServiceUri: 'https://a.queue.core.windows.net',
      },
      ['AzureWebJobsStorage__tableServiceUri'],
    ],
    [
      'unknown storage credential',
      { ...base, AzureWebJobsStorage__credential: 'password' },
      ['AzureWebJobsStorage__credential'],
    ],
    [
      'workspace not an ARM ID',
      { ...base, FLEET_LOG_ANALYTICS_WORKSPACE_ID: 'ws1' },
      ['FLEET_LOG_ANALYTICS_WORKSPACE_ID'],
    ],
    [
      'workspace region without its customer ID, and without the workspace',
      { ...base, FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: 'westeurope' },
      ['FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID', 'FLEET_LOG_ANALYTICS_WORKSPACE_ID'],
    ],
    [
      'customer ID not a GUID',
      {
        ...base,
        FLEET_LOG_ANALYTICS_WORKSPACE_ID:
          '/subscriptions/6a1b2c3d-0000-4000-8000-00000000000a/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/ws',
        FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: 'westeurope',
        FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID: 'not-a-guid',
      },
      ['FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID'],
    ],
  ])('%s', (_name, env, settings) => {
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'InvalidConfiguration' });
    const v = error as ValidationError;
    expect(v.details.map((d) => d.path).sort()).toEqual([...settings].sort());
    for (const s of settings) expect(v.message).toContain(s);
  });

  it('never echoes a secret value in the message', () => {
    const error = (() => {
      try {
        loadConfig({ ARM_STATIC_TOKEN: 'super-secret-token', FLEET_API_KEY: 'api-secret' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).not.toContain('super-secret-token');
    expect(error?.message).not.toContain('api-secret');
  });
});
