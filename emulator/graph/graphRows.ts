// Builds Resource Graph rows from ARM resources the way ARG shows them: `type`, `location` and
// `resourceGroup` lower-cased, subscriptionId split out, and for KubernetesConfigurationResources the
// extension properties with PascalCase keys (properties.ExtensionType, properties.ConfigurationSettings).
import type { GraphRow } from './graphIndex.js';

export interface ArmResourceLike {
  readonly id: string;
  readonly name?: string;
  readonly type?: string;
  readonly kind?: string;
  readonly location?: string;
  readonly tags?: Record<string, string>;
  readonly properties?: Record<string, unknown>;
  readonly identity?: unknown;
  readonly sku?: unknown;
  readonly plan?: unknown;
  readonly systemData?: unknown;
}

const segment = (id: string, name: string): string => {
  const parts = id.split('/');
  const i = parts.findIndex((p) => p.toLowerCase() === name);
  return i >= 0 ? (parts[i + 1] ?? '') : '';
};

/** The lower-cased subscription of a row (its subscriptionId column, else parsed from its id). */
export function rowSubscription(row: GraphRow): string {
  const sub = row.subscriptionId;
  if (typeof sub === 'string' && sub !== '') return sub.toLowerCase();
  return typeof row.id === 'string' ? segment(row.id, 'subscriptions').toLowerCase() : '';
}

/** The ARM type of an id, e.g. Microsoft.Kubernetes/connectedClusters or .../extensions, lower-cased. */
function typeOf(id: string): string {
  const parts = id.split('/');
  const last =
    parts.lastIndexOf('providers') === -1 ? -1 : parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  if (last < 0) return '';
  const namespace = parts[last + 1] ?? '';
  const types = parts.slice(last + 2).filter((_, i) => i % 2 === 0);
  return [namespace, ...types].join('/').toLowerCase();
}

function baseRow(resource: ArmResourceLike, tenantId: string): GraphRow {
  return {
    id: resource.id,
    name: resource.name ?? resource.id.split('/').at(-1) ?? '',
    type: (resource.type ?? typeOf(resource.id)).toLowerCase(),
    tenantId,
    kind: resource.kind ?? '',
    location: (resource.location ?? '').toLowerCase().replace(/\s+/g, ''),
    resourceGroup: segment(resource.id, 'resourcegroups').toLowerCase(),
    subscriptionId: segment(resource.id, 'subscriptions'),
    managedBy: '',
    sku: resource.sku ?? null,
    plan: resource.plan ?? null,
    properties: resource.properties ?? {},
    tags: resource.tags ?? {},
    identity: resource.identity ?? null,
    zones: null,
    extendedLocation: null,
  };
}

/** A row of the Resources table (e.g. a connectedCluster as ARM returns it). */
export function resourceRow(resource: ArmResourceLike, tenantId = ''): GraphRow {
  return baseRow(resource, tenantId);
}

const pascal = (key: string): string => (key === '' ? key : key[0]!.toUpperCase() + key.slice(1));
/** Maps whose keys are user data and keep their spelling. */
const verbatimMaps = new Set(['ConfigurationSettings']);

function pascalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const name = pascal(key);
    out[name] = verbatimMaps.has(name) ? inner : pascalKeys(inner);
  }
  return out;
}

/**
 * A row of the KubernetesConfigurationResources table from an extension as ARM returns it: property keys
 * PascalCase (nested too, except the ConfigurationSettings map), protected settings values never shown.
 */
export function extensionRow(extension: ArmResourceLike, tenantId = ''): GraphRow {
  const properties = pascalKeys(extension.properties ?? {}) as Record<string, unknown>;
  const secrets = properties.ConfigurationProtectedSettings;
  if (secrets !== null && typeof secrets === 'object') {
    properties.ConfigurationProtectedSettings = Object.fromEntries(Object.keys(secrets).map((k) => [k, '']));
  }
  return { ...baseRow(extension, tenantId), location: '', properties };
}
