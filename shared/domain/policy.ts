/**
 * The fleet policy: the contract of ../API.md, validated field by field. Unknown fields are rejected.
 * `parsePolicy` is the only way in: it returns a typed, defaulted Policy or throws a ValidationError whose
 * details name every offending field.
 */
import { z } from 'zod';
import { GUID_PATTERN, RESOURCE_GROUP_PATTERN, isWorkspaceId, parseClusterId } from './armId.js';
import { parseNcrontab } from './ncrontab.js';
import { rolloutSchema } from './rolloutSchema.js';
import { zodToValidationError } from './zodToValidationError.js';

export { POLICY_NAME_PATTERN } from './rolloutSchema.js';
import { POLICY_NAME_PATTERN } from './rolloutSchema.js';
export const RELEASE_TRAINS = ['stable', 'staging', 'pilot', 'preview'] as const;
/** Helm value paths: dotted identifiers, optionally with list indexes (`a.b[0].c`). */
export const SETTING_KEY_PATTERN = /^[A-Za-z0-9_-]+(\[\d+\])*(\.[A-Za-z0-9_-]+(\[\d+\])*)*$/;
export const MAX_SETTINGS = 200;
export const MAX_SETTINGS_BYTES = 32 * 1024;
export const MAX_GLOBS = 100;
export const MAX_GLOB_LENGTH = 63;
/** An Arc OSM extension version: `1.2.6`, or a rebuild such as `1.0.0-1`. */
export const VERSION_PATTERN = /^\d+\.\d+\.\d+(-\d+)?$/;

/**
 * A JSON map (tags, settings) as a zod record that refuses a `__proto__` key: JSON.parse makes it an own
 * key, but zod skips it and the validated copy cannot hold it, so it would vanish silently (a lost tag
 * selector made the target wider, a lost setting was never sent).
 */
export function jsonMap<K extends z.core.$ZodRecordKey, V extends z.ZodType>(key: K, value: V) {
  return z.preprocess(
    (input, ctx) => {
      if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__'))
        ctx.issues.push({ code: 'custom', message: 'is not allowed as a key', path: ['__proto__'], input });
      return input;
    },
    z.record(key, value),
  );
}

const nonEmptyList = <T extends z.ZodType>(item: T, max = 100) => z.array(item).min(1).max(max);

const settingsMap = (what: string) =>
  jsonMap(
    z.string(),
    z.string({ error: `${what} values must be strings ("true", not true)` }).max(4096),
  ).superRefine((map, ctx) => {
    const keys = Object.keys(map);
    for (const key of keys) {
      if (key.length > 256 || !SETTING_KEY_PATTERN.test(key))
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'is not a valid key: use a Helm value path such as osm.osm.envoyLogLevel',
        });
    }
    if (keys.length > MAX_SETTINGS) ctx.addIssue({ code: 'custom', message: `at most ${MAX_SETTINGS} keys` });
    const bytes = keys.reduce((n, k) => n + k.length + (map[k]?.length ?? 0), 0);
    if (bytes > MAX_SETTINGS_BYTES)
      ctx.addIssue({
        code: 'custom',
        message: `keys and values together must stay under ${MAX_SETTINGS_BYTES} bytes`,
      });
  });

const target = z.strictObject({
  subscriptions: nonEmptyList(z.string().regex(GUID_PATTERN, 'must be a subscription GUID')).optional(),
  resourceGroups: nonEmptyList(
    z.string().regex(RESOURCE_GROUP_PATTERN, 'must be a resource group name'),
  ).optional(),
  tags: jsonMap(z.string().min(1).max(512), z.string().max(256)).optional(),
  distributions: nonEmptyList(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a distribution name'),
  ).optional(),
  locations: nonEmptyList(z.string().regex(/^[A-Za-z0-9 ]{1,64}$/, 'must be an Azure location')).optional(),
  // Globs are matched in one pass over the name (globMatch.ts); the caps bound a plan's matching work.
  clusterNames: z
    .array(
      z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_GLOB_LENGTH, `at most ${MAX_GLOB_LENGTH} characters, as a cluster name`)
        .regex(/^[-_.A-Za-z0-9*?]*$/, 'must be a cluster name or glob (letters, digits, - _ . * ?)'),
    )
    .min(1)
    .max(MAX_GLOBS, `at most ${MAX_GLOBS} globs`)
    .optional(),
  exclude: z
    .array(z.string().refine((s) => !!parseClusterId(s), 'must be a connected cluster resource ID'))
    .max(10_000)
    .optional(),
});

