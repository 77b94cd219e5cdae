/**
 * Azure Resource Manager events (Event Grid schema) about connected clusters: what osm-fleet reacts to and
 * why it ignores the rest. Event Grid delivers at least once and in no particular order, so the result only
 * says which cluster to look at; the handler reads the cluster's current state from ARM itself.
 */
import { z } from 'zod';
import { inSubscriptionScope, parseClusterId } from './armId.js';

export const WRITE_EVENT = 'Microsoft.Resources.ResourceWriteSuccess';
export const DELETE_EVENT = 'Microsoft.Resources.ResourceDeleteSuccess';

export type ClusterEvent =
  | {
      kind: 'write' | 'delete';
      clusterId: string;
      subscriptionId: string;
      eventId: string;
      eventTime: string;
    }
  | { kind: 'ignored'; reason: string };

const eventSchema = z.object({
  id: z.string().min(1).max(256),
  eventType: z.string().max(256),
  subject: z.string().max(2048),
  eventTime: z.string().max(64),
  data: z
    .object({
      operationName: z.string().max(512).optional(),
      resourceUri: z.string().max(2048).optional(),
      subscriptionId: z.string().max(64).optional(),
    })
    .passthrough()
    .optional(),
});

export function parseClusterEvent(event: unknown, subscriptions: readonly string[]): ClusterEvent {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) return { kind: 'ignored', reason: 'MalformedEvent' };
  const e = parsed.data;
  const kind = e.eventType === WRITE_EVENT ? 'write' : e.eventType === DELETE_EVENT ? 'delete' : undefined;
  if (!kind) return { kind: 'ignored', reason: 'UnhandledEventType' };
  const ref = parseClusterId(e.data?.resourceUri ?? e.subject);
  if (!ref) return { kind: 'ignored', reason: 'NotAConnectedCluster' };
  const op = e.data?.operationName?.toLowerCase();
  if (op && op !== `microsoft.kubernetes/connectedclusters/${kind}`)
    return { kind: 'ignored', reason: 'NotAConnectedClusterWrite' };
  if (!inSubscriptionScope(ref.subscriptionId, subscriptions))
    return { kind: 'ignored', reason: 'SubscriptionOutOfScope' };
  const clusterId = `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${ref.name}`;
  return { kind, clusterId, subscriptionId: ref.subscriptionId, eventId: e.id, eventTime: e.eventTime };
}

/**
 * Duplicate events for one cluster within one delivery (issue 14 item 5): only the last per cluster, by
 * `eventTime` then position in the batch, is worth handling, because handling an event means reading ARM
 * for the cluster's truth now; an earlier event of the same cluster would read the same truth. So a delete
 * after a write wins, and a write after a delete (the cluster connected again) wins. Events that do not
 * parse as a cluster write or delete are all kept (each is logged with its reason, which costs no ARM read).
 * Returns the events to handle in their original order and how many were superseded.
 */
export function coalesceClusterEvents(
  events: readonly unknown[],
  subscriptions: readonly string[],
): { kept: unknown[]; superseded: number } {
  const last = new Map<string, { index: number; time: number }>();
  const parsed = events.map((event) => parseClusterEvent(event, subscriptions));
  parsed.forEach((e, index) => {
    if (e.kind === 'ignored') return;
    const key = e.clusterId.toLowerCase();
    const time = Date.parse(e.eventTime);
    const t = Number.isNaN(time) ? -Infinity : time;
    const prev = last.get(key);
    if (!prev || t >= prev.time) last.set(key, { index, time: t });
  });
  const kept = events.filter((_, index) => {
    const e = parsed[index];
    return !e || e.kind === 'ignored' || last.get(e.clusterId.toLowerCase())?.index === index;
  });
  return { kept, superseded: events.length - kept.length };
}
