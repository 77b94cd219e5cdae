// The control surface under /_emulator/ (loopback only, no auth): seeding, connectivity, CRD preparation,
// fault and install-outcome rules, Event Grid subscribers, provider registration, config, stats, reset.
import { clusterBody } from './clustersHandler.js';
import type { EmulatorContext } from './emulatorContext.js';
import { publishCluster } from './emulatorContext.js';
import { applyConfig } from './emulatorConfig.js';
import type { ClusterRecord, ConnectivityStatus } from './emulatorState.js';
import type { SubscriberInput } from './eventGridPublisher.js';
import { extensionBody } from './extensionBody.js';
import { cancelOperation, removeExtension, resumeOperations } from './extensionOperations.js';
import type { FaultRuleInput, FaultRules, InstallOutcomeRule } from './faultRules.js';
import type { ArmResponse } from './httpTypes.js';
import { containerInsightsFlow } from './monitor/containerInsightsFlow.js';
import { seedWorkspace, type WorkspaceSeed } from './monitor/workspacesHandler.js';
import { seedFleet, type SeedInput } from './seedFleet.js';
import type { Throttle } from './throttle.js';

export interface ControlDeps {
  ctx: EmulatorContext;
  faults: FaultRules;
  throttle: Throttle;
}

type Json = Record<string, unknown>;
const STATUSES: ConnectivityStatus[] = ['Connecting', 'Connected', 'Offline', 'Expired'];

export async function handleControl(
  deps: ControlDeps,
  method: string,
  rawPath: string,
  body: unknown,
): Promise<ArmResponse> {
  const { ctx } = deps;
  const parts = rawPath
    .replace(/^\/_emulator\/?/, '')
    .split('/')
    .filter(Boolean);
  const [head = '', idPart, action] = parts;
  const route = `${method} ${head}${action ? `/*/${action}` : idPart ? '/*' : ''}`;
  const b = (body ?? {}) as Json;
  switch (route) {
    case 'POST seed':
      return ok(seedFleet(ctx, b as SeedInput));
    case 'POST workspaces':
      return ok(seedWorkspace(ctx, b as unknown as WorkspaceSeed));
    case 'GET clusters/*':
      return ok(clusterState(ctx, cluster(ctx, idPart)));
    case 'POST clusters/*/connectivity':
      return ok(setConnectivity(ctx, cluster(ctx, idPart), b.status));
    case 'POST clusters/*/crd-prepared': {
      const c = cluster(ctx, idPart);
      c.crdPrepared = b.prepared !== false;
      return ok({ id: c.id, crdPrepared: c.crdPrepared });
    }
    case 'GET faults':
      return ok({ faults: deps.faults.list(), installOutcomes: ctx.outcomes });
    case 'POST faults':
      return ok(strip(deps.faults.add(b as unknown as FaultRuleInput)));
    case 'DELETE faults':
      deps.faults.clear();
      ctx.outcomes.length = 0;
      return ok({ cleared: true });
    case 'POST install-outcomes':
      ctx.outcomes.push({ ...(b as InstallOutcomeRule), hits: 0 });
      return ok({ installOutcomes: ctx.outcomes });
    case 'GET subscribers':
      return ok({ subscribers: ctx.events.list() });
    case 'POST subscribers': {
      const s = await ctx.events.add(b as unknown as SubscriberInput);
      return { status: s.provisioningState === 'Succeeded' ? 200 : 400, body: s };
    }
    case 'DELETE subscribers':
      ctx.events.clear();
      return ok({ cleared: true });
    case 'POST providers': {
      const sub = String(b.subscriptionId ?? '').toLowerCase();
      const ns = String(b.namespace ?? 'Microsoft.KubernetesConfiguration').toLowerCase();
      let set = ctx.state.unregisteredProviders.get(sub);
      if (!set) ctx.state.unregisteredProviders.set(sub, (set = new Set()));
      if (b.registered === false) set.add(ns);
      else set.delete(ns);
      return ok({ subscriptionId: sub, namespace: ns, registered: b.registered !== false });
    }
    case 'GET config':
      return ok(ctx.config);
    case 'PUT config':
      applyConfig(ctx.config as unknown as Json, b);
      if (b.throttling !== undefined) deps.throttle.reset(); // new limits start from full buckets
      return ok(ctx.config);
    case 'GET stats':
      return ok({
        ...ctx.stats.snapshot(),
        clusters: ctx.state.clusters.size,
        subscribers: ctx.events.list().length,
      });
    case 'POST reset':
      ctx.state.clear();
      ctx.vault.clear();
      ctx.graph.clear();
      ctx.events.clear();
      deps.faults.clear();
      deps.throttle.reset();
      ctx.outcomes.length = 0;
      ctx.stats.reset(0);
      return ok({ reset: true });
    default:
      return {
        status: 404,
        body: {
          error: { code: 'NotFound', message: `No control route '${method} /_emulator/${parts.join('/')}'.` },
        },
      };
  }
}

