// Resource Graph's per-principal query quota: N queries per window (15 per 5 s by default).

export interface QuotaOptions {
  readonly queries: number;
  readonly windowMs: number;
}

export interface QuotaDecision {
  readonly allowed: boolean;
  /** Queries left in the current window (after this one). */
  readonly remaining: number;
  /** Milliseconds until the window resets. */
  readonly resetsAfterMs: number;
}

/** hh:mm:ss, as in x-ms-user-quota-resets-after (rounded up to the next second). */
export function formatResetsAfter(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

export class UserQuota {
  private readonly windows = new Map<string, { startMs: number; used: number }>();

  constructor(private readonly options: QuotaOptions) {}

  /** Counts one query for the principal (case-insensitive) at nowMs, unless the quota is spent. */
  take(principal: string, nowMs: number): QuotaDecision {
    const key = principal.toLowerCase();
    let window = this.windows.get(key);
    if (window === undefined || nowMs >= window.startMs + this.options.windowMs || nowMs < window.startMs) {
      window = { startMs: nowMs, used: 0 };
      this.windows.set(key, window);
    }
    const resetsAfterMs = window.startMs + this.options.windowMs - nowMs;
    if (window.used >= this.options.queries) return { allowed: false, remaining: 0, resetsAfterMs };
    window.used++;
    return { allowed: true, remaining: this.options.queries - window.used, resetsAfterMs };
  }

  reset(): void {
    this.windows.clear();
  }
}
