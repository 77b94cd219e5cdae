// Fault rules applied to incoming ARM requests, and install-outcome rules applied when an extension
// operation completes. Both are added through the control surface.
import type { Random } from './random.js';

export interface FaultRuleInput {
  method?: string;
  /** Case-insensitive regular expression tested against the request path. */
  pathRegex?: string;
  /** Only requests under this cluster's ARM ID (case-insensitive prefix). */
  clusterId?: string;
  action: { status: 429 | 500 | 503; retryAfterSeconds?: number } | { timeout: true } | { latencyMs: number };
  /** Probability (0..1) a matching request is hit; default 1. */
  rate?: number;
  /** Stop after this many hits; default unlimited. */
  count?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: number;
  hits: number;
  regex: RegExp | null;
}

export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    if (!input.action || typeof input.action !== 'object') throw new Error('fault rule needs an action');
    const rule: FaultRule = {
      ...input,
      id: this.nextId++,
      hits: 0,
      regex: input.pathRegex ? new RegExp(input.pathRegex, 'i') : null,
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Omit<FaultRule, 'regex'>[] {
    return this.rules.map(({ regex: _regex, ...rest }) => rest);
  }

  /** The first rule that hits this request (and counts the hit), or undefined. */
  match(method: string, path: string, random: Random): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    const lowerPath = path.toLowerCase();
    for (const rule of this.rules) {
      if (rule.count !== undefined && rule.hits >= rule.count) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.regex && !rule.regex.test(path)) continue;
      if (rule.clusterId && !lowerPath.startsWith(rule.clusterId.toLowerCase())) continue;
      if (rule.rate !== undefined && random.next() >= rule.rate) continue;
      rule.hits++;
      return rule;
    }
    return undefined;
  }
}

export interface InstallOutcomeRule {
  /** Cluster ARM IDs (case-insensitive) this rule applies to; all clusters when absent. */
  clusterIds?: string[];
  /** Extension type (case-insensitive); all types when absent. */
  extensionType?: string;
  /** Probability (0..1) that a matching operation fails; default 1. */
  failRate?: number;
  /** Stop after this many failures. */
  count?: number;
  code?: string;
  message?: string;
  hits?: number;
}

export function matchOutcome(
  rules: InstallOutcomeRule[],
  clusterKey: string,
  extensionType: string,
  random: Random,
): InstallOutcomeRule | undefined {
  for (const rule of rules) {
    if (rule.count !== undefined && (rule.hits ?? 0) >= rule.count) continue;
    if (rule.clusterIds && !rule.clusterIds.some((id) => id.toLowerCase() === clusterKey)) continue;
    if (rule.extensionType && rule.extensionType.toLowerCase() !== extensionType) continue;
    if (random.next() >= (rule.failRate ?? 1)) continue;
    rule.hits = (rule.hits ?? 0) + 1;
    return rule;
  }
  return undefined;
}
