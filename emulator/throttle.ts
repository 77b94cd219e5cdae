// ARM subscription throttling: one token bucket per subscription and operation kind.
import type { EmulatorConfig } from './emulatorConfig.js';

export type RequestKind = 'read' | 'write' | 'delete';

interface Bucket {
  tokens: number;
  lastMs: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly config: EmulatorConfig) {}

  take(subscriptionId: string, kind: RequestKind, nowMs: number): ThrottleDecision {
    const limits = this.config.throttling[kind];
    if (!this.config.throttling.enabled)
      return { allowed: true, remaining: limits.burst, retryAfterSeconds: 0 };
    const key = `${subscriptionId.toLowerCase()}|${kind}`;
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = { tokens: limits.burst, lastMs: nowMs }));
    const elapsed = Math.max(0, nowMs - bucket.lastMs) / 1000;
    bucket.tokens = Math.min(limits.burst, bucket.tokens + elapsed * limits.perSecond);
    bucket.lastMs = nowMs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens), retryAfterSeconds: 0 };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limits.perSecond));
    return { allowed: false, remaining: 0, retryAfterSeconds };
  }

  reset(): void {
    this.buckets.clear();
  }
}

export function kindOfMethod(method: string): RequestKind {
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'DELETE') return 'delete';
  return 'write';
}

export function remainingHeader(kind: RequestKind): string {
  return `x-ms-ratelimit-remaining-subscription-${kind === 'read' ? 'reads' : kind === 'write' ? 'writes' : 'deletes'}`;
}
