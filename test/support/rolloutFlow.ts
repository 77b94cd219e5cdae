/** Helpers shared by the end-to-end scenario tests: seeds, rollouts through the API, ARM state reads. */
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { expect } from 'vitest';
import type { ClusterSeed, ExtensionSeed } from '../../emulator/seedFleet.js';
import { EVENT_FUNCTION } from '../../shared/functionNames.js';
import { clusterIdOf, waitFor, type FleetStack } from './fleetStack.js';

export const OSM_TYPE = 'Microsoft.openservicemesh';
export const FINAL = ['Succeeded', 'Failed', 'Cancelled', 'Halted'];
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An OSM extension installed by hand before osm-fleet. */
export function osmExt(version: string, settings: Record<string, string> = {}, name = 'osm'): ExtensionSeed {
  return {
    name,
    extensionType: OSM_TYPE,
    version,
    autoUpgradeMinorVersion: false,
    configurationSettings: settings,
  };
}

export function seedCluster(
  sub: string,
  rg: string,
  name: string,
  more: Partial<ClusterSeed> = {},
): ClusterSeed & { id: string } {
  return {
    subscriptionId: sub,
    resourceGroup: rg,
    name,
    distribution: 'aks',
    ...more,
    id: clusterIdOf(sub, rg, name),
  };
}

/** Seeds explicit clusters and waits until Resource Graph shows them (the graph lags ARM). */
export async function seedAndSettle(stack: FleetStack, clusters: ClusterSeed[]): Promise<void> {
  await stack.control.seed({ explicit: clusters.map(({ ...c }) => stripId(c)) });
  await sleep(400);
}

function stripId(c: ClusterSeed & { id?: string }): ClusterSeed {
  const { id: _id, ...rest } = c;
  return rest;
}

export async function putPolicy(stack: FleetStack, name: string, body: unknown): Promise<void> {
  const r = await stack.api('PUT', `/api/policies/${name}`, body);
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

export async function startRollout(stack: FleetStack, policy: string): Promise<string> {
  const r = await stack.api('POST', '/api/rollouts', { policy });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(r.body.state).toBe('Planning'); // the answer comes before the fleet-size work (issue 17)
  const id = r.body.id as string;
  await untilPlanned(stack, id);
  return id;
}

/** Waits until the planning worker has planned the rollout (it leaves `Planning`); returns its view. */
export async function untilPlanned(stack: FleetStack, id: string): Promise<Json> {
  return waitFor(async () => {
    const v = await stack.api('GET', `/api/rollouts/${id}`);
    return v.body.state !== 'Planning' && v.body;
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function rolloutOf(stack: FleetStack, id: string): Promise<Json> {
  const r = await stack.api('GET', `/api/rollouts/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** Waits until the rollout is in one of `states` (default: a final one). */
export function waitRollout(
  stack: FleetStack,
  id: string,
  states = FINAL,
  timeoutMs = 25_000,
): Promise<Json> {
  return waitFor(
    async () => {
      const r = await rolloutOf(stack, id);
      return states.includes(r.state) && r;
    },
    timeoutMs,
    () => `waiting for ${states.join('|')}\n${stack.logs.slice(-25).join('\n')}`,
  );
}

/** Every cluster row of a rollout (all pages), by lower-cased cluster id. */
export async function rowsOf(stack: FleetStack, id: string, query = ''): Promise<Map<string, Json>> {
  const rows = new Map<string, Json>();
  let token: string | undefined;
  do {
    const sep = query ? '&' : '?';
    const q = token ? `${query}${sep}continuationToken=${encodeURIComponent(token)}` : query;
    const r = await stack.api('GET', `/api/rollouts/${id}/clusters${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const row of r.body.items) rows.set(String(row.id).toLowerCase(), row);
    token = r.body.continuationToken;
  } while (token);
  return rows;
}

/** The emulator's view of one extension of a cluster (ARM body, running settings, PUT count). */
export async function extensionOf(stack: FleetStack, clusterId: string, name = 'osm') {
  const state = await stack.control.getCluster(clusterId);
  return state.extensions.find((e) => e.resource.name.toLowerCase() === name.toLowerCase());
}

export async function osmVersionOf(stack: FleetStack, clusterId: string): Promise<unknown> {
  const state = await stack.control.getCluster(clusterId);
  const osm = state.extensions.filter(
    (e) => String(e.resource.properties.extensionType).toLowerCase() === OSM_TYPE.toLowerCase(),
  );
  expect(osm.length, `OSM extensions on ${clusterId}`).toBeLessThanOrEqual(1);
  return osm[0]?.resource.properties.currentVersion;
}

export async function historyOf(stack: FleetStack, sub: string, rg: string, name: string): Promise<Json[]> {
  const r = await stack.api('GET', `/api/clusters/${sub}/${rg}/${name}/history?top=200`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items;
}

/** A raw ARM call to the emulator (connected clusters have no SDK in this project). */
export function armCall(stack: FleetStack, method: string, path: string, body?: unknown): Promise<Json> {
  const url = new URL(path, stack.emulator.endpoint);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: stack.emulator.caPem,
        headers: {
          authorization: 'Bearer integration-test-token',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const CLUSTER_API = 'api-version=2024-01-01';

/** Connects a new cluster through ARM (as `az connectedk8s connect` does): the emulator raises events. */
export function connectCluster(stack: FleetStack, id: string, distribution = 'aks'): Promise<Json> {
  return armCall(stack, 'PUT', `${id}?${CLUSTER_API}`, {
    location: 'eastus',
    identity: { type: 'SystemAssigned' },
    properties: { agentPublicKeyCertificate: 'MIIBCgKCAQEA', distribution },
  });
}

export function deleteCluster(stack: FleetStack, id: string): Promise<Json> {
  return armCall(stack, 'DELETE', `${id}?${CLUSTER_API}`);
}

/** An ARM event about a connected cluster, as Event Grid delivers it (`write` or `delete`). */
export function clusterEvent(clusterId: string, kind: 'write' | 'delete'): Json {
  const sub = clusterId.split('/')[2] ?? '';
  return {
    id: randomUUID(),
    topic: `/subscriptions/${sub}`,
    subject: clusterId,
    eventType: `Microsoft.Resources.Resource${kind === 'write' ? 'Write' : 'Delete'}Success`,
    eventTime: new Date().toISOString(),
    data: {
      operationName: `Microsoft.Kubernetes/connectedClusters/${kind}`,
      resourceUri: clusterId,
      subscriptionId: sub,
      status: 'Succeeded',
    },
    dataVersion: '2',
    metadataVersion: '1',
  };
}

/** Posts events to the local Event Grid webhook of `onClusterEvent`, as a redelivery would. */
export async function postEvents(stack: FleetStack, events: unknown[]): Promise<void> {
  const url = stack.host.eventGridUrl(EVENT_FUNCTION);
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
    body: JSON.stringify(events),
  });
  expect(r.status).toBeLessThan(300);
}
