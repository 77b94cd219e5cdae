/**
 * Which Pending clusters fill a wave's free slots. ARM throttles per subscription (writes refill at 10 per s
 * each), so the clusters in flight are spread evenly over subscriptions rather than taken in ID order: in ID
 * order a large wave fills its slots with one subscription at a time, whose write bucket then sets the pace
 * while the other subscriptions' buckets sit idle.
 *
 * Greedy and deterministic: each slot goes to the subscription with the fewest clusters in flight so far
 * (ties: the lower subscription id), and takes that subscription's lowest Pending id.
 */
const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function subscriptionOf(clusterId: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1]?.toLowerCase() ?? '';
}

export function spreadBySubscription(
  pending: readonly string[],
  inFlight: readonly string[],
  free: number,
): string[] {
  const queues = new Map<string, { ids: string[]; next: number }>();
  for (const id of [...pending].sort(compareIds)) {
    const sub = subscriptionOf(id);
    const q = queues.get(sub) ?? { ids: [], next: 0 };
    q.ids.push(id);
    queues.set(sub, q);
  }
  const load = new Map<string, number>();
  for (const id of inFlight) {
    const sub = subscriptionOf(id);
    load.set(sub, (load.get(sub) ?? 0) + 1);
  }
  const loadOf = (sub: string) => load.get(sub) ?? 0;

  const picked: string[] = [];
  while (picked.length < free && queues.size > 0) {
    let best: string | undefined;
    for (const sub of queues.keys())
      if (best === undefined || loadOf(sub) < loadOf(best) || (loadOf(sub) === loadOf(best) && sub < best))
        best = sub;
    const q = queues.get(best!)!;
    picked.push(q.ids[q.next++]!);
    load.set(best!, loadOf(best!) + 1);
    if (q.next === q.ids.length) queues.delete(best!);
  }
  return picked;
}