function ok(body: unknown): ArmResponse {
  return { status: 200, body };
}

function strip<T extends { regex?: unknown }>(rule: T): Omit<T, 'regex'> {
  const { regex: _regex, ...rest } = rule;
  return rest;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
export { ControlError };

function cluster(ctx: EmulatorContext, encodedId: string | undefined): ClusterRecord {
  const id = decodeURIComponent(encodedId ?? '');
  const c = ctx.state.clusters.get(id.toLowerCase());
  if (!c) throw new ControlError(404, `No cluster '${id}'.`);
  return c;
}

function clusterState(ctx: EmulatorContext, c: ClusterRecord): Json {
  return {
    cluster: clusterBody(c),
    crdPrepared: c.crdPrepared,
    terminatingNamespaces: Object.fromEntries(
      [...c.terminatingNamespaces].map(([ns, until]) => [ns, new Date(until).toISOString()]),
    ),
    extensions: [...c.extensions.values()].map((e) => ({
      resource: extensionBody(e, ctx.config),
      runningSettings: { ...e.runningSettings },
      protectedSettingKeys: Object.keys(e.protectedSettings),
      activeOperation: e.activeOperation ?? null,
      puts: e.puts,
      applied: (e.applied ?? []).map((a) => ({
        version: a.version,
        runningSettings: { ...a.runningSettings },
      })),
    })),
    monitoring: containerInsightsFlow(c, ctx.state.monitor),
  };
}

function setConnectivity(ctx: EmulatorContext, c: ClusterRecord, status: unknown): Json {
  if (!STATUSES.includes(status as ConnectivityStatus))
    throw new ControlError(400, `status must be one of ${STATUSES.join(', ')}`);
  const previous = c.properties.connectivityStatus;
  const next = status as ConnectivityStatus;
  c.properties.connectivityStatus = next;
  if (next === 'Offline' || next === 'Expired') c.disconnectedSinceMs ??= ctx.now();
  if (next === 'Connected') {
    c.disconnectedSinceMs = undefined;
    c.properties.lastConnectivityTime = new Date(ctx.now()).toISOString();
    if (previous === 'Expired') {
      // Recovering from Expired means reconnecting the cluster, which deletes its extensions.
      for (const ext of [...c.extensions.values()]) {
        cancelOperation(ctx, ext, {
          code: 'ClusterReconnected',
          message: 'The cluster was reconnected; its extensions were removed.',
        });
        removeExtension(ctx, c, ext);
      }
    } else {
      resumeOperations(ctx, c);
    }
  }
  // A connectivity change is the agents' heartbeat (or its absence), not an ARM write: Resource Graph shows
  // the new status, Event Grid raises nothing (docs/emulator.md, behaviour ledger).
  publishCluster(ctx, c);
  return { id: c.id, connectivityStatus: next, previous };
}