const policyBody = z.strictObject({
  name: z.string().optional(),
  description: z.string().max(1024).optional(),
  target: target.default({}),
  osm: z.strictObject({
    version: z.string().regex(VERSION_PATTERN, 'must be an OSM extension version such as 1.2.6'),
    releaseTrain: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(RELEASE_TRAINS, { error: `must be one of ${RELEASE_TRAINS.join(', ')}` }))
      .default('stable'),
    configurationSettings: settingsMap('configurationSettings').default({}),
    configurationProtectedSettings: settingsMap('configurationProtectedSettings').default({}),
  }),
  monitor: z
    .strictObject({
      enabled: z.boolean(),
      logAnalyticsWorkspaceResourceId: z
        .string()
        .refine(isWorkspaceId, 'must be a Log Analytics workspace resource ID')
        .optional(),
      namespaces: z
        .array(
          z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a Kubernetes namespace name'),
        )
        .max(100)
        .default([]),
    })
    .refine((m) => !m.enabled || !!m.logAnalyticsWorkspaceResourceId, {
      message: 'is required when monitor.enabled is true',
      path: ['logAnalyticsWorkspaceResourceId'],
    })
    .default({ enabled: false, namespaces: [] }),
  rollout: rolloutSchema.default({
    waves: [{ name: 'all', percent: 100, maxParallel: 50, soakMinutes: 0 }],
    maxFailurePercent: 5,
    crdUpgrades: 'requireApproval',
    includeUnsupportedDistributions: false,
    majorUpgrades: 'refuse',
  }),
  autoOnboard: z.boolean().default(false),
  /** A newly seen drift of this policy's settings starts a rollout of the policy (with its waves). */
  correctDrift: z.boolean().optional(),
  schedule: z
    .string()
    .max(256)
    .superRefine((expr, ctx) => {
      const r = parseNcrontab(expr);
      if (typeof r === 'string')
        ctx.addIssue({
          code: 'custom',
          message: `${r}; give a six-field NCRONTAB expression such as "0 0 3 * * 6"`,
        });
    })
    .optional(),
});

export type PolicyInput = z.input<typeof policyBody>;
export type Policy = Omit<z.output<typeof policyBody>, 'name'> & { name: string };

export interface ParsePolicyOptions {
  /** Whether a version exists in the OSM catalog; unknown versions are refused with a clear message. */
  isKnownVersion?: (version: string) => boolean;
}

/** Validates a policy body for the policy `name` (from the URL). Throws ValidationError naming each bad field. */
export function parsePolicy(name: string, body: unknown, options: ParsePolicyOptions = {}): Policy {
  if (!POLICY_NAME_PATTERN.test(name)) {
    throw zodToValidationError([
      {
        path: ['name'],
        message: 'must match ^[a-z0-9][a-z0-9-]{0,62}$ (lower-case letters, digits, dashes)',
      },
    ]);
  }
  const result = policyBody.safeParse(body);
  if (!result.success) throw zodToValidationError(result.error.issues);
  const { name: bodyName, ...policy } = result.data;
  const problems: { path: (string | number)[]; message: string }[] = [];
  if (bodyName !== undefined && bodyName !== name)
    problems.push({ path: ['name'], message: `is "${bodyName}" but the URL names policy "${name}"` });
  if (options.isKnownVersion && !options.isKnownVersion(policy.osm.version))
    problems.push({
      path: ['osm', 'version'],
      message: `${policy.osm.version} is not a published Arc OSM extension version`,
    });
  if (problems.length) throw zodToValidationError(problems);
  return { name, ...policy };
}
