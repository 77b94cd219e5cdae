/**
 * The function app's settings in infra/modules/functionApp.bicep against what the code reads: every setting
 * shared/config.ts reads is set in Azure (or is listed below as not for Azure, with the reason), and every
 * setting the infra sets is read by the code or is a named Functions-platform setting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { property, readBicep, resources, stringLiterals, topLevelKeys, varValue } from './bicepText.js';

/** Read by the Functions host / platform, not by shared/config.ts. */
const PLATFORM_SETTINGS = [
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
];
const PLATFORM_PREFIX = /^(AzureWebJobsStorage__|APPLICATIONINSIGHTS_|FUNCTIONS_|AzureFunctionsJobHost__)/;

/** Read by shared/config.ts but deliberately not set in Azure. */
const NOT_FOR_AZURE: Record<string, string> = {
  AzureWebJobsStorage: 'a connection string carries an account key; Azure uses the identity-based __ form',
  FLEET_API_KEY: 'local only; in Azure the Functions host checks function keys',
  ARM_ENDPOINT: 'defaults to https://management.azure.com (public cloud)',
  ARM_CA_FILE: "the emulator's self-signed CA, local only",
  ARM_STATIC_TOKEN: 'local only; Azure uses the managed identity',
  WEBSITE_AUTH_ENABLED: 'set by the platform itself when App Service Authentication is on',
};

/** Flex Consumption replaces these with functionAppConfig (vendor/reference/azure.md section G). */
const DEPRECATED_ON_FLEX = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
];

/** The environment variables loadConfig reads, observed by handing it an environment that records reads. */
function settingsReadByCode(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, key) => {
      if (typeof key === 'string') read.add(key);
      return undefined;
    },
  });
  expect(() => loadConfig(env)).toThrow(/Invalid configuration/);
  return read;
}

const functionApp = readBicep('modules/functionApp.bicep');
const appSettingsObject = varValue(functionApp, 'appSettings');
const infraSettings = topLevelKeys(appSettingsObject);
const codeSettings = settingsReadByCode();
const literal = (key: string) => stringLiterals(property(appSettingsObject, key) ?? '')[0];

describe('function app settings', () => {
  it('are read from the code and found in the template (the readers work)', () => {
    expect(codeSettings.size).toBeGreaterThanOrEqual(10);
    expect(codeSettings).toContain('FLEET_SUBSCRIPTIONS');
    expect(infraSettings.length).toBeGreaterThanOrEqual(10);
    expect(new Set(infraSettings).size).toBe(infraSettings.length);
  });

  it('every setting the code reads is set by the infra, unless it is not for Azure', () => {
    const missing = [...codeSettings].filter((s) => !infraSettings.includes(s) && !(s in NOT_FOR_AZURE));
    expect(missing).toEqual([]);
  });

  it('the not-for-Azure list names settings the code reads and the infra does not set', () => {
    for (const s of Object.keys(NOT_FOR_AZURE)) {
      expect(codeSettings, s).toContain(s);
      expect(infraSettings, s).not.toContain(s);
    }
  });

  it('every setting the infra sets is read by the code or is a named platform setting', () => {
    const unread = infraSettings.filter((s) => !codeSettings.has(s) && !PLATFORM_SETTINGS.includes(s));
    expect(unread).toEqual([]);
  });

  it('the platform list is platform settings only, and all of them are set', () => {
    for (const s of PLATFORM_SETTINGS) {
      expect(s).toMatch(PLATFORM_PREFIX);
      expect(infraSettings, s).toContain(s);
    }
  });

  it('uses the identity for storage (no connection string) and Entra ID for Application Insights', () => {
    expect(literal('AzureWebJobsStorage__credential')).toBe('managedidentity');
    expect(property(appSettingsObject, 'AzureWebJobsStorage__clientId')).toBe('identityClientId');
    expect(property(appSettingsObject, 'AZURE_CLIENT_ID')).toBe('identityClientId');
    expect(property(appSettingsObject, 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING')).toBe(
      "'ClientId=${identityClientId};Authorization=AAD'",
    );
  });

  it('FLEET_MAX_DEQUEUE_COUNT equals host.json maxDequeueCount', () => {
    const host = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'host.json'), 'utf8')) as {
      extensions: { queues: { maxDequeueCount: number } };
    };
    expect(literal('FLEET_MAX_DEQUEUE_COUNT')).toBe(String(host.extensions.queues.maxDequeueCount));
  });

  it('sets no setting Flex Consumption deprecated, and runs Node 22 from functionAppConfig', () => {
    for (const s of DEPRECATED_ON_FLEX) expect(functionApp.code).not.toContain(s);
    const site = resources(functionApp).find((r) => r.type === 'Microsoft.Web/sites');
    const runtime = property(site?.body ?? '', 'runtime') ?? '';
    expect(stringLiterals(runtime)).toEqual(['node', '22']);
    expect(site?.body).toMatch(/maximumInstanceCount:\s*maximumInstanceCount/);
    expect(site?.body).toMatch(/appSettings:\s*\[for setting in items\(appSettings\)/);
    expect(property(site?.body ?? '', 'tags')).toContain("'azd-service-name': 'api'");
  });
});
