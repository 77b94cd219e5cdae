// Request bodies of Microsoft.Insights data collection rules and associations (2022-06-01) and of Log Analytics
// workspaces (Microsoft.OperationalInsights 2022-10-01) checked against
// the official OpenAPI files vendored in vendor/specs (vendor/MANIFEST.md), with ajv. As the service does,
// enums marked `x-ms-enum.modelAsString` are open (any string), read-only properties are ignored and unknown
// properties are allowed.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const SPECS = fileURLToPath(new URL('../../vendor/specs/specification/', import.meta.url));
export const DCR_SPEC =
  'monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRules_API.json';
export const WORKSPACE_SPEC =
  'operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Workspaces.json';
export const DCRA_SPEC =
  'monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRuleAssociations_API.json';

type Json = Record<string, unknown>;

let ajv: Ajv | undefined;
const loaded = new Set<string>();
const compiled = new Map<string, ValidateFunction>();

/** The problems of `body` against `definitions/<definition>` of a vendored spec file ([] when valid). */
export function specProblems(specFile: string, definition: string, body: unknown): string[] {
  ajv ??= new Ajv({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  const file = resolve(SPECS, specFile);
  const ref = `${pathToFileURL(file).href}#/definitions/${definition}`;
  let fn = compiled.get(ref);
  if (!fn) {
    load(ajv, file);
    fn = ajv.compile({ $ref: ref });
    compiled.set(ref, fn);
  }
  if (fn(body)) return [];
  return (fn.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}`);
}

function load(target: Ajv, file: string): void {
  if (loaded.has(file)) return;
  loaded.add(file);
  const pending: string[] = [];
  // Only the definitions are compiled: the paths' parameter files (e.g. operationalinsights common/v1) are not read.
  const {
    paths: _paths,
    parameters: _parameters,
    ...schemas
  } = JSON.parse(readFileSync(file, 'utf8')) as Json;
  const doc = openSchema(schemas, file, pending) as Json;
  target.addSchema({ ...doc, $id: pathToFileURL(file).href });
  for (const other of pending) load(target, other);
}

function openSchema(node: unknown, file: string, pending: string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => openSchema(n, file, pending));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  const src = node as Json;
  const openEnum = (src['x-ms-enum'] as { modelAsString?: boolean } | undefined)?.modelAsString === true;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'example' || k === 'x-ms-examples' || (k === 'enum' && openEnum)) continue;
    if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) {
      const [path = '', fragment = ''] = v.split('#');
      const target = resolve(dirname(file), path);
      pending.push(target);
      out.$ref = `${pathToFileURL(target).href}#${fragment}`;
    } else {
      out[k] = openSchema(v, file, pending);
    }
  }
  if (out['x-nullable'] === true) {
    const { 'x-nullable': _n, ...rest } = out;
    return { anyOf: [{ type: 'null' }, rest] };
  }
  return out;
}
