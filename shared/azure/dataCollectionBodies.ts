/**
 * ARM JSON <-> domain for Log Analytics workspaces, data collection rules and their associations
 * (Microsoft.Insights 2022-06-01, `DataCollectionRuleResource` and `DataCollectionRuleAssociationProxyOnlyResource`
 * of the official spec). Reading is lenient (missing arrays are empty); writing sends only spec properties.
 */
import type {
  DataCollectionRule,
  DataCollectionRuleAssociation,
  LogAnalyticsWorkspace,
} from '../domain/containerInsights.js';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

export function associationPath(resourceId: string, name: string): string {
  return `${resourceId.replace(/\/+$/, '')}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${name}`;
}

export function workspaceFromArm(body: unknown, id: string): LogAnalyticsWorkspace {
  const b = obj(body);
  return { id: str(b.id) || id, location: str(b.location), customerId: str(obj(b.properties).customerId) };
}

export function ruleFromArm(body: unknown, id: string): DataCollectionRule {
  const b = obj(body);
  const p = obj(b.properties);
  const tags = Object.fromEntries(
    Object.entries(obj(b.tags)).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return {
    id: str(b.id) || id,
    location: str(b.location),
    ...(typeof b.kind === 'string' ? { kind: b.kind } : {}),
    tags,
    extensions: arr(obj(p.dataSources).extensions).map((x) => {
      const e = obj(x);
      return {
        name: str(e.name),
        extensionName: str(e.extensionName),
        streams: strs(e.streams),
        ...(e.extensionSettings !== undefined ? { extensionSettings: e.extensionSettings } : {}),
      };
    }),
    logAnalytics: arr(obj(p.destinations).logAnalytics).map((x) => {
      const d = obj(x);
      return { name: str(d.name), workspaceResourceId: str(d.workspaceResourceId) };
    }),
    dataFlows: arr(p.dataFlows).map((x) => {
      const f = obj(x);
      return { streams: strs(f.streams), destinations: strs(f.destinations) };
    }),
  };
}

export function ruleToArm(rule: DataCollectionRule): Json {
  return {
    location: rule.location,
    ...(rule.kind ? { kind: rule.kind } : {}),
    tags: { ...rule.tags },
    properties: {
      dataSources: {
        extensions: rule.extensions.map((e) => ({
          name: e.name,
          extensionName: e.extensionName,
          streams: [...e.streams],
          ...(e.extensionSettings !== undefined ? { extensionSettings: e.extensionSettings } : {}),
        })),
      },
      destinations: {
        logAnalytics: rule.logAnalytics.map((d) => ({
          name: d.name,
          workspaceResourceId: d.workspaceResourceId,
        })),
      },
      dataFlows: rule.dataFlows.map((f) => ({ streams: [...f.streams], destinations: [...f.destinations] })),
    },
  };
}

export function associationFromArm(body: unknown, id: string): DataCollectionRuleAssociation {
  const b = obj(body);
  const p = obj(b.properties);
  return {
    id: str(b.id) || id,
    ...(typeof p.dataCollectionRuleId === 'string' ? { dataCollectionRuleId: p.dataCollectionRuleId } : {}),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  };
}
