// What every handler shares: state, config, stats, randomness, the Resource Graph index and Event Grid,
// plus `publishChange`, which every ARM write goes through (graph row with lag, then an event).
import { randomUUID } from 'node:crypto';
import type { EmulatorConfig } from './emulatorConfig.js';
import type { EmulatorState, ClusterRecord, ExtensionRecord } from './emulatorState.js';
import type { EmulatorStats } from './emulatorStats.js';
import type { EventGridPublisher } from './eventGridPublisher.js';
import type { GraphIndex } from './graph/graphIndex.js';
import { clusterGraphRow, extensionGraphRow, EMULATOR_TENANT_ID } from './graphRows.js';
import type { Random } from './random.js';
import type { InstallOutcomeRule } from './faultRules.js';

export interface EmulatorContext {
  state: EmulatorState;
  config: EmulatorConfig;
  stats: EmulatorStats;
  random: Random;
  graph: GraphIndex;
  events: EventGridPublisher;
  outcomes: InstallOutcomeRule[];
  now(): number;
}

/** Who made the request, as ARM events report it. */
export interface RequestOrigin {
  principal: string;
  method: string;
  url: string;
  clientIp: string;
  correlationId: string;
  clientRequestId: string;
}

export const SYSTEM_ORIGIN: RequestOrigin = {
  principal: 'emulator',
  method: 'PUT',
  url: '',
  clientIp: '127.0.0.1',
  correlationId: '',
  clientRequestId: '',
};

export function publishCluster(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  deleted = false,
  lagMs = ctx.config.graphLagMs,
): void {
  ctx.graph.put('resources', cluster.id, deleted ? null : clusterGraphRow(cluster), ctx.now() + lagMs);
}

export function publishExtension(
  ctx: EmulatorContext,
  cluster: ClusterRecord,
  ext: ExtensionRecord,
  deleted = false,
  lagMs = ctx.config.graphLagMs,
): void {
  const row = deleted ? null : extensionGraphRow(cluster, ext, ctx.config.graphVersionProperty);
  ctx.graph.put('kubernetesconfigurationresources', ext.id, row, ctx.now() + lagMs);
}

const EVENT_TYPES = {
  write: 'Microsoft.Resources.ResourceWriteSuccess',
  delete: 'Microsoft.Resources.ResourceDeleteSuccess',
  writeFailure: 'Microsoft.Resources.ResourceWriteFailure',
  deleteFailure: 'Microsoft.Resources.ResourceDeleteFailure',
} as const;

/** Raise Microsoft.Resources.ResourceWrite|Delete Success|Failure for an ARM write. */
export function emitResourceEvent(
  ctx: EmulatorContext,
  change: keyof typeof EVENT_TYPES,
  subscriptionId: string,
  resourceGroup: string,
  resourceId: string,
  operationName: string,
  origin: RequestOrigin,
): void {
  const provider = operationName.split('/')[0] ?? '';
  const correlationId = origin.correlationId || randomUUID();
  ctx.events.publish({
    id: randomUUID(),
    topic: `/subscriptions/${subscriptionId}`,
    subject: resourceId,
    eventType: EVENT_TYPES[change],
    eventTime: new Date(ctx.now()).toISOString(),
    data: {
      authorization: { scope: resourceId, action: operationName, evidence: { role: 'Contributor' } },
      claims: {
        aud: 'https://management.azure.com/',
        iss: `https://sts.windows.net/${EMULATOR_TENANT_ID}/`,
        appid: origin.principal,
        'http://schemas.microsoft.com/identity/claims/objectidentifier': origin.principal,
        'http://schemas.microsoft.com/identity/claims/tenantid': EMULATOR_TENANT_ID,
      },
      correlationId,
      httpRequest: {
        clientRequestId: origin.clientRequestId || randomUUID(),
        clientIpAddress: origin.clientIp,
        method: origin.method,
        url: origin.url || `https://management.azure.com${resourceId}`,
      },
      resourceProvider: provider,
      resourceUri: resourceId,
      operationName,
      status: change.endsWith('Failure') ? 'Failed' : 'Succeeded',
      subscriptionId,
      tenantId: EMULATOR_TENANT_ID,
      resourceGroup,
    },
    dataVersion: '2',
    metadataVersion: '1',
  });
}
