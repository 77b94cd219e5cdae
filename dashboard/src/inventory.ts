/**
 * The inventory as the dashboard holds it: read page by page through the API, kept for a short while so
 * that moving between the fleet page and the clusters page (or changing a filter) does not read 10,000
 * clusters again each time.
 */
import { api } from './api.js';
import type { Cluster } from './types.js';

const MAX_AGE_MS = 30_000;
let cached: { at: number; value: Promise<{ items: Cluster[]; truncated: boolean }> } | undefined;

export function inventory(maxAgeMs = MAX_AGE_MS): Promise<{ items: Cluster[]; truncated: boolean }> {
  if (!cached || Date.now() - cached.at > maxAgeMs) {
    const value = api.allClusters();
    cached = { at: Date.now(), value };
    value.catch(() => (cached = undefined)); // a failed read is not kept
  }
  return cached.value;
}
