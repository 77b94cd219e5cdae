/**
 * Environment → typed, validated configuration (docs/configuration.md lists every setting). Validated once at
 * start-up; a bad or missing setting throws a ValidationError (code `InvalidConfiguration`) naming each one.
 * Files named here (ARM_CA_FILE) are read by the composition root, not by this module.
 */
import { z } from 'zod';
import { GUID_PATTERN, isWorkspaceId } from './domain/armId.js';
import { ValidationError } from './domain/errors.js';
import { zodToValidationError } from './domain/zodToValidationError.js';

export type StorageConfig =
  | { kind: 'connectionString'; connectionString: string }
  | {
      kind: 'identity';
      tableServiceUri: string;
      queueServiceUri: string;
      /** `managedidentity` when a user-assigned identity is named by `clientId`. */
      credential?: string;
      clientId?: string;
    };

export interface Config {
  subscriptions: string[];
  apiKey?: string;
  /**
   * Whether `x-ms-client-principal-*` headers are the platform's: true when App Service Authentication is on
   * (the platform sets WEBSITE_AUTH_ENABLED=True, strips those headers from client requests and sets them
   * itself). Locally only when set by hand to emulate it. docs/security.md, item 8.
   */
  trustClientPrincipal: boolean;
  storage: StorageConfig;
  arm: {
    endpoint: string;
    /** Path of a PEM CA bundle to trust (the emulator's self-signed CA); read by createComposition. */
    caFile?: string;
    /** Local only: a fixed bearer token (the static credential). Never logged. */
    staticToken?: string;
  };
  /** Client id of the user-assigned managed identity used for ARM. */
  azureClientId?: string;
  /** Key Vault holding protected setting values (KEY_VAULT_URL); unset: protected settings are refused. */
  keyVaultUrl?: string;
  operationDeadlineMinutes: number;
  checkDelaySeconds: number;
  /** How old a fleet sweep may be to serve an interactive plan (FLEET_PLAN_SWEEP_MAX_AGE_SECONDS). */
  planSweepMaxAgeSeconds: number;
  /** How long a cluster written while not yet Connected is watched for its connection (connect-watch). */
  connectWatchMinutes: number;
  maxDequeueCount: number;
  /** Default Log Analytics workspace (ARM ID) for Azure Monitor onboarding. */
  logAnalyticsWorkspaceId?: string;
  /**
   * That workspace's region and customer ID, known at deployment (infra/ sets them from the workspace):
   * onboarding then needs no workspace read for it. Both or neither; other workspaces are read from ARM.
   */
  logAnalyticsWorkspaceFacts?: { location: string; customerId: string };
}

type Env = Readonly<Record<string, string | undefined>>;

