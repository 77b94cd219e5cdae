// Seeding a fleet: N generated clusters over S subscriptions (deterministic for a given seed), and/or an
// explicit cluster list, some with OSM (or other extensions) already installed. Rows are visible in
// Resource Graph at once; seeding raises no events.
import type { EmulatorContext } from './emulatorContext.js';
import { publishCluster, publishExtension } from './emulatorContext.js';
import type { ClusterRecord, ConnectivityStatus, ExtensionRecord } from './emulatorState.js';
import { clusterIdOf, systemDataFor } from './emulatorState.js';
import { runningSettingsFor } from './extensionRules.js';
import { OSM_EXTENSION_TYPE } from './osmCatalog.js';
import { Random } from './random.js';

export interface ExtensionSeed {
  name: string;
  extensionType: string;
  version?: string;
  releaseTrain?: string;
  autoUpgradeMinorVersion?: boolean;
  configurationSettings?: Record<string, string>;
  protectedSettings?: Record<string, string>;
  releaseNamespace?: string;
  provisioningState?: 'Succeeded' | 'Failed';
}

export interface ClusterSeed {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location?: string;
  distribution?: string;
  infrastructure?: string;
  kubernetesVersion?: string;
  totalNodeCount?: number;
  tags?: Record<string, string>;
  connectivityStatus?: ConnectivityStatus;
  crdPrepared?: boolean;
  extensions?: ExtensionSeed[];
}

export interface SeedInput {
  seed?: number;
  clusters?: number;
  subscriptions?: number | string[];
  resourceGroupsPerSubscription?: number;
  distributions?: Record<string, number>;
  locations?: string[];
  tagSets?: Record<string, string>[];
  osm?: {
    fraction?: number;
    versions?: Record<string, number>;
    settings?: Record<string, string>;
    otherNameFraction?: number;
  };
  offlineFraction?: number;
  expiredFraction?: number;
  namePrefix?: string;
  explicit?: ClusterSeed[];
}

export interface SeedResult {
  clusters: number;
  subscriptions: string[];
  clusterIds: string[];
}

const DEFAULT_DISTRIBUTIONS = {
  aks: 3,
  eks: 2,
  gke: 2,
  openshift: 1,
  rancher_rke: 1,
  k3s: 1,
  capz: 1,
  generic: 1,
};
const DEFAULT_LOCATIONS = ['eastus', 'westeurope', 'westus2', 'northeurope', 'southeastasia'];
const DEFAULT_TAGS: Record<string, string>[] = [
  { env: 'prod' },
  { env: 'staging' },
  { env: 'dev' },
  { env: 'prod', team: 'payments' },
];

export function seedFleet(ctx: EmulatorContext, input: SeedInput): SeedResult {
  const random = new Random(input.seed ?? 1);
  const subs = Array.isArray(input.subscriptions)
    ? input.subscriptions
    : Array.from({ length: input.subscriptions ?? 1 }, () => random.uuid());
  const seeds: ClusterSeed[] = [...(input.explicit ?? [])];
  const count = input.clusters ?? 0;
  const groups = input.resourceGroupsPerSubscription ?? 3;
  for (let i = 0; i < count; i++) {
    const sub = subs[i % subs.length] ?? random.uuid();
    const roll = random.next();
    const connectivity: ConnectivityStatus =
      roll < (input.expiredFraction ?? 0)
        ? 'Expired'
        : roll < (input.expiredFraction ?? 0) + (input.offlineFraction ?? 0)
          ? 'Offline'
          : 'Connected';
    const distribution = random.weighted(input.distributions ?? DEFAULT_DISTRIBUTIONS);
    const seed: ClusterSeed = {
      subscriptionId: sub,
      resourceGroup: `rg-fleet-${random.int(groups) + 1}`,
      name: `${input.namePrefix ?? 'arc'}-${String(i).padStart(5, '0')}`,
      location: random.pick(input.locations ?? DEFAULT_LOCATIONS),
      distribution,
      tags: { ...random.pick(input.tagSets ?? DEFAULT_TAGS) },
      connectivityStatus: connectivity,
      extensions: [],
    };
    const osm = input.osm;
    if (osm && random.next() < (osm.fraction ?? 0)) {
      const version = random.weighted(osm.versions ?? { '1.2.6': 1 });
      seed.extensions?.push({
        name: random.next() < (osm.otherNameFraction ?? 0) ? 'open-service-mesh' : 'osm',
        extensionType: 'Microsoft.openservicemesh',
        version,
        autoUpgradeMinorVersion: false,
        releaseTrain: 'stable',
        configurationSettings: { ...(osm.settings ?? {}) },
        releaseNamespace: 'arc-osm-system',
      });
    }
    seeds.push(seed);
  }
  const ids = seeds.map((s) => addSeededCluster(ctx, s));
  return { clusters: ids.length, subscriptions: subs, clusterIds: ids.slice(0, 1000) };
}

