/**
 * The fleet policy: the contract of ../API.md, validated field by field. Unknown fields are rejected.
 * `parsePolicy` is the only way in: it returns a typed, defaulted Policy or throws a ValidationError whose
 * details name every offending field.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { GUID_PATTERN, RESOURCE_GROUP_PATTERN, isWorkspaceId, parseClusterId } from './armId.js';
import { zodToValidationError } from './zodToValidationError.js';

export const POLICY_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const RELEASE_TRAINS = ['stable', 'staging', 'pilot', 'preview'] as const;
export const WEEK_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Helm value paths: dotted identifiers, optionally with list indexes (`a.b[0].c`). */
export const SETTING_KEY_PATTERN = /^[A-Za-z0-9_-]+(\[\d+\])*(\.[A-Za-z0-9_-]+(\[\d+\])*)*$/;
export const MAX_SETTINGS = 200;
export const MAX_SETTINGS_BYTES = 32 * 1024;
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
  clusterNames: nonEmptyList(
    z.string().regex(/^[-_.A-Za-z0-9*?]{1,63}$/, 'must be a cluster name or glob'),
  ).optional(),
  exclude: z
    .array(z.string().refine((s) => !!parseClusterId(s), 'must be a connected cluster resource ID'))
    .max(10_000)
    .optional(),
});

const wave = z
  .strictObject({
    name: z.string().regex(POLICY_NAME_PATTERN, 'must be lower-case letters, digits and dashes'),
    count: z.int().min(1).max(100_000).optional(),
    percent: z.number().gt(0).max(100).optional(),
    maxParallel: z.int().min(1).max(1000),
    soakMinutes: z
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(0),
  })
  .refine((w) => (w.count === undefined) !== (w.percent === undefined), {
    message: 'give exactly one of count or percent',
  });

const maintenanceWindow = z.strictObject({
  days: nonEmptyList(
    z
      .string()
      .transform((d) => WEEK_DAYS.find((w) => w.toLowerCase() === d.toLowerCase()) ?? d)
      .pipe(z.enum(WEEK_DAYS, { error: 'must be a day name: Mon, Tue, Wed, Thu, Fri, Sat or Sun' })),
    7,
  ),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)'),
  durationHours: z.number().gt(0).max(168),
  timeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as UTC or Europe/Paris')
    .default('UTC'),
});

const rollout = z
  .strictObject({
    waves: nonEmptyList(wave, 20),
    maxFailurePercent: z.number().min(0).max(100).default(5),
    maintenanceWindow: maintenanceWindow.optional(),
    crdUpgrades: z.enum(['requireApproval', 'allow']).default('requireApproval'),
    includeUnsupportedDistributions: z.boolean().default(false),
    /** A major-version jump needs an uninstall and a fresh install; refused unless opted into. */
    majorUpgrades: z.enum(['refuse', 'reinstall']).default('refuse'),
  })
  .superRefine((r, ctx) => checkWaves(r.waves, ctx));

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
  rollout: rollout.default({
    waves: [{ name: 'all', percent: 100, maxParallel: 50, soakMinutes: 0 }],
    maxFailurePercent: 5,
    crdUpgrades: 'requireApproval',
    includeUnsupportedDistributions: false,
    majorUpgrades: 'refuse',
  }),
  autoOnboard: z.boolean().default(false),
  schedule: z
    .string()
    .refine(isNcrontab, 'must be a six-field NCRONTAB expression such as "0 0 3 * * 6"')
    .optional(),
});

export type PolicyInput = z.input<typeof policyBody>;
export type Policy = Omit<z.output<typeof policyBody>, 'name'> & { name: string };
export type RolloutSettings = Policy['rollout'];
export type WaveSettings = RolloutSettings['waves'][number];
export type MaintenanceWindowSettings = NonNullable<RolloutSettings['maintenanceWindow']>;

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

function checkWaves(
  waves: readonly { name: string; percent?: number | undefined }[],
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  let lastPercent = 0;
  waves.forEach((w, i) => {
    if (seen.has(w.name))
      ctx.addIssue({
        code: 'custom',
        path: ['waves', i, 'name'],
        message: `duplicate wave name "${w.name}"`,
      });
    seen.add(w.name);
    if (w.percent !== undefined) {
      if (w.percent <= lastPercent)
        ctx.addIssue({
          code: 'custom',
          path: ['waves', i, 'percent'],
          message: `percent is the cumulative share of the fleet and must grow from wave to wave (${w.percent} after ${lastPercent})`,
        });
      lastPercent = w.percent;
    }
  });
  const last = waves[waves.length - 1];
  if (last && last.percent !== 100)
    ctx.addIssue({
      code: 'custom',
      path: ['waves', waves.length - 1],
      message: 'the last wave must have percent 100 so that every targeted cluster belongs to a wave',
    });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Azure Functions timers use six-field NCRONTAB: {second} {minute} {hour} {day} {month} {day-of-week}. */
export function isNcrontab(expr: string): boolean {
  if (expr.trim().split(/\s+/).length !== 6) return false;
  try {
    new Cron(expr, { paused: true, mode: '6-part', timezone: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/** The next time an NCRONTAB schedule fires strictly after `after`, or null if it never does. */
export function nextScheduledRun(expr: string, after: Date): Date | null {
  return new Cron(expr, { paused: true, mode: '6-part', timezone: 'UTC' }).nextRun(after);
}