const optional = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => /^https?:\/\/[^\s/]+/i.test(s) && URL.canParse(s), `must be an http(s) URL (${what})`);
const positiveInt = (fallback: number, max: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === undefined || s === '' ? String(fallback) : s))
    .refine((s) => /^\d+$/.test(s), 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be between 1 and ${max}`);

const schema = z.object({
  FLEET_SUBSCRIPTIONS: z
    .string({ error: 'is required (comma-separated subscription GUIDs)' })
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
    )
    .superRefine((list, ctx) => {
      const bad = list.filter((s) => !GUID_PATTERN.test(s));
      if (list.length === 0)
        ctx.addIssue({ code: 'custom', message: 'is required (comma-separated subscription GUIDs)' });
      else if (bad.length > 0)
        ctx.addIssue({
          code: 'custom',
          message: `must be comma-separated GUIDs; not a GUID: ${bad.join(', ')}`,
        });
    }),
  FLEET_API_KEY: optional,
  WEBSITE_AUTH_ENABLED: optional,
  AzureWebJobsStorage: optional,
  AzureWebJobsStorage__tableServiceUri: optional.pipe(httpsUrl('table service').optional()),
  AzureWebJobsStorage__queueServiceUri: optional.pipe(httpsUrl('queue service').optional()),
  AzureWebJobsStorage__credential: optional.pipe(z.enum(['managedidentity']).optional()),
  AzureWebJobsStorage__clientId: optional,
  ARM_ENDPOINT: optional.pipe(
    z
      .string()
      .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', {
        message: 'must be an https URL (the Azure SDK sends bearer tokens over TLS only)',
      })
      .optional(),
  ),
  ARM_CA_FILE: optional,
  ARM_STATIC_TOKEN: optional,
  KEY_VAULT_URL: optional.pipe(
    z
      .string()
      .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', {
        message: 'must be an https URL (the vault, e.g. https://<name>.vault.azure.net)',
      })
      .optional(),
  ),
  AZURE_CLIENT_ID: optional,
  FLEET_OPERATION_DEADLINE_MINUTES: positiveInt(30, 7 * 24 * 60),
  FLEET_CHECK_DELAY_SECONDS: positiveInt(15, 3600),
  FLEET_PLAN_SWEEP_MAX_AGE_SECONDS: positiveInt(60, 3600),
  FLEET_CONNECT_WATCH_MINUTES: positiveInt(24 * 60, 7 * 24 * 60),
  FLEET_MAX_DEQUEUE_COUNT: positiveInt(5, 100),
  FLEET_LOG_ANALYTICS_WORKSPACE_ID: optional.pipe(
    z.string().refine(isWorkspaceId, 'must be a Log Analytics workspace resource ID').optional(),
  ),
  FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION: optional.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9 ]{2,40}$/, 'must be an Azure region name such as westeurope')
      .optional(),
  ),
  FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID: optional.pipe(
    z.string().regex(GUID_PATTERN, "must be the workspace's customer ID (a GUID)").optional(),
  ),
});

/** The default workspace's region and customer ID come together, and only with the workspace itself. */
function workspaceIssues(env: Env): { path: string[]; message: string }[] {
  const set = (key: string) => (env[key] ?? '').trim() !== '';
  const facts = ['FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION', 'FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID'];
  if (!facts.some(set)) return [];
  return [
    ...facts
      .filter((k) => !set(k))
      .map((k) => ({ path: [k], message: `is required with ${facts.find(set) ?? ''}` })),
    ...(set('FLEET_LOG_ANALYTICS_WORKSPACE_ID')
      ? []
      : [
          {
            path: ['FLEET_LOG_ANALYTICS_WORKSPACE_ID'],
            message: 'is required with the workspace region and customer ID',
          },
        ]),
  ];
}

/** Storage needs a connection string or both identity-based service URIs (checked on the raw env so it is
 * reported together with every other problem). */
function storageIssues(env: Env): { path: string[]; message: string }[] {
  const set = (key: string) => (env[key] ?? '').trim() !== '';
  if (set('AzureWebJobsStorage')) return [];
  const keys = ['AzureWebJobsStorage__tableServiceUri', 'AzureWebJobsStorage__queueServiceUri'];
  if (!keys.some(set))
    return [
      {
        path: ['AzureWebJobsStorage'],
        message:
          'is required: a connection string (e.g. UseDevelopmentStorage=true), or set ' +
          'AzureWebJobsStorage__tableServiceUri and AzureWebJobsStorage__queueServiceUri',
      },
    ];
  return keys
    .filter((k) => !set(k))
    .map((k) => ({ path: [k], message: 'is required with identity-based storage' }));
}

/** Reads and validates the configuration; throws ValidationError('InvalidConfiguration') naming each problem. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = schema.safeParse(env);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues),
    ...storageIssues(env),
    ...workspaceIssues(env),
  ];
  if (!parsed.success || issues.length > 0) {
    const { details } = zodToValidationError(issues, 'InvalidConfiguration');
    const summary = details.map((d) => `${d.path} ${d.message}`).join('; ');
    throw new ValidationError(`Invalid configuration: ${summary}`, details, 'InvalidConfiguration');
  }
  const e = parsed.data;

  const storage: StorageConfig = e.AzureWebJobsStorage
    ? { kind: 'connectionString', connectionString: e.AzureWebJobsStorage }
    : {
        kind: 'identity',
        tableServiceUri: e.AzureWebJobsStorage__tableServiceUri ?? '',
        queueServiceUri: e.AzureWebJobsStorage__queueServiceUri ?? '',
        ...(e.AzureWebJobsStorage__credential ? { credential: e.AzureWebJobsStorage__credential } : {}),
        ...(e.AzureWebJobsStorage__clientId ? { clientId: e.AzureWebJobsStorage__clientId } : {}),
      };
  return {
    subscriptions: [...new Set(e.FLEET_SUBSCRIPTIONS.map((s) => s.toLowerCase()))],
    ...(e.FLEET_API_KEY ? { apiKey: e.FLEET_API_KEY } : {}),
    trustClientPrincipal: e.WEBSITE_AUTH_ENABLED?.toLowerCase() === 'true',
    storage,
    arm: {
      endpoint: (e.ARM_ENDPOINT ?? 'https://management.azure.com').replace(/\/+$/, ''),
      ...(e.ARM_CA_FILE ? { caFile: e.ARM_CA_FILE } : {}),
      ...(e.ARM_STATIC_TOKEN ? { staticToken: e.ARM_STATIC_TOKEN } : {}),
    },
    ...(e.AZURE_CLIENT_ID ? { azureClientId: e.AZURE_CLIENT_ID } : {}),
    ...(e.KEY_VAULT_URL ? { keyVaultUrl: e.KEY_VAULT_URL.replace(/\/+$/, '') } : {}),
    operationDeadlineMinutes: e.FLEET_OPERATION_DEADLINE_MINUTES,
    checkDelaySeconds: e.FLEET_CHECK_DELAY_SECONDS,
    planSweepMaxAgeSeconds: e.FLEET_PLAN_SWEEP_MAX_AGE_SECONDS,
    connectWatchMinutes: e.FLEET_CONNECT_WATCH_MINUTES,
    maxDequeueCount: e.FLEET_MAX_DEQUEUE_COUNT,
    ...(e.FLEET_LOG_ANALYTICS_WORKSPACE_ID
      ? { logAnalyticsWorkspaceId: e.FLEET_LOG_ANALYTICS_WORKSPACE_ID }
      : {}),
    ...(e.FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION && e.FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID
      ? {
          logAnalyticsWorkspaceFacts: {
            location: e.FLEET_LOG_ANALYTICS_WORKSPACE_LOCATION,
            customerId: e.FLEET_LOG_ANALYTICS_WORKSPACE_CUSTOMER_ID.toLowerCase(),
          },
        }
      : {}),
  };
}
