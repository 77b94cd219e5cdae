/** The `rollout` block of a policy: waves, failure threshold, maintenance window, CRD and major-upgrade opt-ins. */
import { z } from 'zod';

/** Policy and wave names: lower-case letters, digits and dashes. */
export const POLICY_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const WEEK_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

const nonEmptyList = <T extends z.ZodType>(item: T, max: number) => z.array(item).min(1).max(max);

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

export const rolloutSchema = z
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