export function addSeededCluster(ctx: EmulatorContext, s: ClusterSeed): string {
  const nowMs = ctx.now();
  const id = clusterIdOf(s.subscriptionId, s.resourceGroup, s.name);
  const existing = ctx.state.clusters.get(id.toLowerCase());
  if (existing) ctx.state.removeCluster(existing);
  const cluster: ClusterRecord = {
    id,
    key: id.toLowerCase(),
    subscriptionId: s.subscriptionId,
    resourceGroup: s.resourceGroup,
    name: s.name,
    location: s.location ?? 'eastus',
    tags: { ...(s.tags ?? {}) },
    identity: {
      type: 'SystemAssigned',
      principalId: '00000000-0000-0000-0000-000000000001',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    },
    properties: {
      agentPublicKeyCertificate: '',
      kubernetesVersion: s.kubernetesVersion ?? '1.28.5',
      totalNodeCount: s.totalNodeCount ?? 3,
      totalCoreCount: (s.totalNodeCount ?? 3) * 4,
      agentVersion: '1.15.3',
      provisioningState: 'Succeeded',
      distribution: s.distribution ?? 'generic',
      distributionVersion: '1.0',
      infrastructure: s.infrastructure ?? 'generic',
      connectivityStatus: s.connectivityStatus ?? 'Connected',
      lastConnectivityTime: new Date(nowMs).toISOString(),
      managedIdentityCertificateExpirationTime: new Date(nowMs + 90 * 86_400_000).toISOString(),
      privateLinkState: 'Disabled',
      azureHybridBenefit: 'NotApplicable',
    },
    systemData: systemDataFor('seed', nowMs),
    crdPrepared: s.crdPrepared ?? false,
    extensions: new Map(),
    terminatingNamespaces: new Map(),
  };
  ctx.state.addCluster(cluster);
  publishCluster(ctx, cluster, false, 0);
  for (const e of s.extensions ?? []) {
    const ext = seededExtension(cluster, e, nowMs);
    cluster.extensions.set(ext.key, ext);
    publishExtension(ctx, cluster, ext, false, 0);
  }
  return id;
}

function seededExtension(cluster: ClusterRecord, e: ExtensionSeed, nowMs: number): ExtensionRecord {
  const type = e.extensionType.toLowerCase();
  const version = e.version ?? (type === OSM_EXTENSION_TYPE ? '1.2.6' : '1.0.0');
  const settings = { ...(e.configurationSettings ?? {}) };
  return {
    id: `${cluster.id}/providers/Microsoft.KubernetesConfiguration/extensions/${e.name}`,
    key: e.name.toLowerCase(),
    name: e.name,
    clusterKey: cluster.key,
    extensionType: type,
    autoUpgradeMinorVersion: e.autoUpgradeMinorVersion ?? e.version === undefined,
    releaseTrain: e.releaseTrain ?? 'Stable',
    version: e.version ?? null,
    currentVersion: version,
    scope: {
      cluster: {
        releaseNamespace: e.releaseNamespace ?? (type === OSM_EXTENSION_TYPE ? 'arc-osm-system' : e.name),
      },
    },
    configurationSettings: settings,
    protectedSettings: { ...(e.protectedSettings ?? {}) },
    runningSettings: runningSettingsFor(type, version, settings),
    provisioningState: e.provisioningState ?? 'Succeeded',
    statuses: [],
    errorInfo: null,
    systemData: systemDataFor('seed', nowMs),
    puts: 0,
  };
}
